"""The CLI's array reader accepts exactly what the record-by-record reader accepts, builds
the same arrays, and leaves every error to the reader that names the record."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.arrays import Encoded, encode
from matching.io import InputError, parse_encoded, parse_problem
from matching.io_arrays import encode_document
from matching.synthetic import generate, to_inputs


def _document(n: int) -> dict[str, Any]:
    reqs, vols, forb = to_inputs(generate(n, n, seed=7))
    return {
        "requests": [{"id": r.id, "lat": r.lat, "lon": r.lon, "category": r.category,
                      "slot": r.slot, "requires_vog": r.requires_vog,
                      "requires_training": r.requires_training, "urgency": r.urgency,
                      "waiting_days": r.waiting_days} for r in reqs],
        "volunteers": [{"id": v.id, "lat": v.lat, "lon": v.lon, "skills": sorted(v.skills),
                        "availability": sorted(v.availability), "max_km": v.max_km,
                        "has_vog": v.has_vog, "has_training": v.has_training,
                        "capacity": v.capacity, "paused": v.paused} for v in vols],
        "forbidden": [list(pair) for pair in forb],
    }


def _slow(text: str) -> Encoded:
    return encode(*parse_problem(text))


def _same(a: Encoded, b: Encoded) -> None:
    assert (a.request_ids, a.volunteer_ids, a.categories) == (
        b.request_ids, b.volunteer_ids, b.categories)
    for name in a.arrays.__dataclass_fields__:
        left, right = getattr(a.arrays, name), getattr(b.arrays, name)
        assert left.dtype == right.dtype, name
        assert np.array_equal(left, right), name


def _outcome(text: str) -> tuple[str, Any]:
    try:
        return "ok", _slow(text)
    except (InputError, ValueError) as exc:
        return "error", str(exc)


def test_array_reader_builds_the_same_arrays() -> None:
    doc = _document(400)
    assert doc["forbidden"]
    assert encode_document(doc) is not None  # the fast path took it
    _same(parse_encoded(json.dumps(doc)), _slow(json.dumps(doc)))


def test_optional_fields_and_whole_numbers() -> None:
    doc = _document(30)
    del doc["requests"][0]["urgency"]
    del doc["requests"][1]["slot"]
    doc["requests"][2]["lat"] = 52
    doc["volunteers"][0]["capacity"] = 2.0
    del doc["volunteers"][1]["paused"]
    del doc["forbidden"]
    assert encode_document(doc) is not None
    _same(parse_encoded(json.dumps(doc)), _slow(json.dumps(doc)))


@pytest.mark.parametrize(("kind", "key", "value"), [
    ("requests", "urgency", True),
    ("requests", "lat", None),
    ("requests", "requires_vog", 1),
    ("requests", "category", ""),
    ("requests", "slot", ["mon-morning"]),
    ("requests", "id", 1.5),
    ("volunteers", "capacity", 1.5),
    ("volunteers", "skills", ["tuin", 3]),
    ("volunteers", "availability", "mon-morning"),
    ("volunteers", "paused", None),
])
def test_bad_values_are_left_to_the_record_reader(kind: str, key: str, value: Any) -> None:
    doc = _document(30)
    doc[kind][5][key] = value
    assert encode_document(doc) is None
    text = json.dumps(doc)
    with pytest.raises((InputError, ValueError)) as caught:
        parse_encoded(text)
    assert str(caught.value) == _outcome(text)[1]
    assert f"{kind}[5]" in str(caught.value)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 400) | st.floats(-200, 200)
    | st.sampled_from(["", "mon-morning", "tuin", "r1", "v1", "xmas"]),
    lambda inner: st.lists(inner, max_size=3),
    max_leaves=4,
)
FIELDS = {
    "requests": ["id", "lat", "lon", "category", "slot", "urgency", "waiting_days",
                 "requires_vog", "requires_training"],
    "volunteers": ["id", "lat", "lon", "skills", "availability", "max_km", "capacity",
                   "has_vog", "has_training", "paused"],
}


@settings(max_examples=150, deadline=None)
@given(
    kind=st.sampled_from(["requests", "volunteers"]), field_number=st.integers(0, 9),
    row=st.integers(0, 9), value=JSON_VALUES | st.just(KeyError),
)
def test_any_change_to_one_field_reads_as_before(
    kind: str, field_number: int, row: int, value: Any
) -> None:
    doc = _document(10)
    key = FIELDS[kind][field_number % len(FIELDS[kind])]
    if value is KeyError:
        doc[kind][row].pop(key, None)
    else:
        doc[kind][row][key] = value
    text = json.dumps(doc)
    expected = _outcome(text)
    try:
        got: tuple[str, Any] = ("ok", parse_encoded(text))
    except (InputError, ValueError) as exc:
        got = ("error", str(exc))
    assert got[0] == expected[0]
    if got[0] == "ok":
        _same(got[1], expected[1])
    else:
        assert got[1] == expected[1]
