"""The audit log as administrators read it: "<who> <did what> <to what> — <when>" in the
reader's language, filtered by person, date and kind of action.

The words for each action code live in :mod:`marketplace.audit` (``ACTIONS``); this module
finds the people and things an entry names and fills them in. Read-only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

import sqlalchemy as sa
from flask import url_for
from markupsafe import Markup, escape
from sqlalchemy.orm import joinedload, lazyload

from marketplace import audit
from marketplace.audit import Detail
from marketplace.extensions import db
from marketplace.i18n import format_day, ngettext
from marketplace.i18n import gettext as _
from marketplace.models import (
    AuditEntry,
    Category,
    Concern,
    FollowUpTask,
    HelpRequest,
    Match,
    MatchingRound,
    Neighbourhood,
    Organisation,
    RequestSource,
    RequestStatus,
    Role,
    User,
    VolunteerProfile,
)
from marketplace.models.socialmap import Service, Suggestion
from marketplace.requests.history import history_note
from marketplace.staff.search import fold, folded, is_person
from marketplace.templating import current_locale
from marketplace.vocabulary import LOCAL_ZONE

#: The role an actor is named by when they have several, most telling first.
ROLE_ORDER = (Role.ADMIN, Role.COORDINATOR, Role.REFERRER, Role.VOLUNTEER, Role.RESIDENT)
#: ``target_type`` values and the model they name. Rows written before the writer unwrapped
#: ``current_user`` say "LocalProxy": those were always the acting user's own account.
TARGET_MODELS: dict[str, type[Any]] = {
    "HelpRequest": HelpRequest,
    "User": User,
    "LocalProxy": User,
    "VolunteerProfile": VolunteerProfile,
    "Match": Match,
    "MatchingRound": MatchingRound,
    "Category": Category,
    "Neighbourhood": Neighbourhood,
    "Concern": Concern,
    "FollowUpTask": FollowUpTask,
    "Organisation": Organisation,
    "Service": Service,
    "Suggestion": Suggestion,
}
USER_TYPES = ("User", "LocalProxy")


@dataclass(frozen=True)
class Filters:
    """What the reader asked for; empty values filter nothing."""

    person: str = ""
    date_from: date | None = None
    date_to: date | None = None
    action: str | None = None

    @property
    def active(self) -> bool:
        return bool(self.person or self.date_from or self.date_to or self.action)


@dataclass(frozen=True)
class Line:
    """One entry in words: ``sentence`` (safe HTML: the target may be a link), ``detail``
    (plain text, may be empty) and when."""

    sentence: Markup
    detail: str
    at: datetime


# --- finding entries ----------------------------------------------------------------------


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, LOCAL_ZONE).astimezone(UTC)


def _about_people(text: str) -> sa.ColumnElement[bool]:
    """Entries by or about the people whose name holds every word of ``text``: what they
    did, and what was done to their account, volunteer profile, requests and pairings."""
    people = sa.select(User.id).where(
        *(folded(User.name).contains(word, autoescape=True) for word in fold(text).split())
    )
    profiles = sa.select(VolunteerProfile.id).where(VolunteerProfile.user_id.in_(people))
    requests = sa.select(HelpRequest.id).where(HelpRequest.requester_id.in_(people))
    matches = sa.select(Match.id).where(
        sa.or_(Match.volunteer_id.in_(people), Match.help_request_id.in_(requests))
    )
    target = AuditEntry.target_id
    return sa.or_(
        AuditEntry.actor_id.in_(people),
        sa.and_(AuditEntry.target_type.in_(USER_TYPES), target.in_(people)),
        sa.and_(AuditEntry.target_type == "VolunteerProfile", target.in_(profiles)),
        sa.and_(AuditEntry.target_type.in_(("HelpRequest",)), target.in_(requests)),
        sa.and_(AuditEntry.target_type == "Match", target.in_(matches)),
    )


def entries(filters: Filters) -> sa.Select[AuditEntry]:
    """The entries that fit ``filters``, newest first."""
    query = (
        sa.select(AuditEntry)
        .options(joinedload(AuditEntry.actor).selectinload(User.role_rows))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.date_from:
        query = query.where(AuditEntry.at >= _local_midnight(filters.date_from))
    if filters.date_to:
        query = query.where(AuditEntry.at < _local_midnight(filters.date_to + timedelta(days=1)))
    if filters.person.strip():
        query = query.where(_about_people(filters.person))
    return query


def written_actions() -> list[tuple[str, str]]:
    """``(code, label)`` for every action in the log, by label: the filter's choices."""
    codes = db.session.scalars(sa.select(AuditEntry.action).distinct()).all()
    return sorted(((code, str(audit.action(code).label)) for code in codes),
                  key=lambda pair: (pair[1].lower(), pair[0]))


# --- in words -----------------------------------------------------------------------------


@cache
def target_loads() -> dict[type[Any], tuple[Any, ...]]:
    """What the sentence reads of a target besides its own columns, joined into the one query
    per kind; everything else a model loads eagerly by default (roles, skills, a
    neighbourhood's postcodes, ...) is left unloaded, else every kind on the page cost several
    statements.

    Built on first use: a loader option configures every ORM mapper, which at import cost
    each process start-up (a ``flask`` command too) about 0.12 s.
    """
    return {
        Match: (joinedload(Match.help_request).lazyload("*"),),
        VolunteerProfile: (joinedload(VolunteerProfile.user).lazyload("*"),),
    }


def _targets(rows: Iterable[AuditEntry]) -> dict[tuple[type[Any], int], Any]:
    """The rows the entries point at, loaded in one query per kind."""
    wanted: dict[type[Any], set[int]] = defaultdict(set)
    for entry in rows:
        model = TARGET_MODELS.get(entry.target_type)
        if model is not None and entry.target_id is not None:
            wanted[model].add(entry.target_id)
    found: dict[tuple[type[Any], int], Any] = {}
    for model, ids in wanted.items():
        query = (sa.select(model).where(model.id.in_(ids))
                 .options(lazyload("*"), *target_loads().get(model, ())))
        for row in db.session.scalars(query).unique():
            found[(model, row.id)] = row
    return found


def person_name(user: User | None) -> str:
    """A person's name; "een verwijderde gebruiker" for a deleted account."""
    if user is None or user.anonymised_at is not None:
        return _("een verwijderde gebruiker")
    return user.name


def actor_phrase(user: User | None) -> str:
    """"Coördinator Ans de Vries"; "Het systeem" for no one (a background job)."""
    if user is None:
        return _("Het systeem")
    if user.anonymised_at is not None:
        return _("Een verwijderde gebruiker")
    role = next((role for role in ROLE_ORDER if role in user.roles), None)
    return f"{role.label} {user.name}" if role is not None else user.name


def _request_phrase(help_request: HelpRequest | None, request_id: int | None) -> str:
    if help_request is not None and help_request.title:
        return _("aanvraag #%(id)s (%(title)s)", id=help_request.id, title=help_request.title)
    return _("aanvraag #%(id)s", id=request_id)


Phrase = tuple[str, str | None]


def _about_request(number: int | None, target: HelpRequest | None, _locale: str) -> Phrase:
    return (_request_phrase(target, number),
            url_for("staff.show_request", request_id=number) if target else None)


def _about_match(_number: int | None, target: Match | None, _locale: str) -> Phrase:
    if target is None:
        return _("een koppeling"), None
    return (_request_phrase(target.help_request, target.help_request_id),
            url_for("staff.show_request", request_id=target.help_request_id))


def _about_user(number: int | None, target: User | None, _locale: str) -> Phrase:
    shown = target is not None and is_person(target)  # staff accounts have no person page
    return person_name(target), url_for("staff.show_person", user_id=number) if shown else None


def _about_volunteer(number: int | None, target: VolunteerProfile | None,
                     _locale: str) -> Phrase:
    if target is None:
        return _("een vrijwilliger"), None
    return (_("vrijwilliger %(name)s", name=person_name(target.user)),
            url_for("staff.show_volunteer", profile_id=number))


def _about_round(number: int | None, target: MatchingRound | None, _locale: str) -> Phrase:
    return (_("ronde %(id)s", id=number),
            url_for("rounds.show_round", round_id=number) if target else None)


def _about_category(number: int | None, target: Category | None, locale: str) -> Phrase:
    return _("soort hulp %(name)s", name=target.name(locale) if target else f"#{number}"), None


def _about_neighbourhood(number: int | None, target: Neighbourhood | None,
                         _locale: str) -> Phrase:
    return _("wijk %(name)s", name=target.name if target else f"#{number}"), None


def _about_concern(number: int | None, target: Concern | None, _locale: str) -> Phrase:
    return (_("zorgmelding #%(id)s", id=number),
            url_for("concerns.view_concern", concern_id=number) if target else None)


def _about_task(number: int | None, target: FollowUpTask | None, _locale: str) -> Phrase:
    if target is None:
        return _("taak #%(id)s", id=number), None
    return _("taak #%(id)s (%(kind)s)", id=number, kind=target.kind.label), None


def _about_organisation(number: int | None, target: Organisation | None, _locale: str
                        ) -> Phrase:
    return (_("organisatie %(name)s", name=target.name if target else f"#{number}"),
            url_for("organisations.edit_organisation", organisation_id=number)
            if target else None)
def _about_service(number: int | None, target: Service | None, _locale: str) -> Phrase:
    if target is None:
        return _("dienst #%(id)s", id=number), None
    return (_("dienst %(name)s", name=target.name),
            url_for("socialmap.show_service", service_id=target.uuid))


def _about_suggestion(number: int | None, target: Suggestion | None, _locale: str) -> Phrase:
    return _("correctie #%(id)s", id=number), None


_PHRASES: dict[str, Callable[[int | None, Any, str], Phrase]] = {
    "HelpRequest": _about_request,
    "Match": _about_match,
    "User": _about_user,
    "LocalProxy": _about_user,
    "VolunteerProfile": _about_volunteer,
    "MatchingRound": _about_round,
    "Category": _about_category,
    "Neighbourhood": _about_neighbourhood,
    "Concern": _about_concern,
    "FollowUpTask": _about_task,
    "Organisation": _about_organisation,
    "Service": _about_service,
    "Suggestion": _about_suggestion,
}


def _target_phrase(entry: AuditEntry, target: Any, locale: str) -> Phrase:
    """What the entry is about in words, and the staff page that shows it (or None)."""
    phrase = _PHRASES.get(entry.target_type)
    if phrase is not None:
        return phrase(entry.target_id, target, locale)
    if entry.target_type:
        return _("onderdeel #%(id)s", id=entry.target_id), None
    return _("het meldpunt"), None


CATEGORY_CHANGE = re.compile(r"(\S+) -> (\S+)(?:: (.*))?", re.DOTALL)
FORBIDDEN_PAIR = re.compile(r"volunteer (\d+): ?(.*)", re.DOTALL)
ROLES = re.compile(r"roles=([a-z,]*) wijk=(\d*)")


@dataclass(frozen=True)
class Known:
    """The people, neighbourhoods and categories the entries' details name."""

    users: dict[int, User]
    neighbourhoods: dict[int, Neighbourhood]
    category_names: dict[str, str]


def known_for(rows: Iterable[AuditEntry]) -> Known:
    """What :class:`Known` holds for ``rows``, loaded in one query per kind (none when no
    entry names one)."""
    user_ids: set[int] = set()
    neighbourhood_ids: set[int] = set()
    slugs: set[str] = set()
    for entry in rows:
        kind, text = audit.action(entry.action).detail, entry.detail or ""
        if kind is Detail.FORBIDDEN_PAIR and (found := FORBIDDEN_PAIR.fullmatch(text)):
            user_ids.add(int(found.group(1)))
        elif kind is Detail.ROLES and (found := ROLES.fullmatch(text.strip())):
            if found.group(2):
                neighbourhood_ids.add(int(found.group(2)))
        elif kind is Detail.CATEGORY_CHANGE and (found := CATEGORY_CHANGE.fullmatch(text)):
            slugs.update((found.group(1), found.group(2)))
    users = {row.id: row for row in db.session.scalars(
        sa.select(User).where(User.id.in_(user_ids)).options(lazyload("*")))} if user_ids else {}
    neighbourhoods = {row.id: row for row in db.session.scalars(
        sa.select(Neighbourhood).where(Neighbourhood.id.in_(neighbourhood_ids))
        .options(lazyload("*")))} if neighbourhood_ids else {}
    locale = current_locale()
    names = {row.slug: row.name(locale) for row in db.session.scalars(
        sa.select(Category).where(Category.slug.in_(slugs)))} if slugs else {}
    return Known(users=users, neighbourhoods=neighbourhoods, category_names=names)


def _note(text: str) -> str:
    """A note as typed, or (a sentence the code wrote) in the reader's language."""
    return _("Toelichting: %(text)s", text=history_note(text)) if text.strip() else ""


def _day(text: str) -> str:
    try:
        return _("datum: %(date)s", date=format_day(date.fromisoformat(text.strip())))
    except ValueError:
        return ""


def _category_change(text: str, known: Known) -> str:
    found = CATEGORY_CHANGE.fullmatch(text)
    if found is None:
        return _note(text)
    names = known.category_names
    change = _("van %(old)s naar %(new)s", old=names.get(found.group(1), found.group(1)),
               new=names.get(found.group(2), found.group(2)))
    return " · ".join(part for part in (change, _note(found.group(3) or "")) if part)


def _source(text: str) -> str:
    code = text.removeprefix("source=")
    if code in {source.value for source in RequestSource}:
        return _("binnengekomen %(source)s", source=RequestSource(code).label)
    return ""


def _request_update(text: str) -> str:
    status, _sep, note = text.partition(": ")
    if status in {item.value for item in RequestStatus}:
        was = _("stond op: %(status)s", status=RequestStatus(status).label)
        return " · ".join(part for part in (was, _note(note)) if part)
    return _note(text)


def _rating(text: str) -> str:
    found = re.fullmatch(r"rating (\d)", text.strip())
    return _("cijfer %(rating)s van 5", rating=found.group(1)) if found else ""


def _forbidden_pair(text: str, known: Known) -> str:
    found = FORBIDDEN_PAIR.fullmatch(text)
    if found is None:
        return _note(text)
    volunteer = known.users.get(int(found.group(1)))
    who = _("vrijwilliger %(name)s", name=person_name(volunteer))
    return " · ".join(part for part in (who, _note(found.group(2))) if part)


def _phoned(text: str) -> str:
    found = re.fullmatch(r"(.*) gebeld over: (.*)", text.strip(), re.DOTALL)
    if found is None:
        return _note(text)
    return _("%(name)s gebeld over: %(subject)s", name=found.group(1), subject=found.group(2))


def _round_kind(text: str) -> str:
    return {"dry run": _("proefronde"), "real": _("echte ronde")}.get(text.strip(), "")


def _round_result(text: str, target: Any) -> str:
    """Counted from the round's stored result; older rows from the numbers in the text."""
    stats = target.stats if isinstance(target, MatchingRound) else {}
    matched, unmatched = stats.get("matched"), stats.get("unmatched_count")
    if matched is None or unmatched is None:
        found = re.fullmatch(r"(\d+) suggested, (\d+) unmatched", text.strip())
        if found is None:
            return ""
        matched, unmatched = int(found.group(1)), int(found.group(2))
    return ", ".join((
        ngettext("%(num)s voorstel", "%(num)s voorstellen", matched),
        ngettext("%(num)s aanvraag zonder vrijwilliger", "%(num)s aanvragen zonder vrijwilliger",
                 unmatched),
    ))


def _roles(text: str, known: Known) -> str:
    found = ROLES.fullmatch(text.strip())
    if found is None:
        return ""
    codes = {role.value for role in Role}
    names = [Role(code).label for code in found.group(1).split(",") if code in codes]
    neighbourhood = (known.neighbourhoods.get(int(found.group(2))) if found.group(2)
                     else None)
    parts = [_("rollen: %(roles)s", roles=", ".join(names))]
    if neighbourhood is not None:
        parts.append(_("wijk: %(name)s", name=neighbourhood.name))
    return " · ".join(parts)


def _postcodes(text: str) -> str:
    return _("postcodes: %(codes)s", codes=text.strip()) if text.strip() else ""


def _anonymised(text: str) -> str:
    found = re.match(r"(\d+) ", text.strip())
    if found is None:
        return ""
    return ngettext("%(num)s aanvraag geanonimiseerd", "%(num)s aanvragen geanonimiseerd",
                    int(found.group(1)))


def _screening(text: str) -> str:
    if text.strip() == "screening changed":
        return _("VOG of training veranderd: opnieuw controleren")
    return ""


_DETAILS: dict[Detail, Callable[[str], str]] = {
    Detail.NONE: lambda _text: "",
    Detail.NOTE: _note,
    Detail.DAY: _day,
    Detail.SOURCE: _source,
    Detail.REQUEST_UPDATE: _request_update,
    Detail.RATING: _rating,
    Detail.ROUND_KIND: _round_kind,
    Detail.POSTCODES: _postcodes,
    Detail.ANONYMISED: _anonymised,
    Detail.SCREENING: _screening,
    Detail.PHONED: _phoned,
}
#: The details that name something stored: read from :class:`Known`.
_LOOKUP_DETAILS: dict[Detail, Callable[[str, Known], str]] = {
    Detail.CATEGORY_CHANGE: _category_change,
    Detail.FORBIDDEN_PAIR: _forbidden_pair,
    Detail.ROLES: _roles,
}


def detail_words(entry: AuditEntry, target: Any = None, known: Known | None = None) -> str:
    """The entry's detail in words ("" when there is nothing to add). ``known``: from
    :func:`known_for` over all the entries shown, else looked up for this one."""
    kind = audit.action(entry.action).detail
    if kind is Detail.ROUND_RESULT:
        return _round_result(entry.detail or "", target)
    if kind in _LOOKUP_DETAILS:
        return _LOOKUP_DETAILS[kind](entry.detail or "", known or known_for([entry]))
    return _DETAILS[kind](entry.detail or "")


def in_words(rows: Iterable[AuditEntry], links: bool) -> list[Line]:
    """Each entry as a sentence; with ``links``, the target links to its staff page."""
    rows = list(rows)
    targets = _targets(rows)
    known = known_for(rows)
    locale = current_locale()
    lines = []
    for entry in rows:
        model = TARGET_MODELS.get(entry.target_type)
        target = (targets.get((model, entry.target_id))
                  if model is not None and entry.target_id is not None else None)
        phrase, url = _target_phrase(entry, target, locale)
        shown_target = (Markup('<a href="{}">{}</a>').format(url, phrase)
                        if links and url else escape(phrase))
        sentence = escape(str(audit.action(entry.action).sentence)) % {
            "actor": actor_phrase(entry.actor), "target": shown_target,
        }
        lines.append(Line(sentence=sentence, detail=detail_words(entry, target, known),
                          at=entry.at))
    return lines
