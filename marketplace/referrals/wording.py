"""Who a request page speaks to: the resident themself, or someone acting for them.

A referrer (a GP, a social worker) and staff read the same request pages as the resident,
but "Uw vrijwilliger" and "Terug naar mijn aanvragen" are wrong for them. The templates ask
:func:`acting_for` once and choose their wording from it; :func:`back_to_list` gives the
list each viewer came from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import url_for

from marketplace.i18n import gettext as _
from marketplace.models import RequestSource, Role

if TYPE_CHECKING:
    from marketplace.models import HelpRequest


def acting_for(viewer: Any, help_request: HelpRequest) -> str | None:
    """The resident's name when ``viewer`` reads the request for someone else (the referrer
    who filed it, or staff); None when the viewer is the resident themself (or anonymous)."""
    if not getattr(viewer, "is_authenticated", False) or viewer.id == help_request.requester_id:
        return None
    return help_request.requester.name


def filed_by(viewer: Any, help_request: HelpRequest) -> bool:
    """True when ``viewer`` is the referrer who filed this request."""
    return (
        getattr(viewer, "is_authenticated", False)
        and help_request.source == RequestSource.REFERRER
        and help_request.created_by_id == viewer.id
        and viewer.has_role(Role.REFERRER)
    )


def back_to_list(viewer: Any, help_request: HelpRequest) -> tuple[str, str]:
    """``(url, link text)`` of the list this viewer follows the request from: the resident's
    own requests, the referrer's referrals, or the coordinator's request page."""
    if acting_for(viewer, help_request) is None:
        return url_for("requests.list_requests"), _("Terug naar mijn aanvragen")
    if filed_by(viewer, help_request):
        return url_for("referrals.list_referrals"), _("Terug naar verwijzingen")
    # Nobody else may see the page (access.can_manage_request): this is staff.
    return (url_for("staff.show_request", request_id=help_request.id),
            _("Naar de aanvraag in het back office"))
