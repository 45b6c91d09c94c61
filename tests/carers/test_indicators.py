"""The carers' indicator table on a hand-counted fixture."""

from __future__ import annotations

from datetime import timedelta

from marketplace.carers.indicators import carer_tables
from marketplace.extensions import db
from marketplace.models import HelpSession, Match, MatchStatus, RequestStatus, utcnow
from marketplace.vocabulary import local_today
from tests import factories
from tests.carers.helpers import carer, check

TODAY = local_today()


def _respite_with_hours(person, volunteer, hours: float, day) -> None:
    help_request = factories.help_request(person, status=RequestStatus.MATCHED,
                                          category_slug="respijtzorg")
    match = Match(help_request=help_request, volunteer=volunteer, status=MatchStatus.ACCEPTED)
    db.session.add(match)
    db.session.flush()
    db.session.add(HelpSession(match_id=match.id, day=day, hours=hours))
    db.session.flush()


def _fixture():
    centrum, oost = factories.neighbourhood("Centrum"), factories.neighbourhood("Oost")
    centrum_carers = [carer() for _ in range(10)]
    for person in centrum_carers[:6]:
        check(person, 4, felt=4)  # overloaded, GGD heavy
    for person in centrum_carers[6:]:
        check(person, 1, felt=1)  # light
    later = check(centrum_carers[0], 1, felt=1)  # the first one is lighter now
    later.taken_at = utcnow() + timedelta(seconds=1)
    old = check(centrum_carers[1], 4)  # before the period: not counted
    old.taken_at = utcnow() - timedelta(days=400)
    for person in (carer(neighbourhood=oost), carer(neighbourhood=oost)):
        check(person, 4, felt=4)
    volunteer = factories.volunteer(skills=("respijtzorg",))
    for person in centrum_carers[:5]:
        _respite_with_hours(person, volunteer, 2.0, TODAY)
    _respite_with_hours(centrum_carers[5], volunteer, 3.0, TODAY - timedelta(days=60))
    db.session.flush()
    return centrum, oost


def _texts(row) -> list[str]:
    return [figure.text for figure in row.figures]


def test_hand_counted_figures_per_neighbourhood(db) -> None:
    _fixture()
    [table] = carer_tables(TODAY - timedelta(days=30), TODAY)
    rows = {row.label: row for row in table.rows}
    # registered, checks, carers checked, overloaded, GGD heavy, respite hours
    assert _texts(rows["Centrum"]) == ["10", "11", "10", "50,0%", "50,0%", "10"]
    assert _texts(rows["Oost"]) == ["< 5", "< 5", "< 5", "< 5", "< 5", "0"]
    assert _texts(rows["Buiten de wijken"]) == ["0", "0", "0", "-", "-", "0"]
    # 12 carers: 5 + 2 overloaded of 12 = 58.3 %
    assert _texts(rows["Totaal"]) == ["12", "13", "12", "58,3%", "58,3%", "10"]
    assert len(table.columns) == 6
    assert table.rule


def test_a_chosen_neighbourhood_and_an_empty_period(db) -> None:
    centrum, _oost = _fixture()
    [table] = carer_tables(TODAY - timedelta(days=30), TODAY, [centrum.id])
    assert [row.label for row in table.rows] == ["Centrum", "Totaal"]
    [empty] = carer_tables(TODAY - timedelta(days=900), TODAY - timedelta(days=500))
    assert all(figure.text in ("0", "-") for row in empty.rows for figure in row.figures)


def test_few_carers_behind_the_hours_are_suppressed(db) -> None:
    volunteer = factories.volunteer(skills=("respijtzorg",))
    _respite_with_hours(carer(), volunteer, 4.0, TODAY)
    [table] = carer_tables(TODAY, TODAY)
    centrum = next(row for row in table.rows if row.label == "Centrum")
    assert centrum.figures[5].text == "< 5"
