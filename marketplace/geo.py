"""Postcodes to places, offline, and places to the neighbourhoods (wijken) an admin defined.

The shipped table ``data/postcodes_nl.csv`` is derived from the GeoNames postal code export
for the Netherlands (https://www.geonames.org, CC BY 4.0). It resolves a four-digit postcode
(PC4) to its centroid, good to about a kilometre in a town: enough to rank volunteers by
distance while keeping exact addresses private.

A production deployment can plug in a geopy geocoder (Nominatim, the PDOK Locatieserver) for
full addresses through :class:`GeopyGeocoder`; the offline table stays the fallback.

:func:`resolve_postcode` is what a form's postcode goes through (a :class:`FieldError` on the
field when it is unknown); :func:`neighbourhood_for_pc4` and :func:`set_home` put a place in
its neighbourhood.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import sqlalchemy as sa
from flask import current_app

from marketplace.errors import FieldError
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import Neighbourhood, NeighbourhoodPostcode, User

DATA_FILE = Path(__file__).parent / "data" / "postcodes_nl.csv"
_POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})?\s*$")
# Letter pairs the postal service never issues.
_UNUSED_LETTERS = {"SA", "SD", "SS"}


class PostcodeError(ValueError):
    """The text is not a Dutch postcode, or the postcode does not exist."""


@dataclass(frozen=True)
class Place:
    postcode: str  # normalised: "1211 AB" or "1211"
    pc4: str
    place: str
    municipality: str
    latitude: float
    longitude: float


class Geocoder(Protocol):
    def locate(self, postcode: str, address: str = "") -> Place:
        """Return the place for a postcode (and optional street address).

        Raises :class:`PostcodeError` when the postcode is malformed or unknown.
        """
        ...


def normalise_postcode(text: str) -> tuple[str, str]:
    """Return ``(normalised, pc4)`` for "1211 AB", "1211ab" or "1211".

    Raises :class:`PostcodeError` when the text is not shaped like a Dutch postcode.
    """
    match = _POSTCODE.match(text or "")
    if not match:
        raise PostcodeError(text)
    pc4, letters = match.group(1), (match.group(2) or "").upper()
    if letters in _UNUSED_LETTERS:
        raise PostcodeError(text)
    return (f"{pc4} {letters}" if letters else pc4), pc4


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, str, float, float]]:
    rows: dict[str, tuple[str, str, float, float]] = {}
    with DATA_FILE.open(encoding="utf-8") as handle:
        for row in csv.reader(line for line in handle if not line.startswith("#")):
            pc4, place, municipality, lat, lon = row
            rows[pc4] = (place, municipality, float(lat), float(lon))
    return rows


class OfflineGeocoder:
    """Looks postcodes up in the shipped GeoNames table. Never uses the network."""

    def locate(self, postcode: str, address: str = "") -> Place:
        normalised, pc4 = normalise_postcode(postcode)
        found = _table().get(pc4)
        if found is None:
            raise PostcodeError(postcode)
        place, municipality, lat, lon = found
        return Place(normalised, pc4, place, municipality, lat, lon)


class GeopyGeocoder:
    """Full-address geocoding through any geopy geocoder, falling back to the offline table.

    Example for production: ``GeopyGeocoder(Nominatim(user_agent="hulppunt"))``. The postcode
    is always checked against the offline table first, so an unknown postcode fails the same
    way with or without a network.
    """

    def __init__(self, geocoder: Any, fallback: Geocoder | None = None) -> None:
        self._geocoder = geocoder
        self._fallback = fallback or OfflineGeocoder()

    def locate(self, postcode: str, address: str = "") -> Place:
        place = self._fallback.locate(postcode)
        if not address:
            return place
        try:
            location = self._geocoder.geocode(f"{address}, {place.postcode}, Nederland")
        except Exception:  # noqa: BLE001 - a geocoding service outage must not block intake
            location = None
        if location is None:
            return place
        return Place(
            place.postcode, place.pc4, place.place, place.municipality,
            float(location.latitude), float(location.longitude),
        )


_geocoder: Geocoder = OfflineGeocoder()


def get_geocoder() -> Geocoder:
    return _geocoder


def set_geocoder(geocoder: Geocoder) -> None:
    """Install another geocoder (for example a :class:`GeopyGeocoder` in production)."""
    global _geocoder
    _geocoder = geocoder


def locate(postcode: str, address: str = "") -> Place:
    return _geocoder.locate(postcode, address)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lat, lon) points (geopy, mean earth radius)."""
    # Imported here: geopy loads its geocoders and requests, about 50 ms of every start-up.
    from geopy.distance import great_circle

    return float(great_circle(a, b).km)


def resolve_postcode(text: str, field: str = "postcode") -> Place:
    """Return the place for a Dutch postcode typed in a form.

    Raises :class:`FieldError` on ``field`` when the postcode is malformed or unknown.
    """
    try:
        return locate(text)
    except PostcodeError:
        raise FieldError(field, str(_l("Deze postcode kennen wij niet."))) from None


def neighbourhood_for_pc4(pc4: str) -> Neighbourhood | None:
    """The neighbourhood a four-digit postcode belongs to; None outside every neighbourhood."""
    row = db.session.get(NeighbourhoodPostcode, pc4)
    return row.neighbourhood if row is not None else None


def serves(pc4: str) -> bool:
    """True when the meldpunt serves this four-digit postcode: it lies in one of the
    neighbourhoods an admin defined, or none is defined yet (then the area is not drawn)."""
    if neighbourhood_for_pc4(pc4) is not None:
        return True
    return db.session.scalar(sa.select(NeighbourhoodPostcode.pc4).limit(1)) is None


def outside_area_message(postcode: str, for_someone_else: bool = False) -> str:
    """What a person hears when help is asked for a postcode the meldpunt does not serve:
    which municipality it serves, where to go instead, and that a phone call can still help
    someone who lives just outside (a coordinator can enter such a request at the desk).
    ``for_someone_else``: said to a referrer, about the resident."""
    municipality = current_app.config["MUNICIPALITY"]
    phone = current_app.config["MELDPUNT_PHONE"]
    if for_someone_else:
        return str(_l(
            "Hulppunt helpt mensen die in %(municipality)s wonen. Postcode %(postcode)s hoort "
            "daar niet bij. Woont de bewoner in een andere gemeente? Verwijs dan naar het "
            "vrijwilligerscentrum of het wijkteam van die gemeente. Woont de bewoner net buiten "
            "%(municipality)s? Bel dan het meldpunt: %(phone)s. Soms kan iemand uit de buurt "
            "toch helpen.", municipality=municipality, postcode=postcode, phone=phone))
    return str(_l(
        "Hulppunt helpt mensen die in %(municipality)s wonen. Postcode %(postcode)s hoort daar "
        "niet bij. Woont u in een andere gemeente? Vraag dan hulp bij het vrijwilligerscentrum "
        "of het wijkteam van uw gemeente. Woont u net buiten %(municipality)s? Bel dan het "
        "meldpunt: %(phone)s. Soms kan iemand uit de buurt toch helpen.",
        municipality=municipality, postcode=postcode, phone=phone))


def set_home(user: User, place: Place) -> None:
    """Store the user's postcode and the neighbourhood it belongs to (None outside the area)."""
    user.postcode = place.postcode
    user.neighbourhood = neighbourhood_for_pc4(place.pc4)
