"""The e-mailed calendar invitation (iTIP, RFC 5546) of a match's appointment.

When a match is accepted, both sides get an e-mail with a ``text/calendar; method=REQUEST``
attachment; when accepted help is called off (cancelled, or withdrawn with its request), a
``method=CANCEL`` one. The event is :func:`marketplace.matches.calendar.event_for`: the same
UID and the current SEQUENCE as the download and the private feed, so a calendar that gets
both shows the appointment once, in the recipient's language, with the address only for a
party who may see it. The mail goes through the outbox (kind :data:`OUTBOX_KIND`) and is
built when it is sent: an invitation overtaken by a cancellation is not sent any more.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale

from marketplace import outbox
from marketplace.extensions import db
from marketplace.i18n import gettext as _
from marketplace.mail import link, send_email
from marketplace.matches import calendar
from marketplace.models import Match, MatchStatus, User, utcnow
from marketplace.notifications.delivery import AUTO_HEADERS, build_email

OUTBOX_KIND = "calendar_invite"
REQUEST = "REQUEST"
CANCEL = "CANCEL"
_CALLED_OFF = (MatchStatus.CANCELLED, MatchStatus.WITHDRAWN)
_RUNNING = (MatchStatus.ACCEPTED, MatchStatus.COMPLETED)


def method_for(from_status: MatchStatus | None, to_status: MatchStatus) -> str | None:
    """REQUEST when the volunteer accepted, CANCEL when accepted help ended without help,
    None for every other move (nothing is in anyone's calendar before acceptance)."""
    if to_status == MatchStatus.ACCEPTED:
        return REQUEST
    if from_status == MatchStatus.ACCEPTED and to_status in _CALLED_OFF:
        return CANCEL
    return None


def after_move(match: Match, from_status: MatchStatus | None, to_status: MatchStatus) -> int:
    """Queue the invitation (or cancellation) for both sides after a move of ``match``, if
    it has appointments and is stored. Returns how many were queued."""
    method = method_for(from_status, to_status)
    if method is None or match.id is None or not calendar.has_appointments(match):
        return 0
    people = (match.volunteer_id, match.help_request.requester_id)
    for user_id in people:
        outbox.add(OUTBOX_KIND, {"match_id": match.id, "user_id": user_id, "method": method})
    return len(people)


def invitation_for(recipient: User, match: Match, method: str) -> bytes:
    """The VCALENDAR with METHOD ``method`` and the match's one VEVENT as ``recipient`` may
    see it, in their language, with ORGANIZER (the meldpunt) and ATTENDEE (the recipient)."""
    import icalendar  # on first use: about 20 ms of every start-up otherwise

    with force_locale(recipient.locale or "nl"):
        invite = calendar.new_calendar()
        invite.add("method", method)
        event = calendar.event_for(recipient, match, utcnow())
        if method == CANCEL:
            event["status"] = "CANCELLED"
        sender = str(current_app.config.get("MAIL_DEFAULT_SENDER") or "")
        address = sender.rpartition("<")[2].rstrip(">").strip() or "hulppunt@localhost"
        organizer = icalendar.vCalAddress(f"mailto:{address}")
        organizer.params["cn"] = icalendar.vText("Hulppunt")
        event.add("organizer", organizer)
        event.add("attendee", icalendar.vCalAddress(f"mailto:{recipient.email}"))
        invite.add_component(event)
        invite.add_missing_timezones()
    return invite.to_ical()


def _message_id(match: Match, recipient: User, method: str) -> str:
    key = f"{calendar.uid_for(match)}:{calendar.sequence_for(match)}:{recipient.id}:{method}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    domain = urlsplit(link("pages.home")).hostname or "hulppunt"
    return f"<invite.{digest}@{domain}>"


def deliver_invitation(payload: dict[str, Any]) -> None:
    """The outbox handler: e-mail one invitation, unless the recipient cannot get mail or
    a REQUEST was overtaken by a cancellation. Raises when the mail server refuses."""
    match = db.session.get(Match, int(payload["match_id"]))
    recipient = db.session.get(User, int(payload["user_id"]))
    method = str(payload["method"])
    if match is None or recipient is None or not recipient.is_active:
        return
    if not recipient.gets_email or (method == REQUEST and match.status not in _RUNNING):
        return
    ics = invitation_for(recipient, match, method)
    with force_locale(recipient.locale or "nl"):
        title = match.help_request.title
        subject = (_("Afspraak in uw agenda: %(title)s", title=title) if method == REQUEST
                   else _("Afspraak vervalt: %(title)s", title=title))
        text, html = build_email(
            recipient, "matches/email/invitation", subject, method=method, title=title,
            link=link("matches.show_match", match_id=match.id),
        )
    headers = {**AUTO_HEADERS, "Message-ID": _message_id(match, recipient, method)}
    send_email(recipient.email or "", subject, text, html, headers=headers,
               attachments=[("hulppunt-afspraak.ics", ics, f"text/calendar; method={method}")])
