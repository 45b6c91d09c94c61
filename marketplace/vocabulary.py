"""The words of the domain, defined once: days, parts of the day, slots, languages, roles and
statuses, each with the label people see, and today's date in the Netherlands.

Every set of codes is a :class:`Labelled` ``StrEnum``: its members are the strings stored in
the database and sent by forms, and ``member.label`` is its label in the active language.
Each enum has one label table next to it (``ROLE_LABELS``, ...), holding lazy strings, for
form choices built at import time. Models, forms, services, templates (the ``label`` filter,
see :mod:`marketplace.templating`) and the matching conversion all read from here.

Kept free of Flask request state and of the database, so any module may import it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel.speaklater import LazyString

from marketplace.i18n import lazy_gettext as _l

LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")


def local_today() -> date:
    """Today's date in the Netherlands (the server may run in UTC)."""
    return datetime.now(LOCAL_ZONE).date()


class Labelled(enum.StrEnum):
    """A code with a label: ``member.label`` is the label in the active language."""

    @property
    def label(self) -> str:
        return str(LABELS[type(self)][self])


# --- When: days of the week, parts of the day and the weekly slots they make ---------------


class Day(Labelled):
    """Days of the week in the order of ``date.weekday()`` (Monday is 0)."""

    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


class PartOfDay(Labelled):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"


DAY_LABELS: Mapping[Day, LazyString] = {
    Day.MON: _l("maandag"),
    Day.TUE: _l("dinsdag"),
    Day.WED: _l("woensdag"),
    Day.THU: _l("donderdag"),
    Day.FRI: _l("vrijdag"),
    Day.SAT: _l("zaterdag"),
    Day.SUN: _l("zondag"),
}
PART_LABELS: Mapping[PartOfDay, LazyString] = {
    PartOfDay.MORNING: _l("ochtend"),
    PartOfDay.AFTERNOON: _l("middag"),
    PartOfDay.EVENING: _l("avond"),
}

# Plain strings, as stored (``HelpRequest.weekday``, ``VolunteerProfile.availability``).
DAYS: tuple[str, ...] = tuple(day.value for day in Day)
PARTS: tuple[str, ...] = tuple(part.value for part in PartOfDay)
#: Weekly slot codes such as "mon-morning", day by day; ``matching.SLOTS`` is the same tuple.
SLOTS: tuple[str, ...] = tuple(f"{day}-{part}" for day in DAYS for part in PARTS)


def slot_label(slot: str | None) -> str:
    """"maandag ochtend" for "mon-morning"; "" for no slot; unknown codes as they are."""
    if not slot or "-" not in slot:
        return ""
    day, part = slot.split("-", 1)
    day_label = Day(day).label if day in DAYS else day
    part_label = PartOfDay(part).label if part in PARTS else part
    return f"{day_label} {part_label}"


# --- Languages a resident can ask for and a volunteer can offer: one list for both ----------


class Language(Labelled):
    NL = "nl"
    EN = "en"
    TR = "tr"
    AR = "ar"
    PL = "pl"
    DE = "de"
    FR = "fr"
    PAP = "pap"
    BER = "ber"
    UK = "uk"
    TI = "ti"


LANGUAGE_LABELS: Mapping[Language, LazyString] = {
    Language.NL: _l("Nederlands"),
    Language.EN: _l("Engels"),
    Language.TR: _l("Turks"),
    Language.AR: _l("Arabisch"),
    Language.PL: _l("Pools"),
    Language.DE: _l("Duits"),
    Language.FR: _l("Frans"),
    Language.PAP: _l("Papiaments"),
    Language.BER: _l("Berbers"),
    Language.UK: _l("Oekraïens"),
    Language.TI: _l("Tigrinya"),
}
LANGUAGES: tuple[str, ...] = tuple(language.value for language in Language)


def language_label(code: str | None) -> str:
    """The language's name for a stored code; unknown codes as they are."""
    return Language(code).label if code in LANGUAGES else (code or "")


# --- People ----------------------------------------------------------------------------------


class Role(Labelled):
    RESIDENT = "resident"
    VOLUNTEER = "volunteer"
    REFERRER = "referrer"
    COORDINATOR = "coordinator"
    ADMIN = "admin"
    MUNICIPALITY = "municipality"  # policy staff: the indicators, nothing personal
    ORGANISATION_COORDINATOR = "org_coordinator"  # a partner organisation's coordinator


ROLE_LABELS: Mapping[Role, LazyString] = {
    Role.RESIDENT: _l("Bewoner"),
    Role.VOLUNTEER: _l("Vrijwilliger"),
    Role.REFERRER: _l("Verwijzer"),
    Role.COORDINATOR: _l("Coördinator"),
    Role.ADMIN: _l("Beheerder"),
    Role.MUNICIPALITY: _l("Gemeente"),
    Role.ORGANISATION_COORDINATOR: _l("Coördinator partnerorganisatie"),
}


class VogStatus(Labelled):
    """A volunteer's certificate of conduct (Verklaring Omtrent het Gedrag)."""

    NONE = "none"
    REQUESTED = "requested"
    VALID = "valid"
    EXPIRED = "expired"


VOG_STATUS_LABELS: Mapping[VogStatus, LazyString] = {
    VogStatus.NONE: _l("Geen VOG"),
    VogStatus.REQUESTED: _l("Aangevraagd"),
    VogStatus.VALID: _l("Geldig"),
    VogStatus.EXPIRED: _l("Verlopen"),
}


# --- Help requests ---------------------------------------------------------------------------


class RequestStatus(Labelled):
    """Where a help request is; ``requests/lifecycle.py`` holds the allowed moves."""

    SUBMITTED = "submitted"
    NEEDS_INFO = "needs_info"
    OPEN = "open"
    PROPOSED = "proposed"
    MATCHED = "matched"
    DONE = "done"
    CANCELLED = "cancelled"
    REJECTED = "rejected"
    ESCALATED = "escalated"


REQUEST_STATUS_LABELS: Mapping[RequestStatus, LazyString] = {
    RequestStatus.SUBMITTED: _l("Wacht op goedkeuring"),
    RequestStatus.NEEDS_INFO: _l("Meer informatie nodig"),
    RequestStatus.OPEN: _l("Zoekt een vrijwilliger"),
    RequestStatus.PROPOSED: _l("Vrijwilliger gevraagd"),
    RequestStatus.MATCHED: _l("Vrijwilliger gevonden"),
    RequestStatus.DONE: _l("Klaar"),
    RequestStatus.CANCELLED: _l("Ingetrokken"),
    RequestStatus.REJECTED: _l("Afgewezen"),
    RequestStatus.ESCALATED: _l("Doorverwezen naar het Sociaal Plein"),
}


class RequestSource(Labelled):
    ONLINE = "online"
    REFERRER = "referrer"
    DESK = "desk"


REQUEST_SOURCE_LABELS: Mapping[RequestSource, LazyString] = {
    RequestSource.ONLINE: _l("online"),
    RequestSource.REFERRER: _l("via een verwijzer"),
    RequestSource.DESK: _l("via het meldpunt"),
}


class Timing(Labelled):
    ONCE = "once"  # one date and part of day
    RANGE = "range"  # any time between two dates
    WEEKLY = "weekly"  # every week on a day and part of day


TIMING_LABELS: Mapping[Timing, LazyString] = {
    Timing.ONCE: _l("Eén keer, op een vaste dag"),
    Timing.RANGE: _l("Ergens tussen twee datums"),
    Timing.WEEKLY: _l("Elke week"),
}

#: How soon help is needed (``HelpRequest.urgency``), in the words the request form offers.
URGENCY_LABELS: Mapping[int, LazyString] = {
    1: _l("Kan wachten"),
    2: _l("Binnen een week"),
    3: _l("Zo snel mogelijk"),
}


def urgency_label(level: int | None) -> str:
    """The words for an urgency level ("Zo snel mogelijk" for 3); "" for none or unknown."""
    return str(URGENCY_LABELS[level]) if level is not None and level in URGENCY_LABELS else ""


# --- Matches and matching rounds -------------------------------------------------------------


class MatchStatus(Labelled):
    SUGGESTED = "suggested"  # made by a round, not yet approved by a coordinator
    PROPOSED = "proposed"  # approved: waiting for the volunteer
    ACCEPTED = "accepted"  # the volunteer said yes: contact details are shared
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"  # superseded by a new round or the request closed
    COMPLETED = "completed"
    EXPIRED = "expired"  # the volunteer did not answer the proposal in time
    CANCELLED = "cancelled"  # accepted help that one side called off


MATCH_STATUS_LABELS: Mapping[MatchStatus, LazyString] = {
    MatchStatus.SUGGESTED: _l("Voorstel, nog niet verstuurd"),
    MatchStatus.PROPOSED: _l("Gevraagd, wacht op antwoord van de vrijwilliger"),
    MatchStatus.ACCEPTED: _l("De vrijwilliger helpt"),
    MatchStatus.DECLINED: _l("De vrijwilliger kon niet"),
    MatchStatus.WITHDRAWN: _l("Niet meer actueel"),
    MatchStatus.COMPLETED: _l("Hulp gegeven"),
    MatchStatus.EXPIRED: _l("Verlopen"),
    MatchStatus.CANCELLED: _l("Afgezegd"),
}


class RoundStatus(Labelled):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


ROUND_STATUS_LABELS: Mapping[RoundStatus, LazyString] = {
    RoundStatus.QUEUED: _l("In de wachtrij"),
    RoundStatus.RUNNING: _l("Bezig…"),
    RoundStatus.DONE: _l("Klaar"),
    RoundStatus.FAILED: _l("Mislukt"),
}


# --- Concerns --------------------------------------------------------------------------------


class ConcernStatus(Labelled):
    OPEN = "open"
    HANDLED = "handled"


CONCERN_STATUS_LABELS: Mapping[ConcernStatus, LazyString] = {
    ConcernStatus.OPEN: _l("Open"),
    ConcernStatus.HANDLED: _l("Afgehandeld"),
}


# --- Notifications ---------------------------------------------------------------------------


class NotificationKind(Labelled):
    """What a notification is about (``marketplace/notifications`` writes and words them)."""

    PROPOSAL_NEW = "proposal_new"  # volunteer: please say yes or no
    MATCH_ACCEPTED = "match_accepted"  # resident (and consenting referrer): a volunteer helps
    MATCH_DECLINED = "match_declined"  # resident (and consenting referrer): they could not
    REQUEST_INFO_NEEDED = "request_info_needed"  # resident: the coordinator asks something
    REQUEST_APPROVED = "request_approved"
    REQUEST_REJECTED = "request_rejected"
    REQUEST_ESCALATED = "request_escalated"
    REQUEST_WITHDRAWN = "request_withdrawn"  # volunteer: help no longer needed
    APPOINTMENT_REMINDER = "appointment_reminder"
    MATCH_CANCELLED = "match_cancelled"
    PROPOSAL_EXPIRED = "proposal_expired"
    DIGEST = "digest"  # the weekly overview of open requests near a volunteer
    MESSAGE_NEW = "message_new"  # either side of a match: the other side wrote a message
    REFERRAL_STATUS = "referral_status"  # consenting referrer: a step of what they filed
    REFERRAL_NEW = "referral_new"  # organisation coordinator: a request routed to you
    REFERRAL_RETURNED = "referral_returned"  # meldpunt coordinator: an organisation gave it back
    SOCIAL_MAP_STALE = "social_map_stale"  # maintainer: a sociale-kaart entry to check


NOTIFICATION_KIND_LABELS: Mapping[NotificationKind, LazyString] = {
    NotificationKind.PROPOSAL_NEW: _l("Nieuw hulpvoorstel"),
    NotificationKind.MATCH_ACCEPTED: _l("Er is een vrijwilliger"),
    NotificationKind.MATCH_DECLINED: _l("Vrijwilliger kan niet"),
    NotificationKind.REQUEST_INFO_NEEDED: _l("Vraag over een aanvraag"),
    NotificationKind.REQUEST_APPROVED: _l("Aanvraag goedgekeurd"),
    NotificationKind.REQUEST_REJECTED: _l("Aanvraag afgewezen"),
    NotificationKind.REQUEST_ESCALATED: _l("Aanvraag doorverwezen"),
    NotificationKind.REQUEST_WITHDRAWN: _l("Hulp niet meer nodig"),
    NotificationKind.APPOINTMENT_REMINDER: _l("Herinnering aan een afspraak"),
    NotificationKind.MATCH_CANCELLED: _l("Afspraak afgezegd"),
    NotificationKind.PROPOSAL_EXPIRED: _l("Voorstel verlopen"),
    NotificationKind.DIGEST: _l("Wekelijks overzicht van open aanvragen"),
    NotificationKind.MESSAGE_NEW: _l("Nieuw bericht"),
    NotificationKind.REFERRAL_STATUS: _l("Nieuws over een verwijzing"),
    NotificationKind.REFERRAL_NEW: _l("Aanvraag voor uw organisatie"),
    NotificationKind.REFERRAL_RETURNED: _l("Aanvraag terug van organisatie"),
    NotificationKind.SOCIAL_MAP_STALE: _l("Gegevens op de sociale kaart nakijken"),
}


class NotificationDelivery(Labelled):
    """How a person wants to hear about one kind of notification (besides the bell)."""

    IMMEDIATE = "immediate"  # an e-mail right away
    DIGEST = "digest"  # in the weekly e-mail
    OFF = "off"  # only in the list on the website


NOTIFICATION_DELIVERY_LABELS: Mapping[NotificationDelivery, LazyString] = {
    NotificationDelivery.IMMEDIATE: _l("Meteen een e-mail"),
    NotificationDelivery.DIGEST: _l("In de wekelijkse e-mail"),
    NotificationDelivery.OFF: _l("Geen e-mail"),
}


# --- Follow-up tasks for coordinators ---------------------------------------------------------


class TaskKind(Labelled):
    """Why a coordinator should look at something (``marketplace/tasks`` opens and closes them)."""

    UNCONFIRMED = "unconfirmed"  # help not confirmed some days after its date
    NOT_GIVEN = "not_given"  # one side reports the help did not happen
    LOW_RATING = "low_rating"  # a rating of 1 or 2
    CONCERN = "concern"  # someone reported a concern
    RECURRING_IDLE = "recurring_idle"  # recurring help without a visit for weeks
    WAAKVLAM = "waakvlam"  # a planned check-in with a resident
    CARER_OVERLOAD = "carer_overload"  # an informal carer's check shows a heavy burden
    DATE_PASSED = "date_passed"  # a request's day went by before anyone could help


TASK_KIND_LABELS: Mapping[TaskKind, LazyString] = {
    TaskKind.UNCONFIRMED: _l("Hulp niet bevestigd"),
    TaskKind.NOT_GIVEN: _l("Hulp niet doorgegaan"),
    TaskKind.LOW_RATING: _l("Lage waardering"),
    TaskKind.CONCERN: _l("Zorgmelding"),
    TaskKind.RECURRING_IDLE: _l("Vaste hulp zonder bezoek"),
    TaskKind.WAAKVLAM: _l("Waakvlam: contactmoment"),
    TaskKind.CARER_OVERLOAD: _l("Mantelzorger zwaar belast"),
    TaskKind.DATE_PASSED: _l("Dag voorbij zonder hulp"),
}


class TaskStatus(Labelled):
    OPEN = "open"
    DONE = "done"


TASK_STATUS_LABELS: Mapping[TaskStatus, LazyString] = {
    TaskStatus.OPEN: _l("Open"),
    TaskStatus.DONE: _l("Afgerond"),
}


class ReferralStatus(Labelled):
    """A request routed to a partner organisation; ``organisations/lifecycle.py`` moves it."""

    ROUTED = "routed"  # waiting for the organisation's coordinator
    ASSIGNED = "assigned"  # the organisation proposed it to one of its volunteers
    RETURNED = "returned"  # the organisation gave it back, with a reason
    TIMED_OUT = "timed_out"  # nobody answered in time: back to the meldpunt by itself
    WITHDRAWN = "withdrawn"  # the request left the marketplace or was taken meanwhile


REFERRAL_STATUS_LABELS: Mapping[ReferralStatus, LazyString] = {
    ReferralStatus.ROUTED: _l("Wacht op de organisatie"),
    ReferralStatus.ASSIGNED: _l("Vrijwilliger gevraagd"),
    ReferralStatus.RETURNED: _l("Teruggegeven"),
    ReferralStatus.TIMED_OUT: _l("Niet op tijd beantwoord"),
    ReferralStatus.WITHDRAWN: _l("Vervallen"),
}


#: Every labelled enum and its one label table (read by :attr:`Labelled.label`).
LABELS: Mapping[type[Labelled], Mapping[Any, LazyString]] = {
    Day: DAY_LABELS,
    PartOfDay: PART_LABELS,
    Language: LANGUAGE_LABELS,
    Role: ROLE_LABELS,
    VogStatus: VOG_STATUS_LABELS,
    RequestStatus: REQUEST_STATUS_LABELS,
    RequestSource: REQUEST_SOURCE_LABELS,
    Timing: TIMING_LABELS,
    MatchStatus: MATCH_STATUS_LABELS,
    RoundStatus: ROUND_STATUS_LABELS,
    ConcernStatus: CONCERN_STATUS_LABELS,
    NotificationKind: NOTIFICATION_KIND_LABELS,
    NotificationDelivery: NOTIFICATION_DELIVERY_LABELS,
    TaskKind: TASK_KIND_LABELS,
    TaskStatus: TASK_STATUS_LABELS,
    ReferralStatus: REFERRAL_STATUS_LABELS,
}


def label(value: object) -> str:
    """The label of any :class:`Labelled` member; anything else as text ("" for None)."""
    if isinstance(value, Labelled):
        return value.label
    return "" if value is None else str(value)
