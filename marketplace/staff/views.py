"""The coordinators' back office. Every action is a POST to its own small route."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from marketplace import params
from marketplace.access import staff_required
from marketplace.extensions import db
from marketplace.fields import CsrfOnlyForm
from marketplace.i18n import gettext as _
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import (
    Category,
    HelpRequest,
    RequestStatus,
    User,
    VolunteerProfile,
)
from marketplace.notifications import phone
from marketplace.requests.forms import IntakeForm
from marketplace.requests.lifecycle import ALLOWED
from marketplace.staff import queries, search, services
from marketplace.staff.forms import CategoryForm, ModerationForm, VogForm
from marketplace.transaction import commit, perform, submit

blueprint = Blueprint("staff", __name__, url_prefix="/staff")


def _neighbourhood_filter() -> dict[str, Any]:
    """The neighbourhood filter for a list page: ``neighbourhood_id`` (None: every one) from
    ``?wijk=`` (the parameter keeps its Dutch name: bookmarks) and the choices to show.
    Absent means the coordinator's own (``by_default``: the page says so); empty or "all"
    means every neighbourhood; an unknown value is ignored with a message."""
    neighbourhoods = queries.neighbourhoods()
    own_id = current_user.neighbourhood_id
    neighbourhood_id = params.id_arg(
        "wijk", {item.id for item in neighbourhoods}, default=own_id
    )
    chosen = next((item for item in neighbourhoods if item.id == neighbourhood_id), None)
    return {
        "neighbourhoods": neighbourhoods,
        "neighbourhood_id": neighbourhood_id,
        "neighbourhood": chosen,
        "own_neighbourhood": chosen is not None and chosen.id == own_id,
        "by_default": chosen is not None and "wijk" not in request.args,
    }


@blueprint.get("/")
@staff_required
def dashboard() -> str:
    grouped = queries.grouped_counts()  # both figures from one count of the requests
    per_neighbourhood = queries.counts_per_neighbourhood(grouped)
    own = [row for row in per_neighbourhood
           if row[0] is not None and row[0].id == current_user.neighbourhood_id]
    return render_template(
        "staff/dashboard.html",
        status_counts=queries.status_totals(grouped),
        per_neighbourhood=per_neighbourhood,
        waiting_total=sum(waiting for _neighbourhood, waiting, _open in per_neighbourhood),
        own_waiting=own[0] if own else None,
        **_phone_calls(phone.DASHBOARD_LIMIT),
    )


OWN_NEIGHBOURHOOD_SHOWN = _l(
    "Dit filter klopt niet; we tonen de telefoontjes uit uw eigen wijk."
)


@blueprint.get("/bellen")
@staff_required
def phone_calls() -> str:
    """The whole "to phone" list (the dashboard shows its oldest few)."""
    return render_template("staff/phone_calls.html", **_phone_calls(phone.LIMIT))


def _phone_calls(limit: int) -> dict[str, Any]:
    """The phone list's variables: the coordinator's neighbourhood, or every one with
    ``?bellen=alle``. Any other value shows what the list shows without it, and says so."""
    ignored = (OWN_NEIGHBOURHOOD_SHOWN if phone.own_neighbourhood_only(current_user)
               else params.FILTER_IGNORED)
    everywhere = params.choice_arg("bellen", ("alle",), message=ignored) == "alle"
    return {
        "calls": phone.calls_for(current_user, everywhere=everywhere, limit=limit),
        "calls_everywhere": everywhere,
        "calls_elsewhere": 0 if everywhere else phone.count_elsewhere(current_user),
    }


@blueprint.get("/queue")
@staff_required
def queue() -> str:
    neighbourhood_filter = _neighbourhood_filter()
    page = queries.moderation_queue(neighbourhood_filter["neighbourhood_id"], params.page_arg())
    return render_template(
        "staff/queue.html", help_requests=page.items, page=page,
        total=queries.request_count(queries.MODERATION), **neighbourhood_filter,
    )


@blueprint.get("/requests")
@staff_required
def list_requests() -> str:
    neighbourhood_filter = _neighbourhood_filter()
    status = params.choice_arg("status", [status.value for status in RequestStatus])
    statuses = (RequestStatus(status),) if status else None
    page = queries.requests_list(
        neighbourhood_filter["neighbourhood_id"], statuses, page=params.page_arg()
    )
    return render_template(
        "staff/requests.html", help_requests=page.items, page=page,
        status=status or "", statuses=list(RequestStatus), total=queries.request_count(),
        **neighbourhood_filter,
    )



@blueprint.get("/requests/<int:request_id>")
@staff_required
def show_request(request_id: int) -> str:
    help_request = db.get_or_404(HelpRequest, request_id)
    services.view_request(current_user, help_request)
    category_form = None
    if help_request.status in services.RECATEGORISABLE:
        category_form = CategoryForm(category_id=help_request.category_id,
                                     version=help_request.version)
    page = render_template(
        "staff/request_detail.html", help_request=help_request, form=ModerationForm(),
        allowed=ALLOWED[help_request.status], category_form=category_form,
    )
    # Saved before the page leaves, so nobody sees the personal data unlogged; after it is
    # made, so the commit does not send the page's rows to be read again.
    commit()
    return page


def _act(request_id: int, action: Callable[..., Any], success: str,
         form: ModerationForm | None = None) -> Response:
    """Run one moderation service on the request; on refusal flash why and change nothing.

    ``action(actor, request, reason, expected_version=...)``; a form with more fields
    (a subclass of :class:`ModerationForm`) can be passed and read by the action.
    """
    help_request = db.get_or_404(HelpRequest, request_id)
    form = form or ModerationForm()
    back = url_for("staff.show_request", request_id=request_id)
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return redirect(back, code=303)
    return perform(
        lambda: action(current_user, help_request, (form.reason.data or "").strip(),
                       expected_version=form.expected_version()),
        done=success, to=back,
    )


def _flash_form_errors(form: FlaskForm) -> None:
    for errors in form.errors.values():
        flash(" ".join(str(error) for error in errors), "error")


@blueprint.post("/requests/<int:request_id>/approve")
@staff_required
def approve_request(request_id: int) -> Response:
    return _act(request_id, services.approve_request, _("De aanvraag staat open."))


@blueprint.post("/requests/<int:request_id>/ask-info")
@staff_required
def ask_info(request_id: int) -> Response:
    return _act(request_id, services.ask_for_info, _("De vraag om informatie is verstuurd."))


@blueprint.post("/requests/<int:request_id>/reject")
@staff_required
def reject_request(request_id: int) -> Response:
    return _act(request_id, services.reject_request, _("De aanvraag is afgewezen."))


@blueprint.post("/requests/<int:request_id>/escalate")
@staff_required
def escalate_request(request_id: int) -> Response:
    return _act(request_id, services.escalate_request,
                _("De aanvraag is doorverwezen naar het Sociaal Plein."))


@blueprint.post("/requests/<int:request_id>/deescalate")
@staff_required
def deescalate_request(request_id: int) -> Response:
    return _act(request_id, services.deescalate_request,
                _("De aanvraag is terug en staat open."))


@blueprint.post("/requests/<int:request_id>/close")
@staff_required
def close_escalated(request_id: int) -> Response:
    return _act(request_id, services.close_escalated,
                _("De aanvraag is afgesloten: het Sociaal Plein helpt verder."))


@blueprint.post("/requests/<int:request_id>/category")
@staff_required
def change_category(request_id: int) -> Response:
    """Move the request to another kind of help; on refusal flash why, change nothing."""
    form = CategoryForm()

    def action(actor: Any, help_request: HelpRequest, note: str, **kwargs: Any) -> Any:
        category = db.session.get(Category, form.category_id.data or 0)
        return services.change_category(actor, help_request, category, note, **kwargs)

    return _act(request_id, action, _("De soort hulp is veranderd."), form)


@blueprint.post("/requests/<int:request_id>/cancel")
@staff_required
def cancel_request(request_id: int) -> Response:
    return _act(request_id, services.cancel_request, _("De aanvraag is ingetrokken."))


@blueprint.route("/intake", methods=["GET", "POST"])
@staff_required
def intake() -> str | Response | tuple[str, int]:
    form = IntakeForm()
    if form.validate_on_submit() and (entered := submit(
        lambda: services.desk_intake(
            current_user, form.resident_data(), form.to_data(),
            bool(form.consent.data), bool(form.approve_now.data),
        ),
        form,
        done=_("De aanvraag is vastgelegd."),
        to=lambda help_request: url_for("staff.show_request", request_id=help_request.id),
    )):
        return entered
    status = 400 if form.is_submitted() else 200
    return render_template("staff/intake.html", form=form), status


@blueprint.get("/volunteers")
@staff_required
def list_volunteers() -> str:
    neighbourhood_filter = _neighbourhood_filter()
    pending = params.choice_arg("pending", ("1",)) == "1"
    text = params.text_arg("q", search.QUERY_MAX)
    profiles = queries.volunteers_list(neighbourhood_filter["neighbourhood_id"], pending, text)
    return render_template(
        "staff/volunteers.html", profiles=profiles, pending=pending, q=text,
        total=queries.volunteer_count(), **neighbourhood_filter,
    )


@blueprint.get("/search")
@staff_required
def search_all() -> str:
    """One search box: requests by number, people by name, phone, postcode or e-mail."""
    text = params.text_arg("q", search.QUERY_MAX)
    return render_template("staff/search.html", q=text,
                           results=search.search(current_user, text))


@blueprint.get("/people/<int:user_id>")
@staff_required
def show_person(user_id: int) -> str:
    """A person's contact details and requests, as a coordinator needs them on the phone."""
    person = db.get_or_404(User, user_id)
    if not search.is_person(person):
        abort(404)
    services.view_person(current_user, person)
    commit()  # the audited view is saved even when the page is not read to the end
    return render_template("staff/person.html", person=person,
                           **queries.requests_of(person))



@blueprint.get("/volunteers/<int:profile_id>")
@staff_required
def show_volunteer(profile_id: int) -> str:
    profile = db.get_or_404(VolunteerProfile, profile_id)
    services.view_volunteer(current_user, profile)
    commit()  # the audited view is saved even when the page is not read to the end
    return render_template(
        "staff/volunteer_detail.html", profile=profile, vog_form=VogForm(),
        form=CsrfOnlyForm(),
    )


def _volunteer_act(profile_id: int, form: Any, action: Callable[[Any], Any],
                   success: str) -> Response:
    profile = db.get_or_404(VolunteerProfile, profile_id)
    back = url_for("staff.show_volunteer", profile_id=profile_id)
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return redirect(back, code=303)
    return perform(lambda: action(profile), done=success, to=back)


@blueprint.post("/volunteers/<int:profile_id>/vog")
@staff_required
def mark_vog(profile_id: int) -> Response:
    form = VogForm()
    return _volunteer_act(
        profile_id, form,
        lambda profile: services.mark_vog_valid(current_user, profile, form.vog_date.data),
        _("De VOG is vastgelegd."),
    )


@blueprint.post("/volunteers/<int:profile_id>/training")
@staff_required
def mark_training(profile_id: int) -> Response:
    return _volunteer_act(
        profile_id, CsrfOnlyForm(),
        lambda profile: services.mark_training_verified(current_user, profile),
        _("De training is gecontroleerd."),
    )


@blueprint.post("/volunteers/<int:profile_id>/verify")
@staff_required
def verify_volunteer(profile_id: int) -> Response:
    return _volunteer_act(
        profile_id, CsrfOnlyForm(),
        lambda profile: services.mark_verified(current_user, profile),
        _("De vrijwilliger is gecontroleerd."),
    )
