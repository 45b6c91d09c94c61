"""Views for volunteers and residents: my matches, open requests, the match page and its
actions (accept, decline, pick, confirm done, log a visit, stop, feedback).

The coordinators' rounds are :mod:`marketplace.rounds.views`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from marketplace import access
from marketplace.access import volunteer_required
from marketplace.aftercare import services as aftercare
from marketplace.errors import NotFound
from marketplace.extensions import db
from marketplace.fields import CsrfOnlyForm
from marketplace.i18n import gettext as _
from marketplace.matches import browsing, calendar, recurring, services
from marketplace.matches.forms import (
    CancelMatchForm,
    ConfirmDoneForm,
    DeclineForm,
    EndHelpForm,
    FeedbackForm,
    NotGivenForm,
    SessionForm,
)
from marketplace.models import HelpRequest, Match
from marketplace.transaction import perform

blueprint = Blueprint("matches", __name__, url_prefix="/matches")


@blueprint.get("/mine")
@volunteer_required
def my_matches() -> str:
    return render_template(
        "matches/mine.html",
        groups=browsing.my_matches(current_user),
        action_form=CsrfOnlyForm(),
        decline_form=DeclineForm(),
    )


@blueprint.get("/open")
@volunteer_required
def open_requests() -> str:
    shown = request.args.get("toon", browsing.PAGE_SIZE, type=int) or browsing.PAGE_SIZE
    page = browsing.open_page(current_user, min(max(shown, browsing.PAGE_SIZE),
                                                browsing.MAX_SHOWN))
    return render_template(
        "matches/open.html",
        items=page.items,
        page=page,
        more_url=url_for("matches.open_requests", toon=len(page.items) + browsing.PAGE_SIZE,
                         _anchor=f"aanvraag-{len(page.items) + 1}"),
        has_profile=current_user.volunteer_profile is not None,
        action_form=CsrfOnlyForm(),
    )


@blueprint.post("/open/<int:request_id>/pick")
@volunteer_required
def pick_request(request_id: int) -> Response:
    help_request = db.session.get(HelpRequest, request_id)
    if help_request is None:
        abort(404)
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    return perform(
        lambda: services.pick_request(current_user, help_request),
        done=_("Dank u wel! U helpt nu bij deze aanvraag."),
        to=lambda match: url_for("matches.show_match", match_id=match.id),
        refused_to=url_for("matches.open_requests"),
    )


def _match_page(match: Match, status: int = 200, **forms: Any) -> tuple[str, int]:
    user = current_user._get_current_object()
    context: dict[str, Any] = {
        "match": match,
        "help_request": match.help_request,
        "is_volunteer": user.id == match.volunteer_id,
        "is_resident": user.id == match.help_request.requester_id,
        "show_contacts": access.contact_details_visible(user, match),
        "contact": access.contact_for(user, match),
        "my_feedback": services.feedback_by(user, match),
        "done_from": services.confirm_done_from(match),
        "can_cancel": access.can_cancel_match(user, match),
        "has_appointments": calendar.has_appointments(match),
        "action_form": CsrfOnlyForm(),
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "done_form": forms.get("done_form") or ConfirmDoneForm(),
        "feedback_form": forms.get("feedback_form") or FeedbackForm(),
        "session_form": forms.get("session_form") or SessionForm(),
        "end_form": forms.get("end_form") or EndHelpForm(),
    }
    return render_template("matches/detail.html", **context), status


def _visible(match_id: int) -> Match:
    try:
        return services.visible_match(current_user, match_id)
    except NotFound:
        abort(404)


def _page_of(match: Match) -> str:
    return url_for("matches.show_match", match_id=match.id)


@blueprint.get("/<int:match_id>")
@login_required
def show_match(match_id: int) -> tuple[str, int]:
    return _match_page(_visible(match_id))


@blueprint.get("/<int:match_id>/agenda.ics")
@login_required
def download_calendar(match_id: int) -> Response:
    """The match's appointments as an .ics file for one's own calendar app."""
    match = _visible(match_id)
    if not calendar.has_appointments(match):
        abort(404)
    return Response(
        calendar.calendar_for(current_user, [match]),
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'attachment; filename="hulppunt-afspraak-{match.id}.ics"',
            "Cache-Control": "private, no-store",  # it may carry the resident's address
        },
    )


@blueprint.post("/<int:match_id>/accept")
@volunteer_required
def accept_match(match_id: int) -> Response:
    match = _visible(match_id)
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    return perform(
        lambda: services.accept_match(current_user, match),
        done=_("Dank u wel! U ziet nu de gegevens om contact op te nemen."),
        to=_page_of(match),
    )


@blueprint.post("/<int:match_id>/decline")
@volunteer_required
def decline_match(match_id: int) -> Response | tuple[str, int]:
    match = _visible(match_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        return _match_page(match, 400, decline_form=form)
    return perform(
        lambda: services.decline_match(current_user, match, form.reason.data or ""),
        done=_("U heeft nee gezegd. Het Hulppunt zoekt iemand anders."),
        to=url_for("matches.my_matches"),
        refused_to=_page_of(match),
    )


def _form_action(match_id: int, form: FlaskForm, key: str,
                 act: Callable[[Match, Any], object], success: str) -> Response | tuple[str, int]:
    """A form on the match page: 400 with the errors shown, or ``act(match, form)`` through
    :func:`~marketplace.transaction.perform`."""
    match = _visible(match_id)
    if not form.validate_on_submit():
        return _match_page(match, 400, **{key: form})
    return perform(lambda: act(match, form), done=success, to=_page_of(match))


def _hours(form: ConfirmDoneForm | SessionForm) -> float | None:
    return float(form.hours.data) if form.hours.data is not None else None


@blueprint.post("/<int:match_id>/done")
@login_required
def confirm_done(match_id: int) -> Response | tuple[str, int]:
    return _form_action(
        match_id, ConfirmDoneForm(), "done_form",
        lambda match, form: services.confirm_done(current_user, match, _hours(form)),
        _("Bedankt! U heeft gemeld dat de hulp is gegeven."))


@blueprint.post("/<int:match_id>/sessions")
@login_required
def log_session(match_id: int) -> Response | tuple[str, int]:
    return _form_action(
        match_id, SessionForm(), "session_form",
        lambda match, form: recurring.log_session(current_user, match, form.day.data,
                                                  _hours(form)),
        _("Genoteerd. Dank u wel voor uw hulp!"))


@blueprint.post("/<int:match_id>/stop")
@login_required
def end_help(match_id: int) -> Response | tuple[str, int]:
    return _form_action(
        match_id, EndHelpForm(), "end_form",
        lambda match, form: recurring.end_help(current_user, match, form.reason.data or ""),
        _("De hulp is gestopt. Dank u wel voor alles!"))


@blueprint.post("/<int:match_id>/feedback")
@login_required
def leave_feedback(match_id: int) -> Response | tuple[str, int]:
    return _form_action(
        match_id, FeedbackForm(), "feedback_form",
        lambda match, form: services.leave_feedback(current_user, match, form.rating.data,
                                                    form.comment.data or ""),
        _("Bedankt voor uw beoordeling."))


@blueprint.route("/<int:match_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel_match(match_id: int) -> str | Response | tuple[str, int]:
    """Call accepted help off, after a page that says what happens then."""
    match = _visible(match_id)
    if not access.can_cancel_match(current_user, match):
        flash(_("Deze hulp kunt u niet (meer) afzeggen."), "error")
        return redirect(_page_of(match), code=303)
    form = CancelMatchForm()
    if form.validate_on_submit():
        return perform(
            lambda: services.cancel_match(current_user, match, form.reason.data or ""),
            done=_("De hulp is afgezegd. Wij laten het de anderen weten."),
            to=_page_of(match),
        )
    status = 400 if form.is_submitted() else 200
    context = {"match": match, "help_request": match.help_request, "form": form,
               "is_volunteer": current_user.id == match.volunteer_id,
               "today": services.cancels_on_the_day(match)}
    return render_template("matches/cancel.html", **context), status


@blueprint.post("/<int:match_id>/not-given")
@login_required
def report_not_given(match_id: int) -> Response:
    """Aftercare: one side says the help did not happen; the coordinator gets a task."""
    match = _visible(match_id)
    form = NotGivenForm()
    if not form.validate_on_submit():
        for error in form.not_given_reason.errors or [_("Probeer het nog eens.")]:
            flash(str(error), "error")
        return redirect(_page_of(match) + "#not-given", code=303)
    return perform(
        lambda: aftercare.report_not_given(current_user, match, form.not_given_reason.data or ""),
        done=_("Dank u wel. De coördinator neemt contact met u op."),
        to=_page_of(match),
    )


# Template globals for the partial ``matches/_for_request.html`` (used on the request page).
blueprint.add_app_template_global(services.matches_for_request, "matches_for_request")
blueprint.add_app_template_global(access.contact_details_visible, "contact_details_visible")
blueprint.add_app_template_global(access.contact_for, "contact_for")
blueprint.add_app_template_global(aftercare.not_given_from, "not_given_from")
blueprint.add_app_template_global(NotGivenForm, "not_given_form")
