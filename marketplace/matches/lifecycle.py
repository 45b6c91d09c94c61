"""The life of a match as an explicit state machine.

    (new) -> suggested -> proposed -> accepted -> completed
    (new) -> accepted                              (a volunteer picked the request)
    proposed -> declined | expired;  accepted -> cancelled;  withdrawn on the side.

A round *suggests* a pair; a coordinator's approval (or a real round) *proposes* it to the
volunteer, who *accepts* or *declines*; accepted help is *completed* when both sides confirm
or one of them ends recurring help. A proposal the volunteer leaves unanswered for too long
*expires* (``PROPOSAL_EXPIRES_AFTER_HOURS``, see :mod:`marketplace.notifications.schedule`);
accepted help that either side calls off, also on the day itself, is *cancelled*. A
declined, expired or cancelled pair is never proposed again for that request
(:mod:`marketplace.matches.pair_rules`). A pair is *withdrawn* when it is superseded by a newer
round, forbidden by a coordinator, taken by somebody else, or its request left the
marketplace.

This module is the only code that assigns ``Match.status``. :func:`transition` checks first
and changes nothing when the move is illegal, and records who moved it, when and why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from marketplace.errors import InvalidTransition
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.matches import bulk_write, invitations
from marketplace.models import Match, MatchStatus, MatchTransition, User, utcnow
from marketplace.vocabulary import MATCH_STATUS_LABELS

S = MatchStatus

#: Where a match may be created: by a round (suggested) or picked by a volunteer (accepted).
INITIAL = frozenset({S.SUGGESTED, S.ACCEPTED})

ALLOWED: dict[MatchStatus, frozenset[MatchStatus]] = {
    S.SUGGESTED: frozenset({S.PROPOSED, S.WITHDRAWN}),
    S.PROPOSED: frozenset({S.ACCEPTED, S.DECLINED, S.EXPIRED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.COMPLETED, S.CANCELLED, S.WITHDRAWN}),
    S.DECLINED: frozenset(),
    S.EXPIRED: frozenset(),
    S.CANCELLED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.COMPLETED: frozenset(),
}

#: Still in play for its request: withdrawn when the request leaves the marketplace.
IN_PLAY = frozenset({S.SUGGESTED, S.PROPOSED, S.ACCEPTED})
#: Uses up one unit of the volunteer's capacity.
HOLDS_CAPACITY = frozenset({S.PROPOSED, S.ACCEPTED})
#: What the resident and the volunteer see of their matches.
SHOWN_TO_PARTIES = frozenset({S.PROPOSED, S.ACCEPTED, S.COMPLETED, S.CANCELLED})
#: The pair ended without help for this request: never proposed again for it.
ENDS_PAIR = frozenset({S.DECLINED, S.EXPIRED, S.CANCELLED})
#: The volunteer said yes: contact details are shared, feedback can be given.
AFTER_ACCEPT = frozenset({S.ACCEPTED, S.COMPLETED})
#: The move that answers a proposal (sets ``decided_at`` once).
_DECIDES = frozenset({S.ACCEPTED, S.DECLINED, S.EXPIRED, S.WITHDRAWN})


def can_transition(match: Match, to_status: MatchStatus) -> bool:
    return to_status in ALLOWED[match.status]


def create(
    help_request_id: int,
    volunteer_id: int,
    status: MatchStatus,
    actor: User | None,
    note: str = "",
) -> Match:
    """A new pairing in ``status``: suggested by a round, or accepted when a volunteer picked
    the request. Raises :class:`InvalidTransition` for any other first state.

    The caller sets the pairing's other fields (distance, explanation, round) and commits.
    """
    if status not in INITIAL:
        raise InvalidTransition(_l("Een koppeling begint als voorstel of als gekozen hulp."))
    now = utcnow()
    match = Match(help_request_id=help_request_id, volunteer_id=volunteer_id, status=status)
    if status == S.ACCEPTED:
        match.proposed_at = now
        match.decided_at = now
    db.session.add(match)
    _record(match, None, status, actor, note, now)
    return match


def transition(
    match: Match,
    to_status: MatchStatus,
    actor: User | None,
    note: str = "",
    at: datetime | None = None,
) -> None:
    """Move ``match`` to ``to_status`` and record who did it, when (``at``, default now) and
    why.

    Raises :class:`InvalidTransition` (and changes nothing) when the move is not allowed from
    the current state. Sets ``proposed_at`` on proposal and ``decided_at`` when a proposal is
    answered or ends; unlocks any move out of *suggested*. The caller commits.
    """
    from_status = match.status
    if to_status not in ALLOWED[from_status]:
        raise InvalidTransition(
            _l(
                "Deze koppeling kan niet van '%(current)s' naar '%(target)s'.",
                current=MATCH_STATUS_LABELS[from_status],
                target=MATCH_STATUS_LABELS[to_status],
            )
        )
    now = at or utcnow()
    match.status = to_status
    match.locked = False
    if to_status == S.PROPOSED:
        match.proposed_at = now
    if to_status in _DECIDES and match.decided_at is None:
        match.decided_at = now
    _record(match, from_status, to_status, actor, note, now)
    invitations.after_move(match, from_status, to_status)


def withdraw(match: Match, actor: User | None, note: str) -> None:
    """Withdraw a pairing that is still in play (the one way every "withdraw" goes)."""
    transition(match, S.WITHDRAWN, actor, note)


def expire(match: Match, at: datetime) -> None:
    """The volunteer did not answer the proposal in time (the system moves it, at ``at``)."""
    transition(match, S.EXPIRED, None, "niet op tijd beantwoord", at)


def cancel(match: Match, actor: User | None, note: str, at: datetime | None = None) -> None:
    """Accepted help is called off by one side (``note``: who, and their reason)."""
    transition(match, S.CANCELLED, actor, note, at)


def withdraw_all(matches: Iterable[Match], actor: User | None, note: str) -> int:
    """Withdraw each of ``matches`` that is still in play. Returns how many."""
    count = 0
    for match in matches:
        if match.status in IN_PLAY:
            withdraw(match, actor, note)
            count += 1
    return count


def in_play_for(help_request_id: int, statuses: Iterable[MatchStatus] = IN_PLAY) -> list[Match]:
    """The request's pairings in one of ``statuses`` (default: all still in play)."""
    query = sa.select(Match).where(
        Match.help_request_id == help_request_id, Match.status.in_(list(statuses))
    )
    return list(db.session.scalars(query).unique())


def _record(
    match: Match,
    from_status: MatchStatus | None,
    to_status: MatchStatus,
    actor: User | None,
    note: str,
    at: datetime,
) -> None:
    record = MatchTransition(
        from_status=from_status,
        to_status=to_status,
        actor_id=actor.id if actor is not None else None,
        note=(note or "").strip()[:500],
        at=at,
    )
    # By id when the match is stored: appending to ``match.transitions`` would load that
    # list for every match a round withdraws.
    if match.id is None:
        record.match = match
    else:
        record.match_id = match.id
    db.session.add(record)



def withdraw_suggestions(match_ids: Sequence[int], actor: User | None, note: str) -> int:
    """:func:`withdraw` for many suggestions at once (a round superseding older ones): one
    ``update`` and one ``insert`` of the history (per chunk of ids off PostgreSQL), with the
    same changes and history rows as one :func:`withdraw` per match. Ids that are no longer
    suggestions are left alone. Returns how many were withdrawn; the caller commits."""
    now, done = utcnow(), 0
    for condition in bulk_write.id_conditions(Match.id, match_ids):
        statement = (
            sa.update(Match)
            .where(condition, Match.status == S.SUGGESTED)
            .values(status=S.WITHDRAWN, locked=False,
                    decided_at=sa.func.coalesce(Match.decided_at, now))
            .returning(Match.id)
        )
        withdrawn = [int(i) for i in db.session.scalars(
            statement, execution_options={"synchronize_session": "fetch"}
        )]
        _record_many(withdrawn, S.SUGGESTED, S.WITHDRAWN, actor, note, now)
        done += len(withdrawn)
    return done


def create_suggestions(rows: Sequence[dict[str, Any]], actor: User | None, note: str) -> list[int]:
    """:func:`create` in *suggested* for many pairs at once (a round's suggestions): each of
    ``rows`` holds the match's columns (``help_request_id``, ``volunteer_id`` and the round's
    fields); inserted in chunks with their history rows. Returns the new ids in the order of
    ``rows``; the caller commits."""
    now = utcnow()
    ids = bulk_write.insert_rows(
        Match.__table__, [{**row, "status": S.SUGGESTED} for row in rows], ids=True
    )
    _record_many(ids, None, S.SUGGESTED, actor, note, now)
    return ids


def _record_many(
    match_ids: Sequence[int],
    from_status: MatchStatus | None,
    to_status: MatchStatus,
    actor: User | None,
    note: str,
    at: datetime,
) -> None:
    """:func:`_record` for many matches in one statement."""
    if not match_ids:
        return
    common = {
        "from_status": from_status, "to_status": to_status,
        "actor_id": actor.id if actor is not None else None,
        "note": (note or "").strip()[:500], "at": at,
    }
    bulk_write.insert_rows(
        MatchTransition.__table__, [{"match_id": match_id, **common} for match_id in match_ids]
    )
