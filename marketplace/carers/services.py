"""The carers' rules: the self-check, the carer profile, the overload check and its follow-up,
and who may read a carer's checks. Services flush; the view commits.

Respite requests live in :mod:`marketplace.carers.respite`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from marketplace import access, audit, geo
from marketplace.carers import scoring
from marketplace.carers.words import CARE_KINDS, CONDITIONS, RELATIONS
from marketplace.errors import DomainError, FieldError, NotAllowed, NotFound
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import CarerCheck, CarerProfile, User, utcnow
from marketplace.requests.services import ResidentData, find_or_create_resident
from marketplace.tasks.services import open_task
from marketplace.vocabulary import TaskKind, local_today

#: The plan's "intensive" carer: at least this many hours a week ...
INTENSIVE_HOURS = 8
#: ... for longer than this many months.
LONG_MONTHS = 3
#: A coordinator calls an overloaded carer within this many days.
FOLLOW_UP_DAYS = 2
MAX_HOURS = 168


# --- "Ben ik mantelzorger?" ----------------------------------------------------------------


@dataclass(frozen=True)
class SelfCheck:
    """The answer to the public self-check (nothing is stored)."""

    is_carer: bool
    long: bool  # three months or longer
    many_hours: bool  # eight hours a week or more

    @property
    def intensive(self) -> bool:
        """The plan's "intensief zorgende mantelzorger": 8+ hours a week and 3+ months."""
        return self.is_carer and self.long and self.many_hours

    @property
    def long_or_many_hours(self) -> bool:
        return self.is_carer and (self.long or self.many_hours)


def self_check(cares_for_someone: bool, hours_per_week: int, months: int) -> SelfCheck:
    """Whether someone is a carer, and whether they care long and/or for many hours."""
    if hours_per_week < 0 or months < 0:
        raise DomainError(_l("Vul een getal van 0 of meer in."))
    return SelfCheck(cares_for_someone, cares_for_someone and months >= LONG_MONTHS,
                     cares_for_someone and hours_per_week >= INTENSIVE_HOURS)


# --- the carer profile ----------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileData:
    relation: str
    lives_together: bool
    since: date | None
    hours_per_week: int
    care_kinds: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()


def _validate(data: ProfileData) -> None:
    if data.relation not in RELATIONS:
        raise FieldError("relation", str(_l("Kies voor wie u zorgt.")))
    if not 0 <= data.hours_per_week <= MAX_HOURS:
        raise FieldError("hours_per_week", str(_l("Vul een aantal uren van 0 tot 168 in.")))
    if data.since is not None and data.since > local_today():
        raise FieldError("since", str(_l("Deze datum ligt in de toekomst.")))
    if not set(data.care_kinds) <= set(CARE_KINDS) or not set(data.conditions) <= set(CONDITIONS):
        raise DomainError(_l("Kies uit de lijst."))


def profile_of(user: User) -> CarerProfile | None:
    return db.session.scalar(sa.select(CarerProfile).where(CarerProfile.user_id == user.id))


def save_profile(actor: User, carer: User, data: ProfileData, consent: bool) -> CarerProfile:
    """Create or change ``carer``'s profile. ``actor`` is the carer, or a coordinator or
    referrer registering them (then ``consent`` must be given, and a referrer may not change
    an existing profile). Raises :class:`NotAllowed`, :class:`FieldError`, :class:`DomainError`.
    """
    if not access.can_register_carer(actor, carer, profile_of(carer)):
        raise NotAllowed(_l("U kunt dit profiel niet veranderen."))
    if not consent:
        raise FieldError("consent", str(_l("Zonder toestemming kunnen we niets opslaan.")))
    _validate(data)
    profile = profile_of(carer) or CarerProfile(user_id=carer.id)
    profile.relation = data.relation
    profile.lives_together = data.lives_together
    profile.since = data.since
    profile.hours_per_week = data.hours_per_week
    profile.care_kinds = list(data.care_kinds)
    profile.conditions = list(data.conditions)
    profile.consent_at = utcnow()
    profile.registered_by_id = None if actor.id == carer.id else actor.id
    db.session.add(profile)
    db.session.flush()
    audit.record(actor, "carer_profile.saved", carer)
    return profile


def register_carer(actor: User, person: ResidentData, postcode: str, data: ProfileData,
                   consent: bool) -> User:
    """A coordinator at the desk or a referrer registers a carer (found by e-mail or added
    without a password) with their consent. Returns the carer's account."""
    if not (actor.is_staff or actor.has_role(*access.CARER_REGISTRARS)):
        raise NotAllowed(_l("Alleen medewerkers en verwijzers kunnen dit doen."))
    if not consent:
        raise FieldError("consent", str(_l("Zonder toestemming kunnen we niets opslaan.")))
    try:
        pc4 = geo.normalise_postcode(postcode)[1]
    except geo.PostcodeError:
        raise FieldError("postcode", str(_l("Deze postcode bestaat niet."))) from None
    carer = find_or_create_resident(actor, person, postcode, "")
    if carer.neighbourhood_id is None:
        carer.neighbourhood = geo.neighbourhood_for_pc4(pc4)
    save_profile(actor, carer, data, consent)
    return carer


# --- the overload check ---------------------------------------------------------------------


def take_check(carer: User, answers: Mapping[str, int], felt_burden: int) -> CarerCheck:
    """Score and keep a check; a heavy one opens a follow-up task for a coordinator of the
    carer's neighbourhood (one per check). Raises :class:`DomainError` for missing answers."""
    try:
        outcome = scoring.score(answers, felt_burden)
    except ValueError:
        raise DomainError(_l("Beantwoord alle vragen.")) from None
    check = CarerCheck(
        user_id=carer.id, neighbourhood_id=carer.neighbourhood_id, answers=dict(answers),
        felt_burden=felt_burden, total=outcome.total, level=outcome.level,
        high_areas=list(outcome.high_areas), taken_at=utcnow(),
    )
    db.session.add(check)
    db.session.flush()
    if outcome.needs_follow_up:
        open_task(
            TaskKind.CARER_OVERLOAD, key=f"carer_check:{check.id}",
            due_on=local_today() + timedelta(days=FOLLOW_UP_DAYS),
            neighbourhood_id=carer.neighbourhood_id, person=carer,
            params={"check_id": check.id, "level": outcome.level},
        )
    audit.record(carer, "carer_check.taken", carer)
    return check


def checks_of(carer: User) -> list[CarerCheck]:
    """The carer's checks, oldest first."""
    return list(db.session.scalars(
        sa.select(CarerCheck).where(CarerCheck.user_id == carer.id)
        .order_by(CarerCheck.taken_at, CarerCheck.id)
    ))


def checks_for(viewer: User, carer: User) -> list[CarerCheck]:
    """The checks ``viewer`` may read (the carer, a coordinator of their neighbourhood);
    staff opening them is audited (``carer_check.viewed``). Raises :class:`NotFound`."""
    if not access.can_view_carer_checks(viewer, carer):
        raise NotFound(_l("Deze mantelzorger is niet gevonden."))
    if viewer.id != carer.id:
        audit.record(viewer, "carer_check.viewed", carer)
        db.session.flush()
    return checks_of(carer)


def check_for(viewer: User, check_id: int) -> CarerCheck:
    """One check, for the carer themselves. Raises :class:`NotFound` for anyone else."""
    check = db.session.get(CarerCheck, check_id)
    if check is None or check.user_id != viewer.id:
        raise NotFound(_l("Deze check is niet gevonden."))
    return check
