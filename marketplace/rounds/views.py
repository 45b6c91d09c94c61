"""Views of matching rounds (coordinators): start, review, approve, lock, forbid.

URLs stay under ``/matches`` (``/matches/rounds/...``, and ``/matches/<id>/lock|forbid`` for a
suggestion), beside the participants' match pages of :mod:`marketplace.matches.views`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from marketplace import access, outbox
from marketplace.access import staff_required
from marketplace.fields import CsrfOnlyForm
from marketplace.i18n import gettext as _
from marketplace.i18n import ngettext
from marketplace.models import Match, MatchingRound, RoundStatus
from marketplace.organisations import rounds as organisation_rounds
from marketplace.rounds import explain, region_rounds, services
from marketplace.rounds.forms import ApproveForm, ForbidForm, RegionRoundForm, StartRoundForm
from marketplace.transaction import commit, perform

blueprint = Blueprint("rounds", __name__, url_prefix="/matches")
#: The region form shares the list page with the normal one: its fields get their own ids.
REGION_PREFIX = "region"

def _start_form() -> StartRoundForm:
    form = StartRoundForm()
    form.set_choices(services.list_neighbourhoods())
    return form


def _require_valid(form: CsrfOnlyForm) -> None:
    if not form.validate_on_submit():
        abort(400)


def _list_page(form: StartRoundForm, status: int = 200,
               region_form: RegionRoundForm | None = None) -> tuple[str, int]:
    region_form = region_form or RegionRoundForm(formdata=None, prefix=REGION_PREFIX)
    if not access.can_start_region_round(current_user):
        region_form = None
    return render_template("rounds/list.html", rounds=services.list_rounds(), form=form,
                           region_form=region_form), status


@blueprint.get("/rounds")
@staff_required
def list_rounds() -> tuple[str, int]:
    return _list_page(_start_form())


@blueprint.post("/rounds")
@staff_required
def start_round() -> Response | tuple[str, int]:
    form = _start_form()
    if not form.validate_on_submit():
        return _list_page(form, 400)
    neighbourhood_id = int(form.neighbourhood.data) if form.neighbourhood.data else None
    matching_round = services.create_round(current_user, neighbourhood_id, bool(form.dry_run.data))
    commit()
    return _launched(matching_round.id)


@blueprint.post("/rounds/region")
@staff_required
def start_region_round() -> Response | tuple[str, int]:
    if not access.can_start_region_round(current_user):
        abort(403)
    form = RegionRoundForm(prefix=REGION_PREFIX)
    if not form.validate_on_submit():
        return _list_page(_start_form(), 400, region_form=form)
    matching_round = region_rounds.create_region_round(current_user, bool(form.dry_run.data))
    commit()
    return _launched(matching_round.id)


def _launched(round_id: int) -> Response:
    """After the commit: the round page (it says itself when a round waits for the queue)."""
    matching_round = services.get_round(round_id)
    busy = matching_round.status in (RoundStatus.QUEUED, RoundStatus.RUNNING)
    if busy and not services.waits_for_queue(matching_round):
        flash(_("De ronde is gestart. Deze pagina ververst vanzelf."), "info")
    return redirect(url_for("rounds.show_round", round_id=round_id), code=303)


def _round_page(matching_round: MatchingRound, **extra: Any) -> str:
    busy = matching_round.status in (RoundStatus.QUEUED, RoundStatus.RUNNING)
    matches = [] if busy else services.round_matches(matching_round)
    proposals = [] if busy else organisation_rounds.proposals(matching_round)
    context: dict[str, Any] = {
        "round": matching_round,
        "busy": busy,
        "waits_for_queue": busy and services.waits_for_queue(matching_round),
        "matches": matches,
        "unmatched": [] if busy else services.unmatched_requests(matching_round),
        "reason_label": services.reason_label,
        "term_labels": explain.TERM_LABELS,
        "reasons": {m.id: explain.for_match(m) for m in matches},
        "action_form": CsrfOnlyForm(),
        "forbid_form": ForbidForm(),
        "approve_form": ApproveForm(),
        "waiting": [m for m in matches if m.status.value == "suggested"],
        "organisation_proposals": proposals,
        "organisations_waiting": [p for p in proposals if p.routable],
    }
    context.update(_region_context(matching_round, busy))
    context.update(extra)
    return render_template("rounds/round.html", **context)


def _region_context(matching_round: MatchingRound, busy: bool) -> dict[str, Any]:
    """A region round's shards: live from Redis while it runs or when it failed (None:
    unknown right now), as stored with it once it is done."""
    if not region_rounds.is_region(matching_round):
        return {"region": None}
    live = busy or matching_round.status == RoundStatus.FAILED  # which part failed
    shards = (region_rounds.live_shards(matching_round) if live
              else region_rounds.stored_shards(matching_round))
    return {"region": matching_round.stats.get("region", {}), "shards": shards}


@blueprint.get("/rounds/<int:round_id>")
@staff_required
def show_round(round_id: int) -> str:
    matching_round = services.get_round(round_id)
    if matching_round.status == RoundStatus.QUEUED:
        # Work left behind while Redis was away is handed out again once it is back.
        outbox.kick()
    return _round_page(matching_round)


@blueprint.post("/rounds/<int:round_id>/approve")
@staff_required
def approve_round(round_id: int) -> Response:
    matching_round = services.get_round(round_id)
    form = ApproveForm()
    form.match_ids.choices = [
        SelectChoice(m.id, str(m.id)) for m in services.round_matches(matching_round)
    ]
    form.organisation_request_ids.choices = [
        SelectChoice(p.help_request.id, str(p.help_request.id))
        for p in organisation_rounds.proposals(matching_round)
    ]
    chosen = None if form.approve_all.data else list(form.match_ids.data or [])
    chosen_requests = list(form.organisation_request_ids.data or [])
    back = url_for("rounds.show_round", round_id=round_id)
    if not form.validate_on_submit() or (chosen is not None and not chosen
                                         and not chosen_requests):
        flash(_("Kies minstens één voorstel, of kies 'Alles goedkeuren'."), "error")
        return redirect(back, code=303)
    return perform(
        lambda: services.approve_round(current_user, matching_round, chosen, chosen_requests),
        done=_approved_words,
        to=back,
    )


def _approved_words(approval: services.Approval) -> str:
    words = []
    if approval.matches or not approval.referrals:
        words.append(_("%(count)d voorstel(len) naar de vrijwilligers gestuurd.",
                       count=len(approval.matches)))
    if approval.referrals:
        words.append(ngettext("%(num)d aanvraag naar een partnerorganisatie gestuurd.",
                              "%(num)d aanvragen naar een partnerorganisatie gestuurd.",
                              len(approval.referrals)))
    return " ".join(words)


@blueprint.post("/rounds/<int:round_id>/rerun")
@staff_required
def rerun_round(round_id: int) -> Response:
    old = services.get_round(round_id)
    _require_valid(CsrfOnlyForm())
    if region_rounds.is_region(old) and access.can_start_region_round(current_user):
        matching_round = region_rounds.create_region_round(
            current_user, True, region_rounds.shard_count(old), old.neighbourhood_id)
    else:
        matching_round = services.create_round(current_user, old.neighbourhood_id, dry_run=True)
    commit()
    return _launched(matching_round.id)


def _back_to_round(match: Match) -> str:
    if match.round_id is None:
        return url_for("rounds.list_rounds")
    return url_for("rounds.show_round", round_id=match.round_id, _anchor=f"match-{match.id}")


@blueprint.post("/<int:match_id>/lock")
@staff_required
def lock_match(match_id: int) -> Response:
    match = services.get_match(match_id)
    _require_valid(CsrfOnlyForm())
    if request.form.get("unlock") == "1":
        return perform(lambda: services.unlock_match(current_user, match),
                       done=_("Koppeling losgemaakt."), to=_back_to_round(match))
    return perform(lambda: services.lock_match(current_user, match),
                   done=_("Koppeling vastgezet: die blijft bij een nieuwe ronde."),
                   to=_back_to_round(match))


@blueprint.post("/<int:match_id>/forbid")
@staff_required
def forbid_match(match_id: int) -> Response:
    match = services.get_match(match_id)
    form = ForbidForm()
    if not form.validate_on_submit():
        flash(_("De reden is te lang (hoogstens 200 tekens)."), "error")
        return redirect(_back_to_round(match), code=303)
    return perform(
        lambda: services.forbid_pair(current_user, match.help_request, match.volunteer,
                                     form.reason.data or ""),
        done=_("Deze vrijwilliger wordt niet meer voor deze aanvraag voorgesteld."),
        to=_back_to_round(match),
    )
