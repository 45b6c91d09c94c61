"""Domain errors raised by services, and the pages shown for HTTP errors."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from marketplace.i18n import lazy_gettext as _l


class DomainError(Exception):
    """A rule of the domain refused an action. ``message`` is safe to show to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(str(message))
        self.message = message


class FieldError(DomainError):
    """A rule refused one input field. ``field`` names the form field to show it on."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class NotAllowed(DomainError):
    """The user may not do this (maps to 403)."""


class NotFound(DomainError):
    """The thing does not exist or the user may not know it exists (maps to 404)."""


class InvalidTransition(DomainError):
    """A request cannot move from its current state to the asked one."""


class Conflict(DomainError):
    """Somebody else changed the same thing first (maps to 409)."""


_TITLES = {
    400: _l("Dat ging niet goed"),
    403: _l("Geen toegang"),
    404: _l("Pagina niet gevonden"),
    405: _l("Dat kan zo niet"),
    409: _l("Iemand was u voor"),
    413: _l("Te groot"),
    429: _l("Even rustig aan"),
    500: _l("Er ging iets mis"),
    503: _l("Tijdelijk niet beschikbaar"),
}

_EXPLANATIONS = {
    400: _l("Het formulier of de link klopt niet. Probeer het opnieuw vanaf de vorige pagina."),
    403: _l("U heeft geen toegang tot deze pagina."),
    404: _l("Deze pagina bestaat niet (meer). Controleer het adres of ga naar de startpagina."),
    405: _l("Deze actie kan niet op deze manier."),
    409: _l("Iemand anders heeft dit net veranderd. Bekijk de pagina opnieuw."),
    413: _l("Wat u stuurde is te groot."),
    429: _l("U heeft dit te vaak geprobeerd. Wacht een paar minuten en probeer het dan opnieuw."),
    500: _l("Er ging iets mis aan onze kant. Probeer het later opnieuw."),
    503: _l("Hulppunt is even niet bereikbaar. Probeer het over een paar minuten opnieuw."),
}


def render_error(code: int, message: str | None = None) -> tuple[str | object, int]:
    if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
        return jsonify(error=str(message or _TITLES.get(code, ""))), code
    return (
        render_template(
            "errors/error.html",
            code=code,
            title=_TITLES.get(code, _TITLES[500]),
            explanation=message or _EXPLANATIONS.get(code, _EXPLANATIONS[500]),
        ),
        code,
    )


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):  # type: ignore[no-untyped-def]
        code = error.code or 500
        message = None
        if code == 400 and error.description and "CSRF" in str(error.description):
            message = str(
                _l("Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.")
            )
        return render_error(code, message)

    @app.errorhandler(NotAllowed)
    def handle_not_allowed(error: NotAllowed):  # type: ignore[no-untyped-def]
        return render_error(403, str(error.message))

    @app.errorhandler(NotFound)
    def handle_not_found(error: NotFound):  # type: ignore[no-untyped-def]
        return render_error(404)

    @app.errorhandler(Conflict)
    def handle_conflict(error: Conflict):  # type: ignore[no-untyped-def]
        return render_error(409, str(error.message))

    @app.errorhandler(500)
    def handle_server_error(error: Exception):  # type: ignore[no-untyped-def]
        return render_error(500)
