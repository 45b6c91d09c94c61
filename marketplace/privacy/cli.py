"""``flask privacy purge``."""

from __future__ import annotations

from flask.cli import AppGroup

privacy_cli = AppGroup("privacy", help="Personal data: retention and anonymisation.")
