"""E-mail about accounts. Built from ``templates/email/``; sent only after the commit."""

from __future__ import annotations

from flask import current_app, render_template, url_for
from flask_babel import gettext as _

from marketplace.auth.tokens import CONFIRM_MAX_AGE, make_confirm_token, make_reset_token
from marketplace.mail import send_email
from marketplace.models import User


def send_password_reset(user: User) -> bool:
    """Mail ``user`` a link to choose a new password. Returns True when the server took it."""
    link = url_for("auth.reset_password", token=make_reset_token(user), _external=True)
    minutes = max(1, int(current_app.config["PASSWORD_RESET_MAX_AGE"]) // 60)
    context = {"user": user, "link": link, "minutes": minutes}
    return send_email(
        to=user.email or "",
        subject=_("Een nieuw wachtwoord kiezen voor Hulppunt"),
        text=render_template("email/reset_password.txt", **context),
        html=render_template("email/reset_password.html", **context),
    )


def send_email_confirmation(user: User) -> bool:
    """Mail ``user`` a link that confirms their e-mail address."""
    link = url_for("auth.confirm_email", token=make_confirm_token(user), _external=True)
    context = {"user": user, "link": link, "days": CONFIRM_MAX_AGE // 86400}
    return send_email(
        to=user.email or "",
        subject=_("Bevestig uw e-mailadres voor Hulppunt"),
        text=render_template("email/confirm_email.txt", **context),
        html=render_template("email/confirm_email.html", **context),
    )
