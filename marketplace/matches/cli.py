"""``flask match run`` and ``flask rq worker``."""

from __future__ import annotations

from flask.cli import AppGroup

match_cli = AppGroup("match", help="Matching rounds.")
rq_cli = AppGroup("rq", help="Background jobs (RQ, when REDIS_URL is set).")
