"""Volunteer profiles: what someone can do, when, where, how far, and their screening.

Services flush; the view commits. Creating a profile gives the account the volunteer role.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from marketplace import audit
from marketplace.access import VOG_VALID_YEARS, vog_expires_on
from marketplace.errors import FieldError
from marketplace.extensions import db
from marketplace.geo import Place, neighbourhood_for_pc4, resolve_postcode
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import Category, Neighbourhood, Role, User, VolunteerProfile
from marketplace.vocabulary import LANGUAGES, SLOTS, VogStatus, local_today

MIN_TRAVEL_KM, MAX_TRAVEL_KM = 1, 50
MIN_CAPACITY, MAX_CAPACITY = 1, 5
MAX_TRAINING_LENGTH = 500


@dataclass(frozen=True)
class ProfileData:
    """What the volunteer filled in. Ids and codes are checked by :func:`save_profile`."""

    skill_ids: Sequence[int]
    availability: Sequence[str]
    postcode: str
    max_travel_km: int
    languages: Sequence[str]
    vog_status: str
    vog_date: date | None
    trainings: str
    capacity: int
    paused: bool = False


def expired_vog_notice(asked: str | None, profile: VolunteerProfile) -> str | None:
    """What to tell a volunteer who said their VOG is valid while it counted as expired."""
    if asked == VogStatus.VALID and profile.vog_status == VogStatus.EXPIRED:
        return str(_l(
            "Uw VOG is ouder dan %(years)d jaar en telt daarom als verlopen. Het meldpunt "
            "helpt u een nieuwe aan te vragen.", years=VOG_VALID_YEARS,
        ))
    return None


def effective_vog_status(status: VogStatus, vog_date: date | None, today: date) -> VogStatus:
    """The status that counts: a "valid" VOG older than three years counts as expired."""
    if status == VogStatus.VALID and vog_date is not None and today >= vog_expires_on(vog_date):
        return VogStatus.EXPIRED
    return status


def matchable_categories() -> list[Category]:
    """Active categories a volunteer can offer (escalated kinds of help are never matched)."""
    return list(db.session.scalars(
        sa.select(Category)
        .where(Category.active.is_(True), Category.escalate.is_(False))
        .order_by(Category.position, Category.id)
    ))


def _check_range(field: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise FieldError(
            field, str(_l("Kies een getal van %(low)s tot en met %(high)s.", low=low, high=high))
        )


def _skills(skill_ids: Iterable[int]) -> list[Category]:
    wanted = set(skill_ids)
    if not wanted:
        raise FieldError("skills", str(_l("Kies minstens één soort hulp.")))
    allowed = {category.id: category for category in matchable_categories()}
    if not wanted <= allowed.keys():
        raise FieldError("skills", str(_l("Kies alleen soorten hulp uit de lijst.")))
    return [allowed[category_id] for category_id in sorted(wanted)]


def _codes(field: str, codes: Iterable[str], known: Sequence[str], empty: str) -> list[str]:
    chosen = set(codes)
    if not chosen:
        raise FieldError(field, empty)
    if not chosen <= set(known):
        raise FieldError(field, str(_l("Kies alleen uit de lijst.")))
    return [code for code in known if code in chosen]  # stable, canonical order


def _vog(status_code: str, vog_date: date | None, today: date) -> tuple[VogStatus, date | None]:
    try:
        status = VogStatus(status_code)
    except ValueError:
        raise FieldError("vog_status", str(_l("Kies een van de mogelijkheden."))) from None
    if vog_date is not None and vog_date > today:
        raise FieldError("vog_date", str(_l("De datum van de VOG kan niet in de toekomst liggen.")))
    if status == VogStatus.VALID and vog_date is None:
        raise FieldError("vog_date", str(_l("Vul de datum van uw VOG in.")))
    if status == VogStatus.NONE:
        vog_date = None
    return effective_vog_status(status, vog_date, today), vog_date


@dataclass(frozen=True)
class _Checked:
    """The checked, normalised values :func:`save_profile` stores."""

    skills: list[Category]
    availability: list[str]
    languages: list[str]
    place: Place
    neighbourhood: Neighbourhood | None
    vog_status: VogStatus
    vog_date: date | None
    trainings: str


def _validate(data: ProfileData, today: date) -> _Checked:
    """Check every field; return the values to store. Raises :class:`FieldError`."""
    _check_range("max_travel_km", data.max_travel_km, MIN_TRAVEL_KM, MAX_TRAVEL_KM)
    _check_range("capacity", data.capacity, MIN_CAPACITY, MAX_CAPACITY)
    trainings = (data.trainings or "").strip()
    if len(trainings) > MAX_TRAINING_LENGTH:
        raise FieldError("trainings", str(_l("Gebruik hoogstens 500 tekens.")))
    vog_status, vog_date = _vog(data.vog_status, data.vog_date, today)
    place = resolve_postcode(data.postcode)
    return _Checked(
        skills=_skills(data.skill_ids),
        availability=_codes("availability", data.availability, SLOTS,
                            str(_l("Kies minstens één dagdeel waarop u kunt helpen."))),
        languages=_codes("languages", data.languages, LANGUAGES,
                         str(_l("Kies minstens één taal."))),
        place=place,
        neighbourhood=neighbourhood_for_pc4(place.pc4),
        vog_status=vog_status,
        vog_date=vog_date,
        trainings=trainings,
    )


def save_profile(user: User, data: ProfileData, today: date | None = None) -> VolunteerProfile:
    """Create or update ``user``'s volunteer profile and give them the volunteer role.

    Changing the VOG or the trainings clears the staff verification, so a coordinator checks
    again. Raises :class:`FieldError` (a ``DomainError``) naming the field that is wrong.
    """
    values = _validate(data, today or local_today())
    profile = user.volunteer_profile
    created = profile is None
    if profile is None:
        profile = VolunteerProfile(user=user)
        db.session.add(profile)
    screening_changed = not created and (
        profile.vog_status, profile.vog_date, profile.trainings
    ) != (values.vog_status, values.vog_date, values.trainings)
    if not created and profile.trainings != values.trainings:
        profile.training_verified = False
    _apply(profile, data, values)
    if screening_changed:
        profile.verified_at = None
        profile.verified_by_id = None
    user.add_role(Role.VOLUNTEER)
    db.session.flush()
    action = "volunteer.profile_created" if created else "volunteer.profile_updated"
    audit.record(user, action, profile, "screening changed" if screening_changed else "")
    return profile


def _apply(profile: VolunteerProfile, data: ProfileData, values: _Checked) -> None:
    profile.postcode = values.place.postcode
    profile.latitude = values.place.latitude
    profile.longitude = values.place.longitude
    profile.neighbourhood = values.neighbourhood
    profile.skills = values.skills
    profile.availability = values.availability
    profile.languages = values.languages
    profile.vog_status = values.vog_status
    profile.vog_date = values.vog_date
    profile.trainings = values.trainings
    profile.max_travel_km = float(data.max_travel_km)
    profile.capacity = data.capacity
    profile.paused = data.paused
