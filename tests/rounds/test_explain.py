"""The words that explain a proposal (rounds/explain.py), on hand-built explanations."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from marketplace.rounds.explain import sentences

#: What a round stores for a volunteer with no history, few recent matches and nothing
#: special (continuity is the full 3-point "stranger" cost, as for everybody without history).
PLAIN = {
    "terms": {"distance": 1.2, "urgency": 4.0, "waiting": 7.0, "continuity": 3.0, "load": 0.0},
    "distance_km": 1.234,
    "slot": "mon-morning",
    "feasible_count": 39,
    "rank": 2,
    "requires_vog": False,
    "requires_training": False,
    "waiting_days": 0,
    "previous_rating": None,
    "recent_matches": 4,
}


def _words(**changes: object) -> list[str]:
    return sentences({**PLAIN, **changes})


@pytest.mark.usefixtures("app")
def test_a_plain_proposal_says_distance_rank_and_time_only():
    assert _words() == [
        "Woont ongeveer 1,2 km van het adres",
        "De 2e beste keus van 39 geschikte vrijwilligers",
        "Is vrij op maandag ochtend",
    ]


@pytest.mark.usefixtures("app")
def test_no_earlier_help_is_claimed_without_history():
    # The continuity term is the same 3,00 for every stranger: it is not a sign of history.
    text = " ".join(_words())
    assert "eerder geholpen" not in text
    assert "eerder geholpen" not in " ".join(_words(previous_rating=None,
                                                   terms={**PLAIN["terms"], "continuity": 0.0}))


@pytest.mark.usefixtures("app")
def test_earlier_help_with_the_residents_rating():
    assert "Heeft deze bewoner eerder geholpen (beoordeling 5 van 5)" in _words(previous_rating=5.0)
    assert "Heeft deze bewoner eerder geholpen (beoordeling 2 van 5)" in _words(previous_rating=2)


@pytest.mark.usefixtures("app")
def test_vog_and_training_only_when_the_help_requires_them():
    assert "Heeft een geldige VOG" not in _words()
    assert "Is getraind voor deze hulp" not in _words()
    words = _words(requires_vog=True, requires_training=True)
    assert "Heeft een geldige VOG" in words
    assert "Is getraind voor deze hulp" in words


@pytest.mark.usefixtures("app")
def test_few_recent_requests_only_when_there_were_few():
    assert not any("aanvragen" in w for w in _words(recent_matches=2))
    assert "Had de laatste tijd weinig aanvragen" in _words(recent_matches=1)
    assert "Had de laatste tijd geen aanvragen" in _words(recent_matches=0)


@pytest.mark.usefixtures("app")
def test_waiting_days_only_after_a_whole_day():
    assert not any("wacht" in w for w in _words(waiting_days=0))
    assert "Deze aanvraag wacht al 1 dag" in _words(waiting_days=1)
    assert "Deze aanvraag wacht al 9 dagen" in _words(waiting_days=9)


@pytest.mark.usefixtures("app")
def test_rank_wording():
    assert "De beste keus van 39 geschikte vrijwilligers" in _words(rank=1)
    assert "De enige geschikte vrijwilliger" in _words(rank=1, feasible_count=1)
    assert not any("keus" in w for w in _words(rank=None, feasible_count=None))


@pytest.mark.usefixtures("app")
def test_distance_and_time():
    assert _words(distance_km=0.0)[0] == "Woont vlak bij het adres (minder dan 0,1 km)"
    assert not any(w.startswith("Is vrij") for w in _words(slot=None))


@pytest.mark.usefixtures("app")
def test_an_older_explanation_gives_what_it_can():
    # Rounds stored before these facts existed, and a match a volunteer picked themselves.
    old = {"terms": {"distance": 0.4}, "distance_km": 0.4, "rank": 1, "feasible_count": 3,
           "slot": None}
    assert sentences(old) == ["Woont ongeveer 0,4 km van het adres",
                              "De beste keus van 3 geschikte vrijwilligers"]
    assert sentences({"category": "boodschappen", "slot": None}, 2.0) == [
        "Woont ongeveer 2,0 km van het adres"
    ]
    assert sentences({}) == []


@pytest.mark.usefixtures("app")
def test_english():
    full = {**PLAIN, "requires_vog": True, "requires_training": True, "previous_rating": 5,
            "recent_matches": 0, "waiting_days": 9}
    with force_locale("en"):
        assert sentences(full) == [
            "Lives about 1.2 km from the address",
            "Ranked 2 of 39 suitable volunteers",
            "Is free on Monday morning",
            "Has a valid certificate of conduct (VOG)",
            "Is trained for this kind of help",
            "Has helped this resident before (rated 5 out of 5)",
            "Has had no requests lately",
            "This request has been waiting for 9 days",
        ]
