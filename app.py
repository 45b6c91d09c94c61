"""Entry point: `flask --app app run` or `gunicorn app:app`."""

import os

from marketplace import create_app, warm_up

app = create_app()
# Servers (gunicorn) start warm; a `flask ...` command (a round, a migration) needs no
# compiled templates and would wait for them (about a third of its start-up).
if os.environ.get("FLASK_RUN_FROM_CLI") != "true":
    warm_up(app)
