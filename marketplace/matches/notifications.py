"""E-mails of the matches feature. Called by views, jobs and the CLI after the commit.

Only confirmed addresses get them: an address typed at registration, by a referrer or at the
desk may belong to someone else, and these mails say that a person asks for or gives help.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app, render_template
from flask_babel import gettext as _

from marketplace.mail import send_email
from marketplace.models import Match, MatchingRound, MatchStatus


def _link(path: str) -> str:
    return str(current_app.config["SITE_URL"]).rstrip("/") + path


def notify_proposed(matches: Iterable[Match]) -> int:
    """Tell each volunteer about a new proposal. Returns how many mails were accepted."""
    sent = 0
    for match in matches:
        volunteer = match.volunteer
        if not volunteer.gets_email:
            continue
        text = render_template("matches/email/proposal.txt", match=match,
                               name=volunteer.name, link=_link(f"/matches/{match.id}"))
        sent += send_email(volunteer.email or "", _("Nieuw hulpvoorstel voor u"), text)
    return sent


def notify_round(matching_round: MatchingRound) -> int:
    """Send the proposals a real round made (nothing for a dry run)."""
    proposed = [
        match
        for match in matching_round.matches
        if match.status == MatchStatus.PROPOSED
    ]
    return notify_proposed(proposed)


def notify_accepted(match: Match) -> bool:
    """Tell the resident that a volunteer will help (with a link, not the details)."""
    resident = match.help_request.requester
    if not resident.gets_email:
        return False
    text = render_template("matches/email/accepted.txt", match=match, name=resident.name,
                           link=_link(f"/matches/{match.id}"))
    return send_email(resident.email or "", _("Er is een vrijwilliger voor uw aanvraag"), text)
