"""What the matches feature tells people: notifications written in the change's transaction.

:func:`marketplace.notifications.notify` decides per person how they hear it (the bell, an
e-mail after the commit to a confirmed address, the weekly e-mail, or the coordinator's
phone list) and makes each event happen once (its key).
"""

from __future__ import annotations

from collections.abc import Iterable

from marketplace.models import HelpRequest, Match, RequestSource, Role, User
from marketplace.notifications import notify
from marketplace.vocabulary import NotificationKind


def proposed(matches: Iterable[Match]) -> int:
    """Tell each volunteer about a new proposal. Returns how many were told."""
    told = 0
    for match in matches:
        told += notify(
            match.volunteer, NotificationKind.PROPOSAL_NEW, key=f"proposal_new:match:{match.id}",
            help_request=match.help_request, match=match, title=match.help_request.title,
        ) is not None
    return told


def consenting_referrer(help_request: HelpRequest) -> User | None:
    """The referrer who filed ``help_request``, when the resident consented at the referral
    (then the referrer hears how it goes, status only); else None."""
    referrer = help_request.created_by
    if (
        help_request.source != RequestSource.REFERRER
        or not help_request.consent_given
        or referrer is None
        or referrer.id == help_request.requester_id
        or not referrer.has_role(Role.REFERRER)
    ):
        return None
    return referrer


def _tell_both(match: Match, kind: NotificationKind) -> bool:
    """Tell the resident (with a link to the match or request) and a consenting referrer
    (the status only). Returns whether the resident was told."""
    help_request = match.help_request
    title = help_request.title
    told = notify(
        help_request.requester, kind, key=f"{kind.value}:match:{match.id}",
        help_request=help_request, match=match, title=title,
    ) is not None
    referrer = consenting_referrer(help_request)
    if referrer is not None:
        notify(referrer, kind, key=f"{kind.value}:match:{match.id}:referrer",
               help_request=help_request, title=title, for_referrer=True)
    return told


def accepted(match: Match) -> bool:
    """Tell the resident that a volunteer will help (a link, not the details), and the
    referrer who filed the request if the resident consented."""
    return _tell_both(match, NotificationKind.MATCH_ACCEPTED)


def declined(match: Match) -> bool:
    """Tell the resident (and a consenting referrer) that the volunteer asked could not
    help and another is being looked for."""
    return _tell_both(match, NotificationKind.MATCH_DECLINED)
