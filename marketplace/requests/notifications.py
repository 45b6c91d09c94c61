"""What the requests feature tells people: notifications written in the change's
transaction (see :func:`marketplace.notifications.notify`)."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from marketplace.models import HelpRequest, Match, Notification
from marketplace.notifications import notify
from marketplace.vocabulary import NotificationKind

K = NotificationKind
#: The request's changes its resident hears about.
STATUS_KINDS = frozenset({
    K.REQUEST_INFO_NEEDED, K.REQUEST_APPROVED, K.REQUEST_REJECTED, K.REQUEST_ESCALATED,
})
#: Those whose coordinator's note (the question, the reason) goes with it: the resident
#: sees that note on the request page too (an approval's note is internal).
WITH_NOTE = frozenset({K.REQUEST_INFO_NEEDED, K.REQUEST_REJECTED, K.REQUEST_ESCALATED})


def withdrawn(matches: Iterable[Match], helping: Collection[int]) -> int:
    """Tell each volunteer who was asked, or who helps (the ids in ``helping``: they had
    accepted), that the request was withdrawn and their help is no longer needed. Returns
    how many were told."""
    told = 0
    for match in matches:
        told += notify(
            match.volunteer, K.REQUEST_WITHDRAWN, key=f"request_withdrawn:match:{match.id}",
            help_request=match.help_request, match=match, title=match.help_request.title,
            helping=match.id in helping,
        ) is not None
    return told


def status_changed(help_request: HelpRequest, kind: NotificationKind) -> Notification | None:
    """Tell the resident that the coordinator asked something, approved, rejected or
    escalated their request (``kind``), with the coordinator's note. Call it after the
    change was flushed: the key holds the request's new version, so each change is told
    once and a second question later is told again."""
    if kind not in STATUS_KINDS:
        raise ValueError(f"not a request status notification: {kind}")
    return notify(
        help_request.requester, kind,
        key=f"{kind.value}:request:{help_request.id}:v{help_request.version}",
        help_request=help_request, title=help_request.title,
        note=help_request.status_note if kind in WITH_NOTE else "",
    )
