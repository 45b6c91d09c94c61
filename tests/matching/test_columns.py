"""Inputs in columns (what the app's round reads) encode to exactly the arrays the objects
encode to, break the same value contracts, and turn back into the same objects."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from matching.arrays import (
    Encoded,
    encode,
    encode_columns,
    join_volunteers,
    request_columns,
    request_input,
    volunteer_columns,
    volunteer_input,
)
from matching.model import RequestInput, VolunteerInput
from matching.synthetic import generate, to_inputs


def _inputs() -> tuple[list[RequestInput], list[VolunteerInput], list[Any]]:
    requests, volunteers, forbidden = to_inputs(generate(120, 80, seed=5))
    # Earlier help, also by someone who is not in this round, and a carer's burden.
    requests[0] = replace(requests[0], previous_helpers={volunteers[2].id: 4.0, "gone": 5.0},
                          carer_burden=2)
    return requests, volunteers, list(forbidden)


def _same(a: Encoded, b: Encoded) -> None:
    assert (a.request_ids, a.volunteer_ids, a.categories) == (
        b.request_ids, b.volunteer_ids, b.categories)
    for name in a.arrays.__dataclass_fields__:
        left, right = getattr(a.arrays, name), getattr(b.arrays, name)
        assert left.dtype == right.dtype, name
        assert np.array_equal(left, right), name


def test_columns_encode_to_the_objects_arrays_also_when_volunteers_are_joined() -> None:
    requests, volunteers, forbidden = _inputs()
    joined = join_volunteers(volunteer_columns(volunteers[:50]),
                             volunteer_columns(volunteers[50:]))
    encoded = encode_columns(request_columns(requests), joined, forbidden)
    _same(encoded, encode(requests, volunteers, forbidden))
    assert encoded.arrays.history.tolist()[0] == [0, 2]  # "gone" is skipped


def test_encoded_rows_turn_back_into_the_objects() -> None:
    requests, volunteers, forbidden = _inputs()
    encoded = encode(requests, volunteers, forbidden)
    rebuilt = [request_input(encoded, row) for row in range(len(requests))]
    assert dict(rebuilt[0].previous_helpers) == {volunteers[2].id: 4.0}  # "gone" is not in it
    assert rebuilt[1:] == requests[1:]
    assert [volunteer_input(encoded, row) for row in range(len(volunteers))] == volunteers


@pytest.mark.parametrize(("side", "column", "row", "value", "message"), [
    ("requests", "lat", 3, 95.0, "coordinates out of range"),
    ("requests", "slot", 4, 21, "unknown slot"),
    ("requests", "urgency", 5, 0, "urgency must be 1..3"),
    ("requests", "waiting", 6, np.nan, "waiting_days must be >= 0"),
    ("requests", "carer_burden", 7, 3, "carer_burden must be 0..2"),
    ("volunteers", "lon", 8, -181.0, "coordinates out of range"),
    ("volunteers", "capacity", 9, -1, "max_km, capacity, recent_matches must be >= 0"),
])
def test_a_value_out_of_contract_names_the_first_record_breaking_it(
    side: str, column: str, row: int, value: Any, message: str
) -> None:
    requests, volunteers, _forbidden = _inputs()
    columns = {"requests": request_columns(requests), "volunteers": volunteer_columns(volunteers)}
    bad = getattr(columns[side], column).copy()
    bad[row], bad[row + 1] = value, value
    columns[side] = replace(columns[side], **{column: bad})
    ids = columns[side].ids
    with pytest.raises(ValueError, match=f"{side[:-1]} {ids[row]!r}: {message}"):
        encode_columns(columns["requests"], columns["volunteers"])


def test_columns_of_unequal_length_are_refused() -> None:
    requests, volunteers, _forbidden = _inputs()
    columns = request_columns(requests)
    with pytest.raises(ValueError, match="request columns differ in length"):
        encode_columns(replace(columns, lat=columns.lat[:-1]), volunteer_columns(volunteers))
