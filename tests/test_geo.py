"""Postcode lookup works offline and distances agree with geopy."""

from __future__ import annotations

import socket

import pytest

from marketplace import geo


@pytest.mark.parametrize("text", ["1211 AB", "1211AB", "1211ab", " 1211 ", "1211"])
def test_hilversum_postcodes_resolve_in_any_notation(text: str) -> None:
    place = geo.locate(text)
    assert place.pc4 == "1211"
    assert place.municipality == "Hilversum"
    assert place.latitude == pytest.approx(52.2235)
    assert place.longitude == pytest.approx(5.1752)


def test_normalised_form_has_a_space_and_capitals() -> None:
    assert geo.normalise_postcode("1211ab") == ("1211 AB", "1211")
    assert geo.normalise_postcode("1211") == ("1211", "1211")


@pytest.mark.parametrize("text", ["", "12", "0123 AB", "1211 A", "12111", "ABCD", "1211 SS",
                                  "1211-AB", "<script>"])
def test_malformed_postcodes_are_refused(text: str) -> None:
    with pytest.raises(geo.PostcodeError):
        geo.locate(text)


def test_a_well_formed_postcode_that_does_not_exist_is_refused() -> None:
    with pytest.raises(geo.PostcodeError):
        geo.locate("1000 AA")  # 1000 is a PO-box range, not in the table


def test_lookup_uses_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network used")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert geo.locate("9401").place == "Assen"


def test_distance_is_great_circle_km() -> None:
    centre = (52.2235, 5.1752)
    assert geo.distance_km(centre, centre) == 0
    # Hilversum centre to Amsterdam Centraal is about 25 km as the crow flies.
    assert 24 < geo.distance_km(centre, (52.3791, 4.9003)) < 27


class _FakeLocation:
    latitude = 52.2300
    longitude = 5.1800


class _FakeGeocoder:
    def __init__(self, answer: object) -> None:
        self.answer = answer
        self.queries: list[str] = []

    def geocode(self, query: str) -> object:
        self.queries.append(query)
        return self.answer


def test_geopy_geocoder_refines_a_full_address() -> None:
    fake = _FakeGeocoder(_FakeLocation())
    place = geo.GeopyGeocoder(fake).locate("1211 AB", "Kerkstraat 1")
    assert (place.latitude, place.longitude) == (52.23, 5.18)
    assert fake.queries == ["Kerkstraat 1, 1211 AB, Nederland"]


def test_geopy_geocoder_falls_back_to_the_table() -> None:
    place = geo.GeopyGeocoder(_FakeGeocoder(None)).locate("1211 AB", "Onbekend 1")
    assert place.latitude == pytest.approx(52.2235)
    with pytest.raises(geo.PostcodeError):
        geo.GeopyGeocoder(_FakeGeocoder(_FakeLocation())).locate("0000", "x")


def test_geocoder_can_be_swapped_for_production() -> None:
    original = geo.get_geocoder()
    try:
        geo.set_geocoder(geo.GeopyGeocoder(_FakeGeocoder(_FakeLocation())))
        assert geo.locate("1211", "Kerkstraat 1").latitude == pytest.approx(52.23)
    finally:
        geo.set_geocoder(original)


def test_resolve_postcode_names_the_field_it_refuses(app) -> None:  # type: ignore[no-untyped-def]
    from marketplace.errors import FieldError

    assert geo.resolve_postcode("1211ab").postcode == "1211 AB"
    with app.test_request_context(), pytest.raises(FieldError) as refused:
        geo.resolve_postcode("1000 AA", field="home")
    assert refused.value.field == "home"
    assert "Deze postcode kennen wij niet" in str(refused.value.message)


def test_places_fall_in_the_neighbourhood_of_their_postcode(db) -> None:  # type: ignore[no-untyped-def]
    from tests import factories

    centrum = geo.neighbourhood_for_pc4("1211")
    assert centrum is not None
    assert centrum.name == "Centrum"
    assert geo.neighbourhood_for_pc4("1000") is None
    user = factories.user(postcode=None)
    geo.set_home(user, geo.locate("1212 AB"))
    assert user.postcode == "1212 AB"
    assert user.neighbourhood is not None
    assert user.neighbourhood.name == "Oost"
    geo.set_home(user, geo.locate("3511"))  # Utrecht: outside every neighbourhood
    assert user.neighbourhood is None
