"""Views of the coordinators' side of matching: rounds, review, approve, lock, forbid.

The volunteers' and residents' views are in :mod:`marketplace.matches.views_people`, on the
same blueprint.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.matches import jobs, notifications, services
from marketplace.matches.forms import ActionForm, ApproveForm, ForbidForm, StartRoundForm
from marketplace.models import MatchingRound, RoundStatus
from marketplace.permissions import staff_required

blueprint = Blueprint("matches", __name__, url_prefix="/matches")


def _start_form() -> StartRoundForm:
    form = StartRoundForm()
    form.set_choices(services.list_neighbourhoods())
    return form


def _require_valid(form: ActionForm) -> None:
    if not form.validate_on_submit():
        abort(400)


@blueprint.get("/rounds")
@staff_required
def list_rounds() -> str:
    return render_template("matches/rounds.html", rounds=services.list_rounds(), form=_start_form())


@blueprint.post("/rounds")
@staff_required
def start_round() -> Response | tuple[str, int]:
    form = _start_form()
    if not form.validate_on_submit():
        return render_template("matches/rounds.html", rounds=services.list_rounds(), form=form), 400
    neighbourhood_id = int(form.neighbourhood.data) if form.neighbourhood.data else None
    matching_round = services.create_round(current_user, neighbourhood_id, bool(form.dry_run.data))
    db.session.commit()
    return _launch(matching_round)


def _launch(matching_round: MatchingRound) -> Response:
    if jobs.enqueue_round(matching_round):
        flash(_("De ronde is gestart. Deze pagina ververst vanzelf."), "info")
    return redirect(url_for("matches.show_round", round_id=matching_round.id), code=303)


def _round_page(matching_round: MatchingRound, **extra: Any) -> str:
    busy = matching_round.status in (RoundStatus.QUEUED, RoundStatus.RUNNING)
    matches = [] if busy else services.round_matches(matching_round)
    context: dict[str, Any] = {
        "round": matching_round,
        "busy": busy,
        "matches": matches,
        "unmatched": [] if busy else services.unmatched_requests(matching_round),
        "reason_label": services.reason_label,
        "term_labels": services.TERM_LABELS,
        "action_form": ActionForm(),
        "forbid_form": ForbidForm(),
        "approve_form": ApproveForm(),
        "waiting": [m for m in matches if m.status.value == "suggested"],
    }
    context.update(extra)
    return render_template("matches/round.html", **context)


@blueprint.get("/rounds/<int:round_id>")
@staff_required
def show_round(round_id: int) -> str:
    return _round_page(services.get_round(round_id))


@blueprint.post("/rounds/<int:round_id>/approve")
@staff_required
def approve_round(round_id: int) -> Response:
    matching_round = services.get_round(round_id)
    form = ApproveForm()
    form.match_ids.choices = [
        SelectChoice(m.id, str(m.id))
        for m in services.round_matches(matching_round)
    ]
    if not form.validate_on_submit():
        flash(_("Kies minstens één voorstel, of kies 'Alles goedkeuren'."), "error")
        return redirect(url_for("matches.show_round", round_id=round_id), code=303)
    chosen = None if form.approve_all.data else list(form.match_ids.data or [])
    if chosen is not None and not chosen:
        flash(_("Kies minstens één voorstel, of kies 'Alles goedkeuren'."), "error")
        return redirect(url_for("matches.show_round", round_id=round_id), code=303)
    approved = services.approve_matches(current_user, matching_round, chosen)
    db.session.commit()
    notifications.notify_proposed(approved)
    flash(
        _("%(count)d voorstel(len) naar de vrijwilligers gestuurd.", count=len(approved)),
        "success",
    )
    return redirect(url_for("matches.show_round", round_id=round_id), code=303)


@blueprint.post("/rounds/<int:round_id>/rerun")
@staff_required
def rerun_round(round_id: int) -> Response:
    old = services.get_round(round_id)
    _require_valid(ActionForm())
    matching_round = services.create_round(current_user, old.neighbourhood_id, dry_run=True)
    db.session.commit()
    return _launch(matching_round)


def _back_to_round(match: Any) -> Response:
    if match.round_id is None:
        return redirect(url_for("matches.list_rounds"), code=303)
    target = url_for("matches.show_round", round_id=match.round_id, _anchor=f"match-{match.id}")
    return redirect(target, code=303)


@blueprint.post("/<int:match_id>/lock")
@staff_required
def lock_match(match_id: int) -> Response:
    match = services.get_match(match_id)
    _require_valid(ActionForm())
    unlock = request.form.get("unlock") == "1"
    try:
        (services.unlock_match if unlock else services.lock_match)(current_user, match)
    except DomainError as error:
        flash(str(error.message), "error")
        return _back_to_round(match)
    db.session.commit()
    if unlock:
        flash(_("Koppeling losgemaakt."), "success")
    else:
        flash(_("Koppeling vastgezet: die blijft bij een nieuwe ronde."), "success")
    return _back_to_round(match)


@blueprint.post("/<int:match_id>/forbid")
@staff_required
def forbid_match(match_id: int) -> Response:
    match = services.get_match(match_id)
    form = ForbidForm()
    if not form.validate_on_submit():
        flash(_("De reden is te lang (hoogstens 200 tekens)."), "error")
        return _back_to_round(match)
    services.forbid_pair(current_user, match.help_request, match.volunteer, form.reason.data or "")
    db.session.commit()
    flash(_("Deze vrijwilliger wordt niet meer voor deze aanvraag voorgesteld."), "success")
    return _back_to_round(match)


# The volunteers' and residents' pages register themselves on the same blueprint.
from marketplace.matches import views_people  # noqa: E402, F401
