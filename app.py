"""Entry point: `flask --app app run` or `gunicorn app:app`."""

from marketplace import create_app, warm_up

app = create_app()
warm_up(app)
