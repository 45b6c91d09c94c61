"""The carer term of the cost model: an overloaded carer's respite wins a scarce volunteer."""

from __future__ import annotations

import pytest

from matching import CostWeights, RequestInput, VolunteerInput, solve
from matching.io import InputError, parse_request

HILV = (52.2292, 5.1669)
ALL = frozenset({"mon-morning"})


def respite(rid: str, dlat: float = 0.0, burden: int = 0) -> RequestInput:
    return RequestInput(id=rid, lat=HILV[0] + dlat, lon=HILV[1], category="respijtzorg",
                        slot="mon-morning", requires_vog=True, requires_training=True,
                        carer_burden=burden)


def trained(vid: str = "v") -> VolunteerInput:
    return VolunteerInput(id=vid, lat=HILV[0], lon=HILV[1], skills=frozenset({"respijtzorg"}),
                          availability=ALL, max_km=10.0, has_vog=True, has_training=True)


def chosen(requests: list[RequestInput]) -> set[object]:
    return {a.request_id for a in solve(requests, [trained()]).assignments}


def test_overloaded_carer_wins_the_only_trained_volunteer_over_a_nearer_request() -> None:
    # The lightly burdened carer lives next door to the volunteer, the overloaded one 2 km
    # away: without the term distance would decide.
    light, heavy = respite("light", 0.0, burden=0), respite("heavy", 0.018, burden=2)
    assert chosen([light, heavy]) == {"heavy"}
    assert chosen([respite("light", 0.0), respite("heavy", 0.018)]) == {"light"}


def test_the_advantage_is_bounded_by_the_weight() -> None:
    # 2 * 2.5 = 5 km: an overloaded carer 6 km further away does not win.
    assert chosen([respite("light", 0.0), respite("heavy", 0.054, burden=2)]) == {"light"}


def test_raised_burden_sits_between_light_and_overloaded() -> None:
    assert chosen([respite("raised", 0.0, 1), respite("heavy", 0.0, 2)]) == {"heavy"}
    assert chosen([respite("raised", 0.0, 1), respite("light", 0.0, 0)]) == {"raised"}


def test_term_is_explained_and_sums_into_the_cost() -> None:
    result = solve([respite("r", 0.0, burden=1)], [trained()])
    terms = result.assignments[0].explanation.terms
    assert terms["carer"] == pytest.approx(CostWeights().carer_per_level)
    assert sum(terms.values()) == pytest.approx(result.assignments[0].cost)


def test_zero_weight_switches_the_term_off() -> None:
    weights = CostWeights(carer_per_level=0.0)
    res = solve([respite("light", 0.0), respite("heavy", 0.018, burden=2)], [trained()],
                weights=weights)
    assert {a.request_id for a in res.assignments} == {"light"}


@pytest.mark.parametrize("burden", [-1, 3])
def test_burden_outside_the_scale_is_refused(burden: int) -> None:
    with pytest.raises(ValueError, match="carer_burden"):
        solve([respite("r", burden=burden)], [trained()])
    with pytest.raises(InputError, match="carer_burden"):
        parse_request(0, {"id": "r", "lat": 52.2, "lon": 5.1, "category": "x",
                          "carer_burden": burden})
