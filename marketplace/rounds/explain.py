"""Why the optimiser proposed a volunteer, in plain words for the coordinator.

A round stores each suggestion's explanation as a dict (see ``rounds.services``): the
engine's own part (``terms``, ``distance_km``, ``slot``, ``feasible_count``, ``rank``) and the
facts the app adds (``requires_vog``, ``requires_training``, ``waiting_days``,
``previous_rating``, ``recent_matches``). :func:`sentences` turns that dict into a few short
sentences, each only when it is true; a key that is missing (an older round, a match a
volunteer picked themselves) simply gives no sentence.

``rank`` counts by the pair's whole cost (distance, earlier help, recent load), not by
distance alone, so it reads "2e beste keus", never "2e dichtstbij".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import format_decimal

from marketplace.i18n import gettext as _
from marketplace.i18n import lazy_gettext as _l
from marketplace.i18n import ngettext
from marketplace.models import Match
from marketplace.vocabulary import slot_label

#: At most this many recent matches (the last 90 days) counts as "few".
FEW_RECENT_MATCHES = 1

#: Below this a distance reads "vlak bij" rather than "ongeveer 0,0 km".
NEAR_KM = 0.1

#: Cost terms -> labels of the details table. Every term is a number of points where fewer
#: is better, so each label names what *costs* points (a new request, a volunteer who never
#: helped this resident), not what earns them.
TERM_LABELS = {
    "distance": _l("Afstand"),
    "urgency": _l("Minder urgent"),
    "waiting": _l("Kortere wachttijd"),
    "continuity": _l("Geen vaste helper van deze bewoner"),
    "load": _l("Werkverdeling"),
    "carer": _l("Geen zwaar belaste mantelzorger"),
}


def sentences(explanation: Mapping[str, Any], distance_km: float | None = None) -> list[str]:
    """Short sentences in the active language, in a fixed order, each only when true.

    ``distance_km`` is used when the explanation holds no distance of its own.
    """
    found = [
        _distance(explanation.get("distance_km", distance_km)),
        _rank(explanation.get("rank"), explanation.get("feasible_count")),
        _slot(explanation.get("slot")),
        _("Heeft een geldige VOG") if explanation.get("requires_vog") else None,
        _("Is getraind voor deze hulp") if explanation.get("requires_training") else None,
        _history(explanation.get("previous_rating")),
        _load(explanation.get("recent_matches")),
        _waiting(explanation.get("waiting_days")),
    ]
    return [sentence for sentence in found if sentence]


def for_match(match: Match) -> list[str]:
    """:func:`sentences` for a stored match."""
    return sentences(match.explanation or {}, match.distance_km)


def _distance(km: float | None) -> str | None:
    if km is None:
        return None
    if km < NEAR_KM:
        return _("Woont vlak bij het adres (minder dan %(km)s km)", km=_km(NEAR_KM))
    return _("Woont ongeveer %(km)s km van het adres", km=_km(km))


def _km(km: float) -> str:
    return format_decimal(km, "#,##0.0")


def _rank(rank: int | None, count: int | None) -> str | None:
    if not rank or not count:
        return None
    if count == 1:
        return _("De enige geschikte vrijwilliger")
    if rank == 1:
        return _("De beste keus van %(count)s geschikte vrijwilligers", count=count)
    return _("De %(rank)se beste keus van %(count)s geschikte vrijwilligers",
             rank=rank, count=count)


def _slot(slot: str | None) -> str | None:
    label = slot_label(slot)
    return _("Is vrij op %(when)s", when=label) if label else None


def _history(rating: float | None) -> str | None:
    if rating is None:
        return None
    return _("Heeft deze bewoner eerder geholpen (beoordeling %(rating)s van 5)",
             rating=format_decimal(rating, "0.#"))


def _load(recent: int | None) -> str | None:
    if recent is None or recent > FEW_RECENT_MATCHES:
        return None
    if recent == 0:
        return _("Had de laatste tijd geen aanvragen")
    return _("Had de laatste tijd weinig aanvragen")


def _waiting(days: int | None) -> str | None:
    if days is None or days < 1:
        return None
    return ngettext("Deze aanvraag wacht al %(num)s dag", "Deze aanvraag wacht al %(num)s dagen",
                    int(days))
