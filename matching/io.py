"""JSON input parsing and validation for the CLI.

Every error names the offending record, e.g. ``requests[3] (id "r17"): unknown slot
"mon-night"``, and is raised as :class:`InputError` before any output is written.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import orjson

from matching.model import SLOT_INDEX, Id, RequestInput, VolunteerInput

if TYPE_CHECKING:
    from matching.arrays import Encoded


class InputError(ValueError):
    """Invalid CLI input; the message names the record."""


def _where(kind: str, i: int, rec: Any) -> str:
    rid = rec.get("id") if isinstance(rec, dict) else None
    return f'{kind}[{i}] (id "{rid}")' if rid is not None else f"{kind}[{i}]"


def _num(rec: dict[str, Any], key: str, where: str, default: float | None = None) -> float:
    if key not in rec:
        if default is None:
            raise InputError(f"{where}: missing field {key!r}")
        return default
    val = rec[key]
    if isinstance(val, bool) or not isinstance(val, int | float):
        raise InputError(f"{where}: field {key!r} must be a number")
    return float(val)


def _bool(rec: dict[str, Any], key: str, where: str) -> bool:
    val = rec.get(key, False)
    if not isinstance(val, bool):
        raise InputError(f"{where}: field {key!r} must be true or false")
    return val


def _id(rec: dict[str, Any], where: str) -> Id:
    val = rec.get("id")
    if isinstance(val, bool) or not isinstance(val, str | int):
        raise InputError(f"{where}: field 'id' must be a string or integer")
    return val


def _coords(rec: dict[str, Any], where: str) -> tuple[float, float]:
    lat, lon = _num(rec, "lat", where), _num(rec, "lon", where)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InputError(f"{where}: coordinates out of range ({lat}, {lon})")
    return lat, lon


def _str(rec: dict[str, Any], key: str, where: str) -> str:
    val = rec.get(key)
    if not isinstance(val, str) or not val:
        raise InputError(f"{where}: field {key!r} must be a non-empty string")
    return val


def _slot(val: Any, where: str) -> str:
    if not isinstance(val, str) or val not in SLOT_INDEX:
        raise InputError(f"{where}: unknown slot {json.dumps(val)}")
    return val


def _strings(rec: dict[str, Any], key: str, where: str) -> list[str]:
    val = rec.get(key)
    if not isinstance(val, list) or not all(isinstance(s, str) for s in val):
        raise InputError(f"{where}: field {key!r} must be a list of strings")
    return val


def parse_request(i: int, rec: Any) -> RequestInput:
    """Validate one request record (a JSON object)."""
    where = _where("requests", i, rec)
    if not isinstance(rec, dict):
        raise InputError(f"{where}: must be an object")
    lat, lon = _coords(rec, where)
    slot = rec.get("slot")
    urgency = _num(rec, "urgency", where, 1.0)
    if urgency not in (1.0, 2.0, 3.0):
        raise InputError(f"{where}: urgency must be 1, 2 or 3")
    waiting = _num(rec, "waiting_days", where, 0.0)
    if waiting < 0:
        raise InputError(f"{where}: waiting_days must be >= 0")
    burden = _num(rec, "carer_burden", where, 0.0)
    if burden not in (0.0, 1.0, 2.0):
        raise InputError(f"{where}: carer_burden must be 0, 1 or 2")
    return RequestInput(
        id=_id(rec, where), lat=lat, lon=lon, category=_str(rec, "category", where),
        slot=None if slot is None else _slot(slot, where),
        requires_vog=_bool(rec, "requires_vog", where),
        requires_training=_bool(rec, "requires_training", where),
        urgency=int(urgency), waiting_days=waiting, carer_burden=int(burden))


def parse_volunteer(i: int, rec: Any) -> VolunteerInput:
    """Validate one volunteer record (a JSON object)."""
    where = _where("volunteers", i, rec)
    if not isinstance(rec, dict):
        raise InputError(f"{where}: must be an object")
    lat, lon = _coords(rec, where)
    max_km = _num(rec, "max_km", where)
    capacity = _num(rec, "capacity", where, 1.0)
    if max_km < 0 or capacity < 0 or capacity != int(capacity):
        raise InputError(f"{where}: max_km and capacity must be >= 0 (capacity an integer)")
    avail = [_slot(s, where) for s in _strings(rec, "availability", where)]
    return VolunteerInput(
        id=_id(rec, where), lat=lat, lon=lon,
        skills=frozenset(_strings(rec, "skills", where)), availability=frozenset(avail),
        max_km=max_km, has_vog=_bool(rec, "has_vog", where),
        has_training=_bool(rec, "has_training", where), capacity=int(capacity),
        paused=_bool(rec, "paused", where))


def _unique(kind: str, ids: list[Id]) -> None:
    seen: set[Id] = set()
    for i, x in enumerate(ids):
        if x in seen:
            raise InputError(f'{kind}[{i}] (id "{x}"): duplicate id')
        seen.add(x)


def _forbidden(raw: Any, req_ids: set[Id], vol_ids: set[Id]) -> list[tuple[Id, Id]]:
    if not isinstance(raw, list):
        raise InputError("forbidden: must be a list of [request_id, volunteer_id] pairs")
    out: list[tuple[Id, Id]] = []
    for i, pair in enumerate(raw):
        if not (isinstance(pair, list) and len(pair) == 2):
            raise InputError(f"forbidden[{i}]: must be a [request_id, volunteer_id] pair")
        r, v = pair
        if r not in req_ids or v not in vol_ids:
            raise InputError(f"forbidden[{i}]: unknown id in pair {json.dumps(pair)}")
        out.append((r, v))
    return out


def load_document(data: str | bytes) -> dict[str, Any]:
    """The input document (orjson), with 'requests' and 'volunteers' lists; raises
    InputError."""
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise InputError(f"input is not valid JSON: {exc}") from exc
    if not isinstance(doc, dict):
        raise InputError("input must be a JSON object with 'requests' and 'volunteers'")
    for key in ("requests", "volunteers"):
        if not isinstance(doc.get(key), list):
            raise InputError(f"field {key!r} must be a list")
    return doc


def parse_problem(text: str | bytes) -> tuple[list[RequestInput], list[VolunteerInput],
                                              list[tuple[Id, Id]]]:
    """Parse and fully validate the CLI input document; raises InputError."""
    return problem_from_document(load_document(text))


def problem_from_document(doc: Any) -> tuple[list[RequestInput], list[VolunteerInput],
                                             list[tuple[Id, Id]]]:
    """Validate a parsed document record by record (the first bad record is named)."""
    if not isinstance(doc, dict):
        raise InputError("input must be a JSON object with 'requests' and 'volunteers'")
    for key in ("requests", "volunteers"):
        if not isinstance(doc.get(key), list):
            raise InputError(f"field {key!r} must be a list")
    reqs = [parse_request(i, r) for i, r in enumerate(doc["requests"])]
    vols = [parse_volunteer(i, v) for i, v in enumerate(doc["volunteers"])]
    _unique("requests", [r.id for r in reqs])
    _unique("volunteers", [v.id for v in vols])
    forb = _forbidden(doc.get("forbidden", []), {r.id for r in reqs}, {v.id for v in vols})
    return reqs, vols, forb


def parse_encoded(data: str | bytes) -> Encoded:
    """Parse and validate the CLI input straight into arrays (:class:`Encoded`, what
    :func:`matching.api.solve_encoded` takes), checking whole columns at once.

    The same contract as :func:`parse_problem` followed by ``encode``: a document the array
    checks do not accept outright goes through the record-by-record validation, so every
    error still names the first offending record (InputError, or ValueError from
    ``encode``)."""
    from matching.arrays import encode
    from matching.io_arrays import encode_document

    doc = load_document(data)
    encoded = encode_document(doc)
    if encoded is not None:
        return encoded
    requests, volunteers, forbidden = problem_from_document(doc)
    return encode(requests, volunteers, forbidden)
