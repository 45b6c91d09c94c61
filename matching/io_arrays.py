"""The CLI's fast reader: a parsed input document straight into :class:`Encoded` arrays.

Checks whole columns at once (the set of value types in a column, ranges with numpy) and
accepts a document only when :func:`matching.io.problem_from_document` and
:func:`matching.arrays.encode` would accept it too, building the same arrays. Anything it
does not accept outright (a wrong type, a value out of range, an unknown id, a missing
field) makes it answer None, and the caller validates record by record, which names the
first offending record. So this module never words an error.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from matching.arrays import Encoded, ProblemArrays
from matching.model import SLOT_INDEX, SLOTS, Id

_NUMBER = frozenset({int, float})
_SLOT_OR_NONE = frozenset(SLOTS) | {None}


def _types(values: list[Any]) -> set[type]:
    return set(map(type, values))


def _numbers(values: list[Any]) -> np.ndarray | None:
    """The column as float64, or None unless every value is an int or float (not bool)."""
    if not _types(values) <= _NUMBER:
        return None
    return np.array(values, dtype=np.float64)


def _flags(records: list[dict[str, Any]], key: str) -> np.ndarray | None:
    values = [record.get(key, False) for record in records]
    return np.array(values, dtype=np.bool_) if _types(values) <= {bool} else None


def _ids(records: list[dict[str, Any]]) -> dict[Id, int] | None:
    """id -> position when every id is a str or int and all are distinct."""
    ids = [record["id"] for record in records]
    if not _types(ids) <= {str, int}:
        return None
    index = {value: position for position, value in enumerate(ids)}
    return index if len(index) == len(ids) else None


def _coords(records: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray] | None:
    lat = _numbers([record["lat"] for record in records])
    lon = _numbers([record["lon"] for record in records])
    if lat is None or lon is None:
        return None
    if not (np.all((lat >= -90) & (lat <= 90)) and np.all((lon >= -180) & (lon <= 180))):
        return None
    return lat, lon


def _requests(records: list[dict[str, Any]]) -> dict[str, Any] | None:
    coords = _coords(records)
    categories = [record["category"] for record in records]
    slots = [record.get("slot") for record in records]
    urgency = _numbers([record.get("urgency", 1) for record in records])
    waiting = _numbers([record.get("waiting_days", 0) for record in records])
    burden = _numbers([record.get("carer_burden", 0) for record in records])
    vog, training = _flags(records, "requires_vog"), _flags(records, "requires_training")
    if (coords is None or urgency is None or waiting is None or burden is None or vog is None
            or training is None or _types(categories) != {str} or "" in set(categories)
            or not set(slots) <= _SLOT_OR_NONE or not np.all(np.isin(urgency, (1, 2, 3)))
            or not np.all(waiting >= 0) or not np.all(np.isin(burden, (0, 1, 2)))):
        return None
    return {"req_lat": coords[0], "req_lon": coords[1], "categories": categories,
            "req_slot": np.array([-1 if s is None else SLOT_INDEX[s] for s in slots],
                                 dtype=np.int64),
            "req_vog": vog, "req_training": training,
            "req_urgency": urgency.astype(np.int64), "req_waiting": waiting,
            "req_carer_burden": burden.astype(np.int64)}


def _lists(records: list[dict[str, Any]], key: str) -> tuple[list[str], np.ndarray] | None:
    """Every record's ``key`` is a list of strings: all of them flat, and each one's row."""
    lists = [record[key] for record in records]
    if not _types(lists) <= {list}:
        return None
    flat = [value for values in lists for value in values]
    if not _types(flat) <= {str}:
        return None
    rows = np.repeat(np.arange(len(lists), dtype=np.int64), [len(values) for values in lists])
    return flat, rows


def _volunteers(records: list[dict[str, Any]]) -> dict[str, Any] | None:
    coords = _coords(records)
    max_km = _numbers([record["max_km"] for record in records])
    capacity = _numbers([record.get("capacity", 1) for record in records])
    vog, training = _flags(records, "has_vog"), _flags(records, "has_training")
    paused = _flags(records, "paused")
    skills, availability = _lists(records, "skills"), _lists(records, "availability")
    if (coords is None or max_km is None or capacity is None or vog is None or training is None
            or paused is None or skills is None or availability is None
            or not np.all(max_km >= 0) or not np.all(capacity >= 0)
            or not np.all(capacity == np.floor(capacity))
            or not set(availability[0]) <= SLOT_INDEX.keys()):
        return None
    avail = np.zeros((len(records), len(SLOTS)), dtype=np.bool_)
    avail[availability[1], [SLOT_INDEX[s] for s in availability[0]]] = True
    return {"vol_lat": coords[0], "vol_lon": coords[1], "skills": skills, "vol_avail": avail,
            "vol_max_km": max_km, "vol_vog": vog, "vol_training": training,
            "vol_capacity": capacity.astype(np.int64), "vol_paused": paused,
            "vol_recent": np.zeros(len(records), dtype=np.int64)}


def _forbidden(raw: Any, enc_r: dict[Id, int], enc_v: dict[Id, int]) -> np.ndarray | None:
    if type(raw) is not list or not _types(raw) <= {list}:
        return None
    if any(len(pair) != 2 for pair in raw):
        return None
    rows = [(enc_r[r], enc_v[v]) for r, v in raw]  # KeyError/TypeError: not accepted
    return np.array(rows, dtype=np.int64).reshape(-1, 2)


def encode_document(doc: dict[str, Any]) -> Encoded | None:
    """The document's instance as arrays, or None when it needs the record-by-record
    validation (``doc`` has 'requests' and 'volunteers' lists, see ``io.load_document``)."""
    try:
        return _encode(doc["requests"], doc["volunteers"], doc.get("forbidden", []))
    except (KeyError, TypeError, ValueError, OverflowError):
        return None


def _encode(requests: list[Any], volunteers: list[Any], raw_forbidden: Any) -> Encoded | None:
    if not (_types(requests) <= {dict} and _types(volunteers) <= {dict}):
        return None
    enc_r, enc_v = _ids(requests), _ids(volunteers)
    req, vol = _requests(requests), _volunteers(volunteers)
    if enc_r is None or enc_v is None or req is None or vol is None:
        return None
    forbidden = _forbidden(raw_forbidden, enc_r, enc_v)
    if forbidden is None:
        return None
    flat_skills, skill_rows = vol.pop("skills")
    categories = req.pop("categories")
    cats = sorted(set(categories) | set(flat_skills))
    cat_of = {c: i for i, c in enumerate(cats)}
    skills = np.zeros((len(volunteers), len(cats)), dtype=np.bool_)
    skills[skill_rows, [cat_of[s] for s in flat_skills]] = True
    arrays = ProblemArrays(
        **req, req_cat=np.array([cat_of[c] for c in categories], dtype=np.int64),
        **vol, vol_skills=skills, forbidden=forbidden,
        history=np.zeros((0, 2), dtype=np.int64), history_rating=np.zeros(0, dtype=np.float64),
    )
    return Encoded(arrays, tuple(enc_r), tuple(enc_v), tuple(cats), enc_r, enc_v)
