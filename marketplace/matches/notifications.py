"""What the matches feature tells people, handed to the outbox in the change's transaction.

Only confirmed addresses get mail: an address typed at registration, by a referrer or at the
desk may belong to someone else, and these mails say that a person asks for or gives help.
The mails are rendered now (in the language of whoever caused them) and sent after commit.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import render_template
from flask_babel import gettext as _

from marketplace.mail import link, queue_email
from marketplace.models import Match


def proposed(matches: Iterable[Match]) -> int:
    """Tell each volunteer about a new proposal. Returns how many mails were queued."""
    queued = 0
    for match in matches:
        volunteer = match.volunteer
        if not volunteer.gets_email:
            continue
        text = render_template("matches/email/proposal.txt", match=match, name=volunteer.name,
                               link=link("matches.show_match", match_id=match.id))
        queued += queue_email(volunteer.email or "", _("Nieuw hulpvoorstel voor u"),
                              text) is not None
    return queued


def accepted(match: Match) -> bool:
    """Tell the resident that a volunteer will help (with a link, not the details)."""
    resident = match.help_request.requester
    if not resident.gets_email:
        return False
    text = render_template("matches/email/accepted.txt", match=match, name=resident.name,
                           link=link("matches.show_match", match_id=match.id))
    subject = _("Er is een vrijwilliger voor uw aanvraag")
    return queue_email(resident.email or "", subject, text) is not None
