"""Referrers (GP practice, Wmo assessor) file requests on a resident's behalf."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.errors import DomainError, NotAllowed
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import HelpRequest, RequestSource, Role, User
from marketplace.requests.services import (
    RequestData,
    ResidentData,
    create_request,
    find_or_create_resident,
    validate_data,
)


def file_referral(
    referrer: User, resident: ResidentData, data: RequestData, consent: bool
) -> HelpRequest:
    """Create a request for ``resident`` filed by ``referrer`` with the resident's consent.

    Reuses the resident's account when the e-mail address is known, else creates one without
    a password. Raises :class:`NotAllowed` for non-referrers and :class:`DomainError` when
    consent is missing or the data is invalid (nothing is added then).
    """
    if not referrer.has_role(Role.REFERRER):
        raise NotAllowed(_l("Alleen verwijzers kunnen een verwijzing doen."))
    if not consent:
        raise DomainError(_l("Zonder toestemming van de bewoner kunt u niet verwijzen."))
    validate_data(data)
    requester = find_or_create_resident(referrer, resident, data.postcode, data.address)
    return create_request(referrer, requester, data, RequestSource.REFERRER, consent=True)


def referrals_of(referrer: User) -> list[HelpRequest]:
    """Requests this referrer filed, newest first."""
    query = (
        sa.select(HelpRequest)
        .where(HelpRequest.created_by_id == referrer.id,
               HelpRequest.source == RequestSource.REFERRER)
        .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc())
    )
    return list(db.session.scalars(query))
