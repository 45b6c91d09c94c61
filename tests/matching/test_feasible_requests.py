"""``feasible_requests`` (hard rules only, no solve) says what a one-volunteer solve says."""

from __future__ import annotations

from dataclasses import replace

import pytest

from matching import solve
from matching.api import feasible_requests
from matching.synthetic import generate, to_inputs


def _by_solving(requests, volunteer, forbidden):  # type: ignore[no-untyped-def]
    volunteer = replace(volunteer, capacity=1, paused=False)
    result = solve(list(requests), [volunteer], forbidden=list(forbidden))
    taken = {a.request_id for a in result.assignments}
    return taken | {u.request_id for u in result.unmatched if u.feasible_count > 0}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_answer_as_a_one_volunteer_solve(seed: int) -> None:
    requests, volunteers, forbidden = to_inputs(generate(300, 40, seed=seed))
    some_feasible = 0
    for volunteer in volunteers:
        pairs = [pair for pair in forbidden if pair[1] == volunteer.id]
        expected = _by_solving(requests, volunteer, pairs)
        assert feasible_requests(requests, volunteer, pairs) == expected
        some_feasible += bool(expected)
    assert some_feasible >= 10


def test_no_requests() -> None:
    _requests, volunteers, _forbidden = to_inputs(generate(1, 1, seed=1))
    assert feasible_requests([], volunteers[0]) == set()


def test_columns_give_the_same_answer() -> None:
    from matching.api import feasible_columns
    from matching.arrays import request_columns

    requests, volunteers, forbidden = to_inputs(generate(200, 10, seed=4))
    columns = request_columns(requests)
    for volunteer in volunteers:
        pairs = [pair for pair in forbidden if pair[1] == volunteer.id]
        assert feasible_columns(columns, volunteer, pairs) == feasible_requests(
            requests, volunteer, pairs)
    assert feasible_columns(request_columns([]), volunteers[0]) == set()
