"""The JSON command line, run as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

GOOD: dict[str, object] = {
    "requests": [
        {"id": "r1", "lat": 52.2235, "lon": 5.1752, "category": "groceries",
         "slot": "mon-morning", "urgency": 2, "waiting_days": 3},
        {"id": "r2", "lat": 52.23, "lon": 5.18, "category": "garden", "requires_vog": True},
    ],
    "volunteers": [
        {"id": "v1", "lat": 52.22, "lon": 5.17, "skills": ["groceries", "garden"],
         "availability": ["mon-morning"], "max_km": 5, "has_vog": True, "capacity": 2},
    ],
    "forbidden": [],
}


def run(tmp_path: Path, doc: object, raw: str | None = None) -> tuple[int, str, Path]:
    src = tmp_path / "in.json"
    src.write_text(raw if raw is not None else json.dumps(doc))
    out = tmp_path / "out.json"
    proc = subprocess.run([sys.executable, "-m", "matching", "solve", str(src), "-o", str(out)],
                          capture_output=True, text=True, check=False)
    return proc.returncode, proc.stderr, out


def test_help() -> None:
    proc = subprocess.run([sys.executable, "-m", "matching", "--help"], capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0
    assert "solve" in proc.stdout


def test_good_input_stdout(tmp_path: Path) -> None:
    src = tmp_path / "in.json"
    src.write_text(json.dumps(GOOD))
    proc = subprocess.run([sys.executable, "-m", "matching", "solve", str(src)],
                          capture_output=True, text=True, check=True)
    doc = json.loads(proc.stdout)
    assert {(a["request"], a["volunteer"]) for a in doc["assignments"]} == {("r1", "v1"),
                                                                           ("r2", "v1")}
    assert doc["unmatched"] == []
    assert doc["assignments"][0]["explanation"]["rank"] == 1


def test_good_input_file(tmp_path: Path) -> None:
    code, _, out = run(tmp_path, GOOD)
    assert code == 0
    assert json.loads(out.read_text())["stats"]["n_matched"] == 2


def _mutate(path: str, value: object) -> dict[str, object]:
    doc = json.loads(json.dumps(GOOD))
    kind, idx, key = path.split(".")
    if value is KeyError:
        del doc[kind][int(idx)][key]
    else:
        doc[kind][int(idx)][key] = value
    return doc


@pytest.mark.parametrize(("path", "value", "needle"), [
    ("requests.1.slot", "mon-night", 'requests[1] (id "r2"): unknown slot "mon-night"'),
    ("requests.0.lat", 123.0, 'requests[0] (id "r1"): coordinates'),
    ("requests.0.urgency", 4, 'requests[0] (id "r1"): urgency'),
    ("requests.1.category", KeyError, 'requests[1] (id "r2")'),
    ("requests.0.lon", "east", 'requests[0] (id "r1")'),
    ("volunteers.0.max_km", -1, 'volunteers[0] (id "v1")'),
    ("volunteers.0.capacity", -2, 'volunteers[0] (id "v1")'),
    ("volunteers.0.availability", ["xmas"], 'volunteers[0] (id "v1"): unknown slot'),
    ("requests.1.id", "r1", 'requests[1] (id "r1"): duplicate'),
])
def test_invalid_record(tmp_path: Path, path: str, value: object, needle: str) -> None:
    code, err, out = run(tmp_path, _mutate(path, value))
    assert code == 2
    assert needle in err
    assert not out.exists()


def test_not_json(tmp_path: Path) -> None:
    code, err, out = run(tmp_path, None, raw="{nope")
    assert (code, out.exists()) == (2, False)
    assert "not valid JSON" in err


def test_forbidden_unknown_id(tmp_path: Path) -> None:
    doc = json.loads(json.dumps(GOOD))
    doc["forbidden"] = [["r1", "ghost"]]
    code, err, out = run(tmp_path, doc)
    assert (code, out.exists()) == (2, False)
    assert "forbidden[0]" in err
