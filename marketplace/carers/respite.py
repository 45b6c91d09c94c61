"""Respite (respijtzorg) as matchable help: the carer asks, the person cared for is helped.

A respite request is an ordinary :class:`HelpRequest` in the category ``respijtzorg``
(VOG and training required, recurring by nature), whose requester is the carer and whose
address is the person cared for's (the volunteer goes there). :class:`RespiteDetails`
holds the two people: the cared-for person's name and needs, the carer's needs and address.
The carer's burden raises the request's priority in the matching (``CostWeights.carer``,
fed by ``matches/conversion.py`` from :func:`carers.services.burden_levels`).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from marketplace.carers.services import profile_of
from marketplace.errors import DomainError, FieldError
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import Category, HelpRequest, RespiteDetails, Timing, User
from marketplace.requests.services import RequestData, create_request

RESPITE_SLUG = "respijtzorg"
#: The title of a respite request. Like every title people type, it is stored as it is (in
#: Dutch, the meldpunt's language), never translated.
RESPITE_TITLE = "Even vrij van de zorg"
MAX_NAME = 120
MAX_TEXT = 2000
MAX_ADDRESS = 200


@dataclass(frozen=True)
class RespiteData:
    """What the carer fills in; ``postcode``/``address`` are the person cared for's."""

    cared_for_name: str
    cared_for_needs: str
    carer_needs: str
    postcode: str
    address: str
    carer_address: str
    weekday: str | None
    part_of_day: str | None
    urgency: int = 1


def respite_category() -> Category | None:
    return db.session.scalar(sa.select(Category).where(Category.slug == RESPITE_SLUG))


def _check(data: RespiteData) -> None:
    if not data.cared_for_name:
        raise FieldError("cared_for_name", str(_l("Vul de naam in van wie u zorgt.")))
    if not data.cared_for_needs:
        raise FieldError("cared_for_needs", str(_l("Vertel wat de vrijwilliger moet weten.")))
    if len(data.cared_for_name) > MAX_NAME or len(data.carer_address) > MAX_ADDRESS or max(
            len(data.cared_for_needs), len(data.carer_needs)) > MAX_TEXT:
        raise DomainError(_l("Een van de teksten is te lang."))


def ask_respite(carer: User, data: RespiteData) -> HelpRequest:
    """Create a weekly respite request by ``carer`` (who needs a carer profile) for the
    person they care for. Raises :class:`DomainError` (no profile, no respite category,
    invalid data: see ``requests.services.create_request``)."""
    if profile_of(carer) is None:
        raise DomainError(_l("Vul eerst uw mantelzorgprofiel in."))
    category = respite_category()
    if category is None or not category.active:
        raise DomainError(_l("Respijtzorg kan nu niet worden aangevraagd. Bel het meldpunt."))
    _check(data)
    request_data = RequestData(
        category_id=category.id, title=RESPITE_TITLE,
        description=data.cared_for_needs, timing=Timing.WEEKLY, date_start=None,
        date_end=None, weekday=data.weekday, part_of_day=data.part_of_day,
        postcode=data.postcode, address=data.address, urgency=data.urgency,
    )
    help_request = create_request(carer, carer, request_data, consent=True)
    db.session.add(RespiteDetails(
        help_request_id=help_request.id, cared_for_name=data.cared_for_name,
        cared_for_needs=data.cared_for_needs, carer_needs=data.carer_needs,
        carer_address=data.carer_address,
    ))
    db.session.flush()
    return help_request


def details_of(help_request: HelpRequest) -> RespiteDetails | None:
    return db.session.get(RespiteDetails, help_request.id)
