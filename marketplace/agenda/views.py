"""``GET /agenda/<token>.ics``: a person's private calendar feed, for calendar apps that
cannot log in. The secret link is the proof (:mod:`marketplace.agenda.services`)."""

from __future__ import annotations

from flask import Blueprint, abort
from werkzeug.wrappers import Response

from marketplace.agenda import services
from marketplace.extensions import limiter
from marketplace.matches import calendar

blueprint = Blueprint("agenda", __name__, url_prefix="/agenda")


@blueprint.get("/<token>.ics")
@limiter.limit("120 per hour")
def feed(token: str) -> Response:
    user = services.user_for_token(token)
    if user is None:
        abort(404)
    response = Response(
        calendar.calendar_for(user, services.feed_matches(user)), mimetype="text/calendar"
    )
    response.headers["Content-Disposition"] = 'inline; filename="hulppunt.ics"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
