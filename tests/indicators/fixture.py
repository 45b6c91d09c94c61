"""A small world whose indicators were counted by hand (see test_figures.py for the counts).

Period of interest: 2026-H1 (1 January to 30 June, Amsterdam time: 2025-12-31 23:00 UTC to
2026-06-30 22:00 UTC). Centrum has 8 requests in it, Oost 2; one request just after and one
just before lie outside.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from marketplace.extensions import db
from marketplace.models import (
    Feedback,
    HelpRequest,
    HelpSession,
    Match,
    MatchingRound,
    MatchStatus,
    MatchTransition,
    RequestSource,
    RequestStatus,
    RequestTransition,
    RoundStatus,
    User,
)
from tests import factories


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


#: Created at (UTC), source, hours to the match (None: never matched), status now.
CENTRUM = [
    (utc(2025, 12, 31, 23, 0), RequestSource.ONLINE, 24, RequestStatus.MATCHED),  # 1 Jan 00:00
    (utc(2026, 2, 10, 9, 0), RequestSource.ONLINE, 24, RequestStatus.DONE),
    (utc(2026, 3, 5, 9, 0), RequestSource.ONLINE, 48, RequestStatus.DONE),
    (utc(2026, 3, 20, 9, 0), RequestSource.ONLINE, 72, RequestStatus.MATCHED),
    (utc(2026, 4, 2, 9, 0), RequestSource.ONLINE, 100, RequestStatus.MATCHED),
    (utc(2026, 5, 2, 9, 0), RequestSource.DESK, 200, RequestStatus.MATCHED),
    (utc(2026, 5, 20, 9, 0), RequestSource.ONLINE, None, RequestStatus.OPEN),
    (utc(2026, 6, 30, 21, 59), RequestSource.DESK, None, RequestStatus.ESCALATED),  # 23:59
]
OUTSIDE = [utc(2026, 6, 30, 22, 0), utc(2025, 12, 31, 22, 59)]  # 1 Jul 00:00, 31 Dec 23:59


def _request(created: datetime, source: RequestSource, status: RequestStatus,
             pc4: str, category: str, neighbourhood: Any) -> HelpRequest:
    item = factories.help_request(status=status, category_slug=category, pc4=pc4,
                                  neighbourhood=neighbourhood, source=source)
    item.created_at = created
    return item


def _match(item: HelpRequest, volunteer: User, accepted: datetime | None,
           status: MatchStatus = MatchStatus.ACCEPTED, hours: float | None = None) -> Match:
    match = Match(help_request_id=item.id, volunteer_id=volunteer.id, status=status,
                  proposed_at=(accepted or item.created_at) - timedelta(hours=1), hours=hours)
    db.session.add(match)
    db.session.flush()
    if accepted is not None:
        db.session.add(MatchTransition(match_id=match.id, from_status=MatchStatus.PROPOSED,
                                       to_status=MatchStatus.ACCEPTED, at=accepted))
    return match


def _volunteer(created: datetime) -> User:
    account = factories.volunteer()
    account.volunteer_profile.created_at = created
    return account


def build() -> dict[str, Any]:
    """Create the world; returns the objects the tests name."""
    centrum, oost = factories.neighbourhood("Centrum"), factories.neighbourhood("Oost")
    centrum.population, centrum.cbs_code = 700, "WK040201"
    requests = [_request(created, source, status, "1211", "boodschappen", centrum)
                for created, source, _hours, status in CENTRUM]
    oost_requests = [_request(utc(2026, 4, 10, 9, 0), RequestSource.REFERRER,
                              RequestStatus.OPEN, "1212", "klusjes", oost) for _ in range(2)]
    for created in OUTSIDE:
        _request(created, RequestSource.ONLINE, RequestStatus.OPEN, "1211", "boodschappen",
                 centrum)
    # Volunteers 0-4 signed up in H1, 5 and 6 in 2025; all live in Centrum.
    volunteers = [_volunteer(utc(2026, 1, 15 + n, 9, 0)) for n in range(5)]
    volunteers += [_volunteer(utc(2025, 3, 1, 9, 0)) for _ in range(2)]
    matches = _matches(requests, volunteers)
    _moves(requests)
    _rounds(requests, oost_requests)
    _feedback(matches, volunteers)
    db.session.flush()
    return {"centrum": centrum, "oost": oost, "requests": requests, "matches": matches}


def _matches(requests: list[HelpRequest], volunteers: list[User]) -> list[Match]:
    matches = []
    for index, (created, _source, hours, _status) in enumerate(CENTRUM):
        if hours is None:
            continue
        accepted = created + timedelta(hours=hours)
        requests[index].matched_at = accepted
        matches.append(_match(requests[index], volunteers[index], accepted))
    # Two one-off helps completed in H1 (2 and 3.5 hours), one recurring with visits.
    for match, hours, done in ((matches[1], 2.0, utc(2026, 2, 20, 12)),
                               (matches[2], 3.5, utc(2026, 3, 12, 12))):
        match.status, match.hours = MatchStatus.COMPLETED, hours
        db.session.add(MatchTransition(match_id=match.id, from_status=MatchStatus.ACCEPTED,
                                       to_status=MatchStatus.COMPLETED, at=done))
    for day, hours in ((date(2026, 4, 10), 1.5), (date(2026, 6, 30), 1.5),
                       (date(2026, 7, 1), 4.0)):
        db.session.add(HelpSession(match_id=matches[3].id, day=day, hours=hours))
    # A proposal in H1 that the volunteer declined (proposed, never accepted).
    _match(requests[6], volunteers[6], None, MatchStatus.DECLINED)
    # Volunteer 6 helped in H2 2025 only (stopped); volunteer 0 too, but is active again.
    earlier = _request(utc(2025, 9, 1, 9), RequestSource.ONLINE, RequestStatus.DONE, "1211",
                       "boodschappen", requests[0].neighbourhood)
    _match(earlier, volunteers[6], utc(2025, 9, 3, 9))
    _match(earlier, volunteers[0], utc(2025, 9, 4, 9), MatchStatus.CANCELLED)
    return matches


def _moves(requests: list[HelpRequest]) -> None:
    """Request 7 escalated on 30 June; request 6 escalated in May and came back."""
    for item, to_status, from_status, at in (
        (requests[7], RequestStatus.ESCALATED, RequestStatus.SUBMITTED, utc(2026, 6, 30, 21, 59)),
        (requests[6], RequestStatus.ESCALATED, RequestStatus.SUBMITTED, utc(2026, 5, 21, 9)),
        (requests[6], RequestStatus.OPEN, RequestStatus.ESCALATED, utc(2026, 5, 22, 9)),
    ):
        db.session.add(RequestTransition(help_request_id=item.id, from_status=from_status,
                                         to_status=to_status, at=at))


def _rounds(requests: list[HelpRequest], oost_requests: list[HelpRequest]) -> None:
    """Two real rounds in H1 (the later one's reason counts) and a dry run (ignored)."""
    for finished, dry_run, unmatched in (
        (utc(2026, 5, 21, 8), False, {str(requests[6].id): "no_volunteer_in_range",
                                      str(oost_requests[0].id): "requires_vog"}),
        (utc(2026, 5, 28, 8), False, {str(requests[6].id): "volunteers_taken"}),
        (utc(2026, 5, 29, 8), True, {str(oost_requests[1].id): "paused"}),
    ):
        db.session.add(MatchingRound(dry_run=dry_run, status=RoundStatus.DONE,
                                     finished_at=finished, unmatched=unmatched))


def _feedback(matches: list[Match], volunteers: list[User]) -> None:
    """Residents rated five matches (4, 4, 5, 3, 4: average 4.0); volunteers two (5, 3)."""
    for match, rating in zip(matches, (4, 4, 5, 3, 4), strict=False):
        requester_id = db.session.get(HelpRequest, match.help_request_id).requester_id
        db.session.add(Feedback(match_id=match.id, author_id=requester_id, rating=rating,
                                comment="Fijn geholpen.", created_at=utc(2026, 6, 1, 9)))
    for match, rating in ((matches[0], 5), (matches[1], 3)):
        db.session.add(Feedback(match_id=match.id, author_id=match.volunteer_id, rating=rating,
                                created_at=utc(2026, 6, 2, 9)))
