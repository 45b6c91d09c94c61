"""Report back to the referrer: the step of what they filed, in plain words, and a
notification at each step, only when the resident consented (``consenting_referrer``).

The referrer never hears the volunteer's name or contact details from here: only that a
volunteer was found. "Volunteer found" itself is told by the match's acceptance
(:mod:`marketplace.matches.notifications`), so it is not told twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marketplace.matches.notifications import consenting_referrer
from marketplace.models import HelpRequest
from marketplace.notifications import notify
from marketplace.referrals.steps import (
    NOT_POSSIBLE,
    RECEIVED,
    STEP_OF,
    STEP_TEXT,
    TOLD,
    WITHDRAWN,
    S,
)
from marketplace.vocabulary import NotificationKind


@dataclass(frozen=True)
class Report:
    """What the referrer reads: the step in words, and for "not possible" why, in one line."""

    step: str
    text: Any
    reason: str = ""


def why(help_request: HelpRequest) -> str:
    """One line on why the help is not possible (the coordinator's note, or the resident
    withdrew); empty for other steps."""
    if STEP_OF.get(help_request.status) != NOT_POSSIBLE:
        return ""
    if help_request.status == S.CANCELLED:
        return str(WITHDRAWN)
    return " ".join((help_request.status_note or "").split())[:200]


def report_for(viewer: Any, help_request: HelpRequest) -> Report | None:
    """The report for ``viewer`` when they are the consenting referrer; None otherwise (no
    consent, or somebody else)."""
    referrer = consenting_referrer(help_request)
    if referrer is None or getattr(viewer, "id", None) != referrer.id:
        return None
    step = STEP_OF.get(help_request.status, RECEIVED)
    return Report(step, STEP_TEXT[step], why(help_request))


def status_changed(help_request: HelpRequest, actor: Any = None) -> None:
    """Tell the consenting referrer of a step (taken up, help given, not possible), once per
    step and version of the request; not when the referrer made the move themselves.
    Nothing without consent. The reason stored is only the coordinator's note (forgotten with
    the request, ``notifications.services.TYPED_PARAMS``); a withdrawal is a flag, worded in
    the recipient's language."""
    step = STEP_OF.get(help_request.status)
    referrer = consenting_referrer(help_request)
    if referrer is None or step not in TOLD or help_request.id is None:
        return
    if actor is not None and getattr(actor, "id", None) == referrer.id:
        return
    withdrawn = help_request.status == S.CANCELLED
    notify(
        referrer, NotificationKind.REFERRAL_STATUS,
        key=f"referral_status:{help_request.id}:{help_request.status.value}"
            f":v{help_request.version}",
        help_request=help_request, title=help_request.title, step=step,
        reason="" if withdrawn else why(help_request), withdrawn=withdrawn,
    )
