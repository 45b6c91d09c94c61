"""Every indicator against the hand-counted world of ``fixture.py``, in 2026-H1.

The counts in the comments were made by reading the fixture, not by running the code.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from marketplace.indicators import people, periods, queries, services
from marketplace.indicators.periods import PeriodKind
from marketplace.indicators.queries import Scope
from tests.indicators import fixture

H1 = periods.fixed(PeriodKind.HALF_YEAR, date(2026, 3, 1))


@pytest.fixture
def world(db) -> dict[str, Any]:
    return fixture.build()


def _texts(table: Any) -> dict[str, tuple[str, ...]]:
    return {row.key: tuple(figure.text for figure in row.figures) for row in table.rows}


def test_the_half_year_runs_from_amsterdam_midnight_to_amsterdam_midnight() -> None:
    assert H1.label == "2026-H1"
    assert (H1.first, H1.last) == (date(2026, 1, 1), date(2026, 6, 30))
    assert H1.utc_bounds == (fixture.utc(2025, 12, 31, 23), fixture.utc(2026, 6, 30, 22))
    assert H1.previous().label == "2025-H2"
    assert periods.fixed(PeriodKind.QUARTER, date(2026, 8, 31)).label == "2026-K3"


def test_requests_by_kind_and_source_count_the_edges_of_the_period(world) -> None:
    scope = Scope(H1)
    # 8 in Centrum (with 1 Jan 00:00 and 30 Jun 23:59 local), 2 in Oost; not 1 Jul 00:00.
    kinds = _texts(services.requests_by_kind(scope, "nl"))
    assert kinds["boodschappen"] == ("8",)
    assert kinds["klusjes"] == ("< 5",)
    assert kinds["total"] == ("10",)
    sources = queries.requests_by(queries.HelpRequest.source, scope)
    assert sources == {"online": 6, "desk": 2, "referrer": 2}
    assert _texts(services.requests_by_source(scope))["desk"] == ("< 5",)


def test_trend_per_month(world) -> None:
    rows = people.monthly(Scope(H1))
    assert [(month.label, requests, accepted) for month, requests, accepted in rows] == [
        ("2026-01", 1, 1), ("2026-02", 1, 1), ("2026-03", 2, 2),
        ("2026-04", 3, 1), ("2026-05", 2, 1), ("2026-06", 1, 0),
    ]


def test_matches_proposed_accepted_completed(world) -> None:
    assert queries.match_counts(Scope(H1)) == {"proposed": 7, "accepted": 6, "completed": 2}
    assert _texts(services.matches(Scope(H1)))["completed"] == ("< 5",)


def test_speed_share_within_a_week_median_and_unmatched(world) -> None:
    data = queries.time_to_match(Scope(H1))
    assert (data["created"], data["matched"], data["within_week"], data["unmatched"]) == (
        10, 6, 5, 3)
    texts = _texts(services.speed(Scope(H1)))
    assert texts["within_week"] == ("50,0%",)
    assert texts["median_days"] == ("2",)  # 24, 24, 48, 72, 100, 200 hours: 48 h
    assert texts["unmatched"] == ("< 5",)  # two open in Oost, one in Centrum


def test_unmatched_reasons_from_the_last_real_round(world) -> None:
    assert queries.unmatched_reasons(Scope(H1)) == {"volunteers_taken": 1, "requires_vog": 1}
    oost = Scope(H1, (world["oost"].id,))
    assert queries.unmatched_reasons(oost) == {"requires_vog": 1}


def test_escalations_and_de_escalations(world) -> None:
    assert queries.request_moves(Scope(H1)) == {"escalated": 2, "de_escalated": 1}


def test_volunteers_active_new_stopped_and_hours(world) -> None:
    data = people.volunteer_counts(Scope(H1))
    # Hours: one-off 2 + 3.5 completed in H1, visits 1.5 + 1.5 (not the 4 on 1 July).
    assert data == {"active": 6, "new": 5, "stopped": 1, "hours": 8.5, "hours_volunteers": 3}
    texts = _texts(services.volunteers(Scope(H1)))
    assert texts["active"] == ("6",)
    assert texts["new"] == ("5",)
    assert texts["stopped"] == ("< 5",)
    assert texts["hours"] == ("< 5",)  # three volunteers behind the hours


def test_per_neighbourhood_and_share_of_residents(world) -> None:
    selection = services.Selection(H1, (world["centrum"], world["oost"]))
    texts = _texts(services.neighbourhoods(selection))
    assert texts["WK040201"] == ("8", "6", "7", "700", "1,0%")
    assert texts[str(world["oost"].id)] == ("< 5", "0", "0", "-", "-")
    # Together: the share only over Centrum, whose population is known.
    assert texts["total"] == ("10", "6", "7", "700", "1,0%")


def test_satisfaction_of_both_sides(world) -> None:
    assert people.ratings(Scope(H1)) == {"residents": (5, 4.0), "volunteers": (2, 4.0)}
    texts = _texts(services.satisfaction(Scope(H1)))
    assert texts["residents"] == ("5", "4")
    assert texts["volunteers"] == ("< 5", "< 5")


def test_a_neighbourhood_filter_narrows_every_count(world) -> None:
    oost = Scope(H1, (world["oost"].id,))
    assert queries.requests_by(queries.HelpRequest.source, oost) == {"referrer": 2}
    assert queries.match_counts(oost) == {"proposed": 0, "accepted": 0, "completed": 0}
    assert people.volunteer_counts(oost)["active"] == 0


def test_the_dashboard_counts_the_informal_carers_of_the_period(db) -> None:
    from marketplace.indicators.periods import PeriodKind, fixed
    from marketplace.vocabulary import local_today
    from tests.carers.helpers import carer

    for _ in range(5):
        carer()
    selection = services.Selection(fixed(PeriodKind.HALF_YEAR, local_today()), None)
    table = next(t for t in services.build_tables(selection) if t.key == "carers")
    total = next(row for row in table.rows if row.key == "total")
    assert table.has_data is True
    assert total.figures[0].text == "5"  # registered in the period
    earlier = services.Selection(selection.period.previous(), None)
    table = next(t for t in services.build_tables(earlier) if t.key == "carers")
    assert next(row for row in table.rows if row.key == "total").figures[0].text == "0"


def test_every_table_has_a_counting_rule(world) -> None:
    tables = services.build_tables(services.Selection(H1, None))
    assert len({table.key for table in tables}) == len(tables)
    assert all(len(table.rule) > 40 for table in tables)


@pytest.mark.parametrize("neighbourhoods", [None, "centrum"])
def test_the_heaviest_figures_asked_side_by_side_equal_those_asked_in_turn(
        app, db, world, neighbourhoods) -> None:
    from marketplace.indicators import prefetch

    db.session.commit()  # each lane reads what is committed, as a page does
    ids = None if neighbourhoods is None else (world[neighbourhoods].id,)
    scope = Scope(H1, ids)
    app.config["INDICATORS_PARALLEL_QUERIES"] = 1
    in_turn = prefetch.gather(scope)
    app.config["INDICATORS_PARALLEL_QUERIES"] = 3
    assert prefetch.lanes() == (3 if db.engine.dialect.name == "postgresql" else 1)
    side_by_side = prefetch.gather(scope)
    assert side_by_side == in_turn
    assert in_turn.speed["created"] > 0
    assert in_turn.moves
    chosen = None if neighbourhoods is None else (world[neighbourhoods],)
    selection = services.Selection(H1, chosen)
    tables = services.build_tables(selection, facts=side_by_side)
    assert [_texts(table) for table in tables] == [
        _texts(table) for table in services.build_tables(selection)]
    assert _texts(tables[0])["total"] == (("10",) if neighbourhoods is None else ("8",))
