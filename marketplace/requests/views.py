"""Residents' own help requests: list, new, detail, edit until a volunteer is asked, and
withdraw after "are you sure?"."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from marketplace.i18n import gettext as _
from marketplace.models import RequestSource, RequestStatus, Role
from marketplace.referrals.wording import acting_for
from marketplace.requests import history, rules, services
from marketplace.requests.forms import (
    CancelForm,
    OwnRequestForm,
    RequestForm,
    ask_about_resident,
)
from marketplace.requests.lifecycle import can_transition
from marketplace.transaction import perform, submit

blueprint = Blueprint("requests", __name__, url_prefix="/requests")


@blueprint.get("/")
@login_required
def list_requests() -> str | Response:
    if current_user.has_role(Role.REFERRER) and not current_user.has_role(Role.RESIDENT):
        # A referrer follows the requests they filed for others on their own list.
        return redirect(url_for("referrals.list_referrals"))
    return render_template(
        "requests/list.html", help_requests=services.my_requests(current_user)
    )


@blueprint.route("/new", methods=["GET", "POST"])
@login_required
def new_request() -> str | Response | tuple[str, int]:
    form = OwnRequestForm()
    if current_user.postcode and not form.is_submitted():
        form.postcode.data = current_user.postcode
        form.address.data = current_user.address
    if not form.is_submitted():
        form.phone.process_data(current_user.phone)
    if form.validate_on_submit() and (sent := submit(
        lambda: services.create_request(
            current_user, current_user, form.to_data(), RequestSource.ONLINE,
            requester_phone=form.phone.data or "",
        ),
        form,
        done=_("Uw aanvraag is verstuurd. Een medewerker bekijkt hem zo snel mogelijk."),
        to=lambda help_request: url_for("requests.show_request", request_id=help_request.id),
    )):
        return sent
    status = 400 if form.is_submitted() else 200
    return render_template("requests/new.html", form=form), status


@blueprint.get("/<int:request_id>")
@login_required
def show_request(request_id: int) -> str:
    help_request = services.get_request_for(current_user, request_id)
    return render_template(
        "requests/detail.html",
        help_request=help_request,
        can_edit=services.edit_refusal(help_request) is None,
        can_cancel=can_transition(help_request, RequestStatus.CANCELLED),
        date_passed=rules.waits_past_its_day(help_request),
    )


@blueprint.route("/<int:request_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel_request(request_id: int) -> str | Response | tuple[str, int]:
    """GET asks "are you sure?" and says what will happen; POST withdraws the request."""
    help_request = services.get_request_for(current_user, request_id)
    to_request = url_for("requests.show_request", request_id=request_id)
    form = CancelForm()
    if form.validate_on_submit():
        return perform(
            lambda: services.cancel_request(current_user, help_request, form.reason.data or ""),
            done=_("De aanvraag is ingetrokken."),
            to=to_request,
        )
    if form.is_submitted():
        return render_template("requests/cancel.html", form=form, help_request=help_request), 400
    if not can_transition(help_request, RequestStatus.CANCELLED):
        flash(_("Deze aanvraag kan niet meer worden ingetrokken."), "error")
        return redirect(to_request)
    return render_template("requests/cancel.html", form=form, help_request=help_request)


def _edited(edit: services.Edit, resident: str | None) -> str:
    """What the person who saved the form hears; ``resident``: the name of the resident
    when the reader acts for them (``referrals.wording.acting_for``)."""
    if resident and edit.to_review:
        return _("Bedankt. De aanvraag voor %(name)s is opgeslagen. Een medewerker bekijkt hem "
                 "opnieuw.", name=resident)
    if resident:
        return _("U heeft niets gewijzigd. De aanvraag blijft zoals hij was.")
    if edit.to_review:
        return _("Bedankt. Uw aanvraag is opgeslagen. Een medewerker bekijkt hem opnieuw.")
    return _("U heeft niets gewijzigd. Uw aanvraag blijft zoals hij was.")


@blueprint.route("/<int:request_id>/edit", methods=["GET", "POST"])
@login_required
def edit_request(request_id: int) -> str | Response | tuple[str, int]:
    """Change a request until a volunteer is asked (see ``services.edit_request``)."""
    help_request = services.get_request_for(current_user, request_id)
    to_request = url_for("requests.show_request", request_id=request_id)
    refusal = services.edit_refusal(help_request)
    if refusal is not None:
        flash(refusal, "error")
        return redirect(to_request)
    form = RequestForm()
    resident = acting_for(current_user, help_request)
    if resident:
        ask_about_resident(form)
    if not form.is_submitted():
        form.fill_from(help_request)
    if form.validate_on_submit() and (sent := submit(
        lambda: services.edit_request(current_user, help_request, form.to_data()),
        form, done=lambda edit: _edited(edit, resident), to=to_request,
    )):
        return sent
    status = 400 if form.is_submitted() else 200
    return render_template("requests/edit.html", form=form, help_request=help_request), status


# A history note in the reader's language (requests/_history.html, and staff pages).
blueprint.add_app_template_filter(history.history_note, "history_note")
