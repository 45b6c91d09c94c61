"""What the auth feature tells people: e-mail about accounts, handed to the outbox.

Built from ``templates/email/`` in the current transaction; sent only after its commit.
"""

from __future__ import annotations

from flask import current_app, render_template

from marketplace.auth.tokens import CONFIRM_MAX_AGE, make_confirm_token, make_reset_token
from marketplace.i18n import gettext as _
from marketplace.mail import link, queue_email
from marketplace.models import User


def _send(user: User, subject: str, template: str, **context: object) -> bool:
    """Queue the text and HTML versions of ``email/<template>`` for ``user``. Returns False
    when the account has no address."""
    context.update(user=user, name=user.name, subject=subject)
    return queue_email(
        to=user.email or "",
        subject=subject,
        text=render_template(f"email/{template}.txt", **context),
        html=render_template(f"email/{template}.html", **context),
    ) is not None


def password_reset(user: User) -> bool:
    """Mail ``user`` a link to choose a new password."""
    reset = link("auth.reset_password", token=make_reset_token(user))
    minutes = max(1, int(current_app.config["PASSWORD_RESET_MAX_AGE"]) // 60)
    return _send(user, _("Een nieuw wachtwoord kiezen voor Hulppunt"), "reset_password",
                 link=reset, minutes=minutes)


def email_confirmation(user: User) -> bool:
    """Mail ``user`` a link that confirms their e-mail address."""
    confirm = link("auth.confirm_email", token=make_confirm_token(user))
    return _send(user, _("Bevestig uw e-mailadres voor Hulppunt"), "confirm_email",
                 link=confirm, days=CONFIRM_MAX_AGE // 86400)
