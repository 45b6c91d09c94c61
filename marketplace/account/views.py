"""Views of the account feature: the overview of one's own data, and editing it."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required

from marketplace.access import shared_contact
from marketplace.account.forms import AccountForm
from marketplace.account.services import update_account
from marketplace.agenda import services as agenda
from marketplace.auth import services as auth_services
from marketplace.auth.sessions import end_session
from marketplace.extensions import limiter
from marketplace.fields import CsrfOnlyForm
from marketplace.i18n import gettext as _
from marketplace.models import Role
from marketplace.transaction import attempt, commit

blueprint = Blueprint("account", __name__, url_prefix="/account")


@blueprint.get("/")
@login_required
def overview():  # type: ignore[no-untyped-def]
    return _overview()


def _overview(calendar_url: str | None = None):  # type: ignore[no-untyped-def]
    roles = [role.label for role in Role if current_user.has_role(role)]
    return render_template(
        "account/overview.html",
        user=current_user,
        roles=roles,
        profile=current_user.volunteer_profile,
        shared=shared_contact(current_user),
        calendar_url=calendar_url,
    )


@blueprint.post("/agenda-link")
@login_required
def make_calendar_link():  # type: ignore[no-untyped-def]
    """Make (or renew) the secret link of one's calendar feed and show it, this once: only
    its hash is kept. An earlier link stops working."""
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    token = agenda.new_token(current_user._get_current_object())
    commit()
    page = make_response(_overview(url_for("agenda.feed", token=token, _external=True)))
    page.headers["Cache-Control"] = "no-store"  # the secret link must not stay in a cache
    return page


@blueprint.post("/agenda-link/revoke")
@login_required
def revoke_calendar_link():  # type: ignore[no-untyped-def]
    """Switch the calendar feed off: its link stops working."""
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    agenda.revoke_token(current_user._get_current_object())
    commit()
    flash(_("De agenda-link is ingetrokken. Hij werkt niet meer."), "success")
    return redirect(url_for("account.overview"), code=303)


@blueprint.route("/edit", methods=["GET", "POST"])
@login_required
def edit_account():  # type: ignore[no-untyped-def]
    form = AccountForm(obj=current_user._get_current_object())
    if not form.is_submitted():
        form.share.show(current_user.share_phone, current_user.share_email)
    if form.validate_on_submit() and attempt(
        lambda: update_account(current_user, form.to_data()), form
    ):
        session["locale"] = current_user.locale
        flash(_("Uw gegevens zijn opgeslagen."), "success")
        return redirect(url_for("account.overview"), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("account/edit.html", form=form), status


@blueprint.post("/confirm-email")
@login_required
@limiter.limit("3 per hour")
def resend_confirmation():  # type: ignore[no-untyped-def]
    """Mail the e-mail confirmation link again."""
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    if auth_services.resend_confirmation(current_user._get_current_object()):
        commit()
        flash(_("Wij hebben de e-mail opnieuw gestuurd naar %(email)s.",
                email=current_user.email), "success")
    return redirect(url_for("account.overview"))


@blueprint.post("/sign-out-everywhere")
@login_required
def sign_out_everywhere():  # type: ignore[no-untyped-def]
    """Log out on every device (a lost phone, a shared computer), this browser included."""
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    auth_services.sign_out_everywhere(current_user._get_current_object())
    commit()
    end_session()
    flash(_("U bent nu overal uitgelogd: op deze computer en op alle andere apparaten."),
          "success")
    return redirect(url_for("auth.login"))
