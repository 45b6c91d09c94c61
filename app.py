"""Entry point: `flask --app app run` or `gunicorn app:app`."""

import gc
import os

# Start-up builds about 200,000 objects that live as long as the process (modules, mappers,
# routes, templates) and little garbage: the collector waits until they are built, then
# freezes them, so no full collection walks them again. That cost a round's reads and a
# busy page up to 0.1 s at a time; under gunicorn --preload the forked workers also keep
# sharing those memory pages with the master (the order Python's gc.freeze documents).
gc.disable()

from marketplace import create_app, warm_up  # noqa: E402

app = create_app()
# Servers (gunicorn) start warm; a `flask ...` command (a round, a migration) needs no
# compiled templates and would wait for them (about a third of its start-up).
if os.environ.get("FLASK_RUN_FROM_CLI") != "true":
    warm_up(app)
gc.freeze()
gc.enable()
