"""Start-up: a ``flask`` command loads only what it uses; a server (and a worker) is warm.

Run in a fresh interpreter (``import app``, as ``flask --app app`` and gunicorn do): in this
test process other tests have long imported everything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Libraries imported on first use (see marketplace.warm.import_deferred_libraries).
DEFERRED = (
    "geopy", "icalendar", "phonenumbers", "redis", "rq", "scipy.sparse", "scipy.spatial",
    "xlsxwriter",
)
PROBE = f"""
import json, sys
import app
from sqlalchemy.orm.mapper import _mapper_registries
print(json.dumps({{
    "loaded": [name for name in {DEFERRED!r} if name in sys.modules],
    "mappers_configured": not any(r._new_mappers for r in _mapper_registries),
    "alembic": "alembic" in sys.modules,
}}))
"""


def _start(from_cli: bool) -> dict[str, object]:
    env = {**os.environ, "HULPPUNT_ENV": "testing"}
    env.pop("FLASK_RUN_FROM_CLI", None)
    if from_cli:
        env["FLASK_RUN_FROM_CLI"] = "true"
    proc = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    found: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return found


def test_a_flask_command_starts_without_the_deferred_libraries() -> None:
    started = _start(from_cli=True)
    assert started["loaded"] == []
    # Configuring every mapper (about 0.12 s) waits for the first query.
    assert started["mappers_configured"] is False


def test_a_server_starts_warm() -> None:
    started = _start(from_cli=False)
    assert started["loaded"] == list(DEFERRED)
    assert started["mappers_configured"] is True


def test_alembic_loads_only_for_flask_db() -> None:
    # Neither a command nor a server migrates: Flask-Migrate and Alembic (0.15 s) wait.
    assert _start(from_cli=True)["alembic"] is False
    assert _start(from_cli=False)["alembic"] is False
    # `flask db ...` hands over to Flask-Migrate's own group, its options included.
    env = {**os.environ, "HULPPUNT_ENV": "testing"}
    for args in (["db", "heads"], ["db", "-d", "migrations", "heads"]):
        proc = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args],
                              capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
                              check=False)
        assert proc.returncode == 0, proc.stderr
        assert "(head)" in proc.stdout
