"""Writing to the audit log, and what each kind of entry means in words.

Services call :func:`record` for every change that matters. Every action code (``noun.verb``)
the code base writes has one row in :data:`ACTIONS`: a short label (the log's filter) and a
sentence "<who> <did what> <to what>" in Dutch, translated like every other text; the log
page (``privacy/audit_log.py``) fills them in. A code without a row is shown with a generic
sentence, never as the code; ``tests/test_audit.py`` fails for a written code without one.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from flask_babel.speaklater import LazyString
from werkzeug.local import LocalProxy

from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import AuditEntry, User


def _unproxied(value: Any) -> Any:
    """The object behind ``current_user`` (a proxy's class name is no target type)."""
    return value._get_current_object() if isinstance(value, LocalProxy) else value


def record(
    actor: User | None,
    action: str,
    target: object | None = None,
    detail: str = "",
) -> AuditEntry:
    """Add an audit entry to the session (the caller's transaction commits it)."""
    target = _unproxied(target)
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=type(target).__name__ if target is not None else "",
        target_id=getattr(target, "id", None),
        detail=detail[:500],
    )
    db.session.add(entry)
    return entry


class Detail(enum.Enum):
    """How an entry's ``detail`` text is stored, so the log can say it in words."""

    NONE = "none"  # nothing worth showing (or only what the target already says)
    NOTE = "note"  # a note or reason someone typed
    DAY = "day"  # an ISO date
    CATEGORY_CHANGE = "category_change"  # "old-slug -> new-slug[: note]"
    SOURCE = "source"  # "source=online"
    REQUEST_UPDATE = "request_update"  # "<status before>: <note>"
    RATING = "rating"  # "rating 4"
    FORBIDDEN_PAIR = "forbidden_pair"  # "volunteer <user id>: <reason>"
    ROUND_KIND = "round_kind"  # "dry run" or "real"
    ROUND_RESULT = "round_result"  # the round's stored stats (old: "5 suggested, 0 unmatched")
    ROLES = "roles"  # "roles=a,b wijk=<id>"
    POSTCODES = "postcodes"  # "1211, 1212"
    ANONYMISED = "anonymised"  # "<n> aanvragen geanonimiseerd"
    SCREENING = "screening"  # "screening changed" or ""
    PHONED = "phoned"  # "<name> gebeld over: <subject>"


@dataclass(frozen=True)
class Action:
    """One kind of audit entry: ``label`` names it (the filter), ``sentence`` tells it, with
    ``%(actor)s`` (who, e.g. "Coördinator Ans de Vries") and ``%(target)s`` (to what)."""

    label: LazyString
    sentence: LazyString
    detail: Detail = Detail.NONE


A = Action
D = Detail

#: Every action code the code base writes, in words.
ACTIONS: dict[str, Action] = {
    # Accounts
    "account.registered": A(_l("Account aangemaakt"), _l("%(actor)s maakte een account aan")),
    "account.email_confirmed": A(_l("E-mailadres bevestigd"),
                                 _l("%(actor)s bevestigde het e-mailadres")),
    "account.password_reset_requested": A(
        _l("Nieuw wachtwoord aangevraagd"),
        _l("%(actor)s vroeg een link aan om een nieuw wachtwoord te kiezen")),
    "account.password_reset": A(_l("Nieuw wachtwoord gekozen"),
                                _l("%(actor)s koos een nieuw wachtwoord")),
    "account.signed_out_everywhere": A(_l("Overal uitgelogd"),
                                       _l("%(actor)s logde uit op alle apparaten")),
    "account.updated": A(_l("Accountgegevens veranderd"),
                         _l("%(actor)s veranderde de eigen accountgegevens")),
    "account.roles_set": A(_l("Rollen veranderd"),
                           _l("%(actor)s veranderde de rollen van %(target)s"), D.ROLES),
    "account.deleted": A(_l("Account verwijderd"),
                         _l("Het account van %(target)s is verwijderd"), D.ANONYMISED),
    "resident.created": A(_l("Bewoner vastgelegd"),
                          _l("%(actor)s legde bewoner %(target)s vast")),
    # Personal data
    "personal_data.viewed": A(_l("Persoonsgegevens bekeken"),
                              _l("%(actor)s bekeek de persoonsgegevens bij %(target)s")),
    "personal_data.exported": A(_l("Eigen gegevens gedownload"),
                                _l("%(actor)s downloadde de eigen gegevens")),
    "personal_data.purged": A(
        _l("Oude aanvragen geanonimiseerd"),
        _l("%(actor)s anonimiseerde afgesloten aanvragen na de bewaartermijn"), D.ANONYMISED),
    # Requests
    "request.created": A(_l("Aanvraag ingediend"), _l("%(actor)s diende %(target)s in"),
                         D.SOURCE),
    "request.updated": A(_l("Aanvraag veranderd"), _l("%(actor)s veranderde %(target)s"),
                         D.REQUEST_UPDATE),
    "request.approved": A(_l("Aanvraag goedgekeurd"), _l("%(actor)s keurde %(target)s goed"),
                          D.NOTE),
    "request.info_requested": A(_l("Meer informatie gevraagd"),
                                _l("%(actor)s vroeg meer informatie over %(target)s"), D.NOTE),
    "request.rejected": A(_l("Aanvraag afgewezen"), _l("%(actor)s wees %(target)s af"), D.NOTE),
    "request.escalated": A(_l("Doorverwezen naar het Sociaal Plein"),
                           _l("%(actor)s verwees %(target)s door naar het Sociaal Plein"),
                           D.NOTE),
    "request.deescalated": A(_l("Teruggehaald van het Sociaal Plein"),
                             _l("%(actor)s haalde %(target)s terug naar de vrijwilligers"),
                             D.NOTE),
    "request.escalation_closed": A(
        _l("Afgesloten: het Sociaal Plein helpt"),
        _l("%(actor)s sloot %(target)s af: het Sociaal Plein helpt verder"), D.NOTE),
    "request.category_changed": A(_l("Soort hulp veranderd"),
                                  _l("%(actor)s veranderde de soort hulp van %(target)s"),
                                  D.CATEGORY_CHANGE),
    "request.cancelled": A(_l("Aanvraag ingetrokken"), _l("%(actor)s trok %(target)s in"),
                           D.NOTE),
    "request.cancelled_by_staff": A(_l("Ingetrokken namens de bewoner"),
                                    _l("%(actor)s trok %(target)s in namens de bewoner"),
                                    D.NOTE),
    "notification.phoned": A(_l("Gebeld"), _l("%(actor)s belde over %(target)s"), D.PHONED),
    # Matches: the target is the pairing, named by its request
    "match.approved": A(_l("Voorstel verstuurd"),
                        _l("%(actor)s stuurde het voorstel voor %(target)s naar de vrijwilliger")),
    "match.locked": A(_l("Voorstel vastgezet"),
                      _l("%(actor)s zette het voorstel voor %(target)s vast")),
    "match.unlocked": A(_l("Voorstel losgemaakt"),
                        _l("%(actor)s maakte het voorstel voor %(target)s los")),
    "match.pair_forbidden": A(
        _l("Koppeling uitgesloten"),
        _l("%(actor)s legde vast dat een vrijwilliger nooit wordt voorgesteld voor %(target)s"),
        D.FORBIDDEN_PAIR),
    "match.picked": A(_l("Aanvraag zelf gekozen"), _l("%(actor)s koos zelf %(target)s uit")),
    "match.accepted": A(_l("Voorstel aangenomen"), _l("%(actor)s zei ja tegen %(target)s")),
    "match.declined": A(_l("Voorstel afgewezen"), _l("%(actor)s zei nee tegen %(target)s"),
                        D.NOTE),
    "match.expired": A(_l("Voorstel verlopen"),
                       _l("Het voorstel voor %(target)s is verlopen: er kwam geen antwoord")),
    "match.cancelled": A(_l("Hulp afgezegd"), _l("%(actor)s zegde de hulp bij %(target)s af"),
                         D.NOTE),
    "match.session_logged": A(_l("Bezoek gemeld"),
                              _l("%(actor)s meldde een bezoek bij %(target)s"), D.DAY),
    "match.help_ended": A(_l("Hulp beëindigd"),
                          _l("%(actor)s beëindigde de hulp bij %(target)s"), D.NOTE),
    "match.confirmed_done": A(_l("Hulp gegeven"),
                              _l("%(actor)s meldde dat de hulp bij %(target)s is gegeven")),
    "match.feedback_given": A(_l("Beoordeling gegeven"),
                              _l("%(actor)s beoordeelde de hulp bij %(target)s"), D.RATING),
    # Matching rounds
    "round.created": A(_l("Ronde gestart"), _l("%(actor)s startte %(target)s"), D.ROUND_KIND),
    "round.finished": A(_l("Ronde klaar"), _l("%(actor)s rondde %(target)s af"),
                        D.ROUND_RESULT),
    # Volunteers
    "volunteer.profile_created": A(_l("Aangemeld als vrijwilliger"),
                                   _l("%(actor)s meldde zich aan als vrijwilliger")),
    "volunteer.profile_updated": A(_l("Vrijwilligersprofiel veranderd"),
                                   _l("%(actor)s veranderde het eigen vrijwilligersprofiel"),
                                   D.SCREENING),
    "volunteer.vog_marked_valid": A(_l("VOG vastgelegd"),
                                    _l("%(actor)s legde een geldige VOG vast voor %(target)s"),
                                    D.DAY),
    "volunteer.training_verified": A(_l("Training gecontroleerd"),
                                     _l("%(actor)s controleerde de training van %(target)s")),
    "volunteer.verified": A(_l("Vrijwilliger gecontroleerd"),
                            _l("%(actor)s controleerde %(target)s")),
    # Concerns
    "concern.created": A(_l("Zorg gemeld"), _l("%(actor)s meldde een zorg: %(target)s")),
    "concern.viewed": A(_l("Zorgmelding bekeken"), _l("%(actor)s bekeek %(target)s")),
    "concern.handled": A(_l("Zorgmelding afgehandeld"), _l("%(actor)s handelde %(target)s af")),
    # Conversations (marketplace/conversations)
    "conversation.viewed_by_staff": A(_l("Gesprek gelezen na een zorgmelding"),
                                      _l("%(actor)s las het gesprek van %(target)s")),
    # Outgoing messages (the admin's "Uitgaande berichten")
    "outbox.retried": A(_l("Mislukte berichten opnieuw aangeboden"),
                        _l("%(actor)s bood mislukte berichten opnieuw aan"), D.NOTE),
    # Follow-up tasks
    "task.opened": A(_l("Taak aangemaakt"), _l("Er is een taak aangemaakt: %(target)s")),
    "task.closed": A(_l("Taak afgerond"), _l("%(actor)s rondde %(target)s af")),
    # Aftercare and waakvlam check-ins
    "match.not_given": A(_l("Hulp niet doorgegaan"),
                         _l("%(actor)s meldde dat de hulp bij %(target)s niet doorging"),
                         D.NOTE),
    "waakvlam.started": A(_l("Waakvlam gestart"),
                          _l("%(actor)s startte een waakvlam voor %(target)s"), D.NOTE),
    "waakvlam.stopped": A(_l("Waakvlam gestopt"),
                          _l("%(actor)s stopte de waakvlam voor %(target)s")),
    "waakvlam.finished": A(_l("Waakvlam afgelopen"),
                           _l("De waakvlam voor %(target)s is afgelopen: alle contactmomenten "
                              "zijn geweest")),
    # Informal carers
    "carer_profile.saved": A(_l("Mantelzorgprofiel opgeslagen"),
                             _l("%(actor)s sloeg het mantelzorgprofiel op van %(target)s")),
    "carer_check.taken": A(_l("Mantelzorgcheck ingevuld"),
                           _l("%(actor)s vulde de mantelzorgcheck in voor %(target)s")),
    "carer_check.viewed": A(_l("Mantelzorgcheck bekeken"),
                            _l("%(actor)s bekeek de mantelzorgchecks van %(target)s")),
    # Administration
    "category.created": A(_l("Soort hulp toegevoegd"), _l("%(actor)s voegde %(target)s toe")),
    "category.updated": A(_l("Soort hulp veranderd"), _l("%(actor)s veranderde %(target)s")),
    "neighbourhood.created": A(_l("Wijk toegevoegd"), _l("%(actor)s voegde %(target)s toe"),
                               D.POSTCODES),
    "neighbourhood.updated": A(_l("Wijk veranderd"), _l("%(actor)s veranderde %(target)s"),
                               D.POSTCODES),
    # Sociale kaart
    "socialmap.service_updated": A(_l("Dienst op de sociale kaart veranderd"),
                                   _l("%(actor)s veranderde %(target)s")),
    "socialmap.service_created": A(_l("Dienst op de sociale kaart gezet"),
                                   _l("%(actor)s zette %(target)s op de sociale kaart")),
    "socialmap.service_activated": A(_l("Dienst weer actief"),
                                     _l("%(actor)s zette %(target)s weer op de sociale kaart")),
    "socialmap.service_closed": A(_l("Dienst tijdelijk gesloten"),
                                  _l("%(actor)s zette %(target)s op tijdelijk gesloten")),
    "socialmap.service_deactivated": A(
        _l("Dienst niet meer actief"),
        _l("%(actor)s haalde %(target)s van de sociale kaart (niet actief)")),
    "socialmap.service_stopped": A(_l("Dienst gestopt"),
                                   _l("%(actor)s zette %(target)s op gestopt")),
    "socialmap.service_checked": A(_l("Dienst op de sociale kaart gecontroleerd"),
                                   _l("%(actor)s controleerde %(target)s")),
    "socialmap.suggested": A(_l("Correctie voorgesteld"),
                             _l("Een bezoeker stelde een correctie voor: %(target)s")),
    "socialmap.suggestion_approved": A(_l("Correctie goedgekeurd"),
                                       _l("%(actor)s keurde %(target)s goed")),
    "socialmap.suggestion_rejected": A(_l("Correctie afgewezen"),
                                       _l("%(actor)s wees %(target)s af")),
    "socialmap.imported": A(_l("Sociale kaart geïmporteerd"),
                            _l("%(actor)s importeerde gegevens voor %(target)s")),
    # Indicators: a feedback sentence chosen for (or taken out of) the council report
    "story.chosen": A(_l("Verhaal gekozen voor het verslag"),
                      _l("%(actor)s koos een reactie bij %(target)s voor het verslag")),
    "story.unchosen": A(_l("Verhaal uit het verslag gehaald"),
                        _l("%(actor)s haalde een reactie bij %(target)s uit het verslag")),
}

#: For a code without a row (an old row, or one written before its sentence was added).
UNKNOWN = A(_l("Andere handeling"), _l("%(actor)s legde een handeling vast bij %(target)s"))


def action(code: str) -> Action:
    """The words for ``code``; :data:`UNKNOWN` for a code nobody described."""
    return ACTIONS.get(code, UNKNOWN)

# Partner organisations (issue 17)
ACTIONS.update({
    "organisation.created": A(_l("Organisatie toegevoegd"), _l("%(actor)s voegde %(target)s toe")),
    "organisation.updated": A(_l("Organisatie veranderd"), _l("%(actor)s veranderde %(target)s")),
    "organisation.member_added": A(_l("Lid van organisatie toegevoegd"),
                                   _l("%(actor)s voegde %(target)s toe aan een organisatie"),
                                   D.NOTE),
    "organisation.member_removed": A(_l("Lid van organisatie weggehaald"),
                                     _l("%(actor)s haalde %(target)s weg bij een organisatie"),
                                     D.NOTE),
    "organisation.routed": A(_l("Naar organisatie gestuurd"),
                             _l("%(actor)s stuurde %(target)s naar een organisatie"), D.NOTE),
    "organisation.assigned": A(_l("Vrijwilliger gevraagd door organisatie"),
                               _l("%(actor)s vroeg een vrijwilliger van de organisatie voor "
                                  "%(target)s"), D.NOTE),
    "organisation.returned": A(_l("Teruggegeven door organisatie"),
                               _l("%(actor)s gaf %(target)s terug aan het meldpunt"), D.NOTE),
    "organisation.timed_out": A(_l("Organisatie antwoordde niet op tijd"),
                                _l("%(target)s ging vanzelf terug naar het meldpunt"), D.NOTE),
})
