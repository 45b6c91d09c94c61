"""Residents' own help requests: list, new, detail, cancel and edit when asked."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from marketplace.models import RequestSource, RequestStatus
from marketplace.requests import services
from marketplace.requests.forms import RequestForm
from marketplace.requests.lifecycle import can_transition
from marketplace.requests.rules import URGENCY_LABELS
from marketplace.transaction import perform, submit

blueprint = Blueprint("requests", __name__, url_prefix="/requests")


@blueprint.get("/")
@login_required
def list_requests() -> str:
    return render_template(
        "requests/list.html", help_requests=services.my_requests(current_user)
    )


@blueprint.route("/new", methods=["GET", "POST"])
@login_required
def new_request() -> str | Response | tuple[str, int]:
    form = RequestForm()
    if current_user.postcode and not form.is_submitted():
        form.postcode.data = current_user.postcode
        form.address.data = current_user.address
    if form.validate_on_submit() and (sent := submit(
        lambda: services.create_request(
            current_user, current_user, form.to_data(), RequestSource.ONLINE
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
        can_cancel=can_transition(help_request, RequestStatus.CANCELLED),
        urgency_labels=URGENCY_LABELS,
    )


@blueprint.post("/<int:request_id>/cancel")
@login_required
def cancel_request(request_id: int) -> Response:
    help_request = services.get_request_for(current_user, request_id)
    return perform(
        lambda: services.cancel_request(current_user, help_request),
        done=_("De aanvraag is ingetrokken."),
        to=url_for("requests.show_request", request_id=request_id),
    )


@blueprint.route("/<int:request_id>/edit", methods=["GET", "POST"])
@login_required
def edit_request(request_id: int) -> str | Response | tuple[str, int]:
    help_request = services.get_request_for(current_user, request_id)
    if help_request.status != RequestStatus.NEEDS_INFO:
        flash(_("Deze aanvraag kan nu niet worden gewijzigd."), "error")
        return redirect(url_for("requests.show_request", request_id=request_id))
    form = RequestForm()
    if not form.is_submitted():
        form.fill_from(help_request)
    if form.validate_on_submit() and (sent := submit(
        lambda: services.update_after_info(current_user, help_request, form.to_data()),
        form,
        done=_("Bedankt. Uw aanvraag is opnieuw verstuurd."),
        to=url_for("requests.show_request", request_id=request_id),
    )):
        return sent
    status = 400 if form.is_submitted() else 200
    return render_template("requests/edit.html", form=form, help_request=help_request), status
