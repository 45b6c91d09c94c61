"""Views of the auth feature: register, log in, log out, forgotten password."""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    Response,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter import RequestLimit
from flask_login import current_user
from flask_wtf import FlaskForm

from marketplace import geo
from marketplace.access import landing_endpoint
from marketplace.auth import services, throttle
from marketplace.auth.forms import ForgotPasswordForm, LoginForm, RegisterForm, ResetPasswordForm
from marketplace.auth.sessions import end_session, start_session
from marketplace.auth.tokens import ExpiredResetToken, InvalidResetToken, user_for_reset_token
from marketplace.extensions import limiter
from marketplace.i18n import gettext as _
from marketplace.redirects import safe_next_url
from marketplace.transaction import attempt, commit

blueprint = Blueprint("auth", __name__, url_prefix="/auth")

# Generous for people who mistype, tight enough to stop mail bombing. Logins have their own
# limits on failures only (``throttle``).
AUTH_LIMIT = "10 per minute; 50 per hour"


def _form_page(template: str, form: FlaskForm, **context: object) -> tuple[str, int]:
    """Render a form page; 400 when a submitted form was refused, 200 otherwise."""
    status = 400 if request.method == "POST" else 200
    return render_template(template, form=form, **context), status


def _login_paused(reason: str) -> Callable[[RequestLimit], Response]:
    """The login form again, with why logging in waits (429), when a throttle is reached."""

    def page(limit: RequestLimit) -> Response:
        html = render_template(
            "auth/login.html", form=LoginForm(), next_url=request.values.get("next"),
            paused=reason, pause_minutes=throttle.LOCK_MINUTES,
        )
        return make_response(html, 429)

    return page


@blueprint.route("/register", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
def register():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("account.overview"))
    form = RegisterForm()
    if request.method == "GET" and request.args.get("volunteer") == "1":
        form.volunteer.data = True
    if request.method == "GET" and request.args.get("mantelzorger") == "1":
        session["carer_signup"] = True  # after registering: the carer profile (carers)
    if not form.validate_on_submit():
        return _form_page("auth/register.html", form)
    registered = attempt(lambda: services.register_account(form.to_data()), form)
    if registered is None:
        return _form_page("auth/register.html", form)
    carer_signup = session.pop("carer_signup", False)  # the session is renewed below
    start_session(registered.value)
    flash(_("Welkom bij Hulppunt! Uw account is gemaakt."), "success")
    flash(_("Wij hebben u een e-mail gestuurd. Klik op de link daarin om uw e-mailadres te "
            "bevestigen."), "info")
    user = registered.value
    if not form.volunteer.data and user.postcode and not geo.serves(user.postcode[:4]):
        # The account stays (help may be asked for another address), but say it now.
        flash(geo.outside_area_message(user.postcode), "info")
    if carer_signup:
        flash(_("Vertel ons nu voor wie u zorgt."), "info")
        return redirect(url_for("carers.edit_profile"))
    if form.volunteer.data:
        flash(_("Vertel ons nu wat u wilt en kunt doen als vrijwilliger."), "info")
        return redirect(url_for("volunteers.edit_profile"))
    return redirect(url_for("account.overview"))


@blueprint.route("/login", methods=["GET", "POST"])
@throttle.limit_failures_per_address(on_breach=_login_paused("address"))
@throttle.limit_failures_per_account(on_breach=_login_paused("account"))
def login():  # type: ignore[no-untyped-def]
    next_url = request.values.get("next")
    if current_user.is_authenticated:
        return redirect(safe_next_url(next_url))
    form = LoginForm()
    if not form.validate_on_submit():
        return _form_page("auth/login.html", form, next_url=next_url)
    user = services.authenticate(form.email.data or "", form.password.data or "")
    if user is None:
        throttle.note_failed_login()
        # One message for unknown address, wrong password and blocked account.
        return render_template(
            "auth/login.html", form=form, next_url=next_url, login_failed=True
        ), 400
    services.record_login(user)
    commit()
    start_session(user, remember=bool(form.remember.data))
    flash(_("U bent ingelogd."), "success")
    return redirect(safe_next_url(next_url, landing_endpoint(user)))


@blueprint.post("/logout")
def logout():  # type: ignore[no-untyped-def]
    end_session()
    flash(_("U bent uitgelogd."), "info")
    return redirect(url_for("pages.home"))


@blueprint.route("/forgot", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
def forgot_password():  # type: ignore[no-untyped-def]
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return _form_page("auth/forgot_password.html", form)
    services.request_password_reset(form.email.data or "")
    commit()
    return redirect(url_for("auth.forgot_password_sent"))


@blueprint.get("/forgot/sent")
def forgot_password_sent():  # type: ignore[no-untyped-def]
    """The same answer for every address, known or not."""
    return render_template("auth/forgot_password_sent.html")


@blueprint.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
def reset_password(token: str):  # type: ignore[no-untyped-def]
    form = ResetPasswordForm()
    try:
        user_for_reset_token(token)
    except InvalidResetToken as error:
        expired = isinstance(error, ExpiredResetToken)
        return render_template("auth/reset_invalid.html", expired=expired), 400
    if not form.validate_on_submit():
        return _form_page("auth/reset_password.html", form)
    reset = attempt(lambda: services.reset_password(token, form.password.data or ""), form)
    if reset is None:
        return _form_page("auth/reset_password.html", form)
    throttle.unlock_account(reset.value.email)
    flash(_("Uw nieuwe wachtwoord is opgeslagen. U kunt nu inloggen."), "success")
    return redirect(url_for("auth.login"))


@blueprint.get("/confirm/<token>")
def confirm_email(token: str):  # type: ignore[no-untyped-def]
    """The link from the confirmation e-mail (works logged in or not, and twice)."""
    try:
        services.confirm_email(token)
    except InvalidResetToken as error:
        expired = isinstance(error, ExpiredResetToken)
        return render_template("auth/confirm_invalid.html", expired=expired), 400
    commit()
    flash(_("Dank u wel! Uw e-mailadres is bevestigd."), "success")
    target = "account.overview" if current_user.is_authenticated else "auth.login"
    return redirect(url_for(target))
