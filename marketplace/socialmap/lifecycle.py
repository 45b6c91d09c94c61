"""The statuses of the sociale kaart, as explicit state machines.

A **service** (HSDS ``service.status``)::

    (new) -> active <-> temporarily closed
             active | temporarily closed -> inactive | defunct
             inactive -> active | defunct;  defunct -> active

Only active and temporarily closed services are on the public directory; the HSDS API also
lists inactive ones (status ``inactive``), so other publishers can take them down.

A **suggested correction**::

    (new) -> open -> approved | rejected

This module is the only code that assigns ``Service.status`` and ``Suggestion.status``
(``tests/test_architecture.py`` checks the source). Every move a person makes is audited in
words; an import takes the publisher's status as it is (the import is audited as a whole).
The caller commits.
"""

from __future__ import annotations

from marketplace import audit
from marketplace.errors import InvalidTransition
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import (
    Service,
    ServiceStatus,
    Suggestion,
    SuggestionStatus,
    User,
    utcnow,
)

S = ServiceStatus

ALLOWED: dict[ServiceStatus, frozenset[ServiceStatus]] = {
    S.ACTIVE: frozenset({S.TEMPORARILY_CLOSED, S.INACTIVE, S.DEFUNCT}),
    S.TEMPORARILY_CLOSED: frozenset({S.ACTIVE, S.INACTIVE, S.DEFUNCT}),
    S.INACTIVE: frozenset({S.ACTIVE, S.DEFUNCT}),
    S.DEFUNCT: frozenset({S.ACTIVE}),
}


SUGGESTION_ALLOWED: dict[SuggestionStatus, frozenset[SuggestionStatus]] = {
    SuggestionStatus.OPEN: frozenset({SuggestionStatus.APPROVED, SuggestionStatus.REJECTED}),
    SuggestionStatus.APPROVED: frozenset(),
    SuggestionStatus.REJECTED: frozenset(),
}


def action_for(to_status: ServiceStatus) -> str:
    """The audit action of a move to ``to_status`` (its words are in ``audit.ACTIONS``)."""
    match to_status:
        case S.ACTIVE:
            action = "socialmap.service_activated"
        case S.TEMPORARILY_CLOSED:
            action = "socialmap.service_closed"
        case S.INACTIVE:
            action = "socialmap.service_deactivated"
        case _:
            action = "socialmap.service_stopped"
    return action


def create_service(service: Service, actor: User | None) -> Service:
    """A new service starts active; audited as created. The caller adds and flushes it
    first (the audit entry names its id)."""
    service.status = S.ACTIVE
    audit.record(actor, "socialmap.service_created", service)
    return service


def can_move(service: Service, to_status: ServiceStatus) -> bool:
    return to_status in ALLOWED[service.status]


def transition(service: Service, to_status: ServiceStatus, actor: User | None) -> Service:
    """Move ``service`` to ``to_status`` and audit who did it.

    Raises :class:`InvalidTransition` and changes nothing when the move is not allowed
    (including a move to the status it has).
    """
    if not can_move(service, to_status):
        raise InvalidTransition(_l("Deze dienst kan niet van deze status naar die status."))
    service.status = to_status
    audit.record(actor, action_for(to_status), service)
    return service


def imported(service: Service, status: ServiceStatus) -> None:
    """Take the status another publisher gives the service: their data is the truth, so no
    table applies (the caller audits the import)."""
    service.status = status


def decide_suggestion(suggestion: Suggestion, approve: bool, actor: User) -> Suggestion:
    """Approve or reject an open suggestion: who and when are kept, the sender's e-mail
    address is forgotten, the decision is audited. Raises :class:`InvalidTransition` when it
    was decided already."""
    to_status = SuggestionStatus.APPROVED if approve else SuggestionStatus.REJECTED
    if to_status not in SUGGESTION_ALLOWED[suggestion.status]:
        raise InvalidTransition(_l("Deze suggestie is al afgehandeld."))
    suggestion.status = to_status
    suggestion.decided_at = utcnow()
    suggestion.decided_by_id = actor.id
    suggestion.email = ""
    audit.record(actor, "socialmap.suggestion_approved" if approve
                 else "socialmap.suggestion_rejected", suggestion)
    return suggestion
