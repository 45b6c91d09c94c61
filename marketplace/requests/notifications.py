"""What the requests feature tells people, handed to the outbox in the change's transaction.

Like the matches' mails: only confirmed addresses get mail, rendered now (in the language of
whoever caused it) and sent after the commit.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from flask import render_template
from flask_babel import gettext as _

from marketplace.mail import link, queue_email
from marketplace.models import Match


def withdrawn(matches: Iterable[Match], helping: Collection[int]) -> int:
    """Tell each volunteer who was asked, or who helps (the ids in ``helping``: they had
    accepted), that the request was withdrawn and their help is no longer needed. Returns
    how many mails were queued."""
    queued = 0
    for match in matches:
        volunteer = match.volunteer
        if not volunteer.gets_email:
            continue
        text = render_template("requests/email/withdrawn.txt", match=match, name=volunteer.name,
                               helping=match.id in helping, link=link("matches.my_matches"))
        subject = _("Hulp niet meer nodig: %(title)s", title=match.help_request.title)
        queued += queue_email(volunteer.email or "", subject, text) is not None
    return queued
