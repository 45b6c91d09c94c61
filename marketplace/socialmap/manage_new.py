"""A maintainer adds a new service: one page, one form (without JavaScript), in parts: the
service's words, its place, one line of opening hours, a contact and a phone number. The
parts after the first may stay empty; what was typed is shown again on an error."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import render_template, request, url_for
from flask_wtf import FlaskForm

from marketplace.access import socialmap_maintainer_required
from marketplace.fields import options
from marketplace.i18n import gettext as _
from marketplace.socialmap import creation, maintenance
from marketplace.socialmap.blueprint import blueprint
from marketplace.socialmap.forms import (
    ContactForm,
    LocationForm,
    NewServiceForm,
    OpeningHoursForm,
    PhoneForm,
)
from marketplace.socialmap.manage import actor, edit_url, with_choices
from marketplace.transaction import submit
from marketplace.vocabulary import local_today

#: Fields that always hold a value, so they do not make a part "filled in".
_PRESET = frozenset({"type"})


@dataclass(frozen=True)
class Parts:
    """The forms of the page; the optional ones carry no CSRF field of their own."""

    service: NewServiceForm
    location: LocationForm
    hours: OpeningHoursForm
    contact: ContactForm
    phone: PhoneForm

    def optional(self) -> dict[str, FlaskForm]:
        return {"location": self.location, "hours": self.hours, "contact": self.contact,
                "phone": self.phone}


def _parts() -> Parts:
    form = with_choices(NewServiceForm())
    organisations = creation.organisations_for(actor())
    form.organisation.choices = options((row.id, row.name) for row in organisations)
    if request.method == "GET" and len(organisations) == 1:
        form.organisation.data = organisations[0].id
    plain = {"meta": {"csrf": False}}
    parts = Parts(form, LocationForm(prefix="location", **plain),
                  OpeningHoursForm(prefix="hours", **plain),
                  ContactForm(prefix="contact", **plain), PhoneForm(prefix="phone", **plain))
    for part in parts.optional().values():
        for field in part:  # required only once the part is filled in: not marked so
            field.flags.required = False
    return parts


def _filled(form: FlaskForm) -> bool:
    return any(field.data not in (None, "", []) for field in form if field.name.rsplit(
        "-", 1)[-1] not in _PRESET)


def _valid(parts: Parts) -> bool:
    """Validate every part (all of them, so every error shows at once); an empty optional
    part is fine."""
    valid = parts.service.validate()
    for form in parts.optional().values():
        if _filled(form):
            valid = form.validate() and valid
    return valid


def _data(form: FlaskForm, names: tuple[str, ...]) -> dict[str, str]:
    return {name: str(getattr(form, name).data or "") for name in names}


def _new_service(parts: Parts) -> creation.NewService:
    form, hours_form = parts.service, parts.hours
    filled = {name: _filled(part) for name, part in parts.optional().items()}
    hours = None
    if filled["hours"] and hours_form.opens_at.data and hours_form.closes_at.data:
        hours = creation.OpeningHours(hours_form.days.data or [], hours_form.opens_at.data,
                                      hours_form.closes_at.data, hours_form.notes.data or "")
    return creation.NewService(
        organisation_id=int(form.organisation.data),
        fields=_data(form, maintenance.SERVICE_FIELDS),
        term_ids=form.terms.data or [], neighbourhood_ids=form.neighbourhoods.data or [],
        location=_data(parts.location, (*maintenance.LOCATION_FIELDS,
                                         *maintenance.ADDRESS_FIELDS))
        if filled["location"] else None,
        hours=hours,
        contact=_data(parts.contact, ("name", "title", "department", "email"))
        if filled["contact"] else None,
        phone=_data(parts.phone, ("number", "type", "description")) if filled["phone"] else None,
    )


@blueprint.route("/beheer/nieuw", methods=["GET", "POST"])
@socialmap_maintainer_required
def new_service():  # type: ignore[no-untyped-def]
    """Put a new service on the sociale kaart (an organisation the user maintains)."""
    parts = _parts()
    if request.method == "POST" and isinstance(parts.service.organisation.data, int):
        creation.organisation_for(actor(), parts.service.organisation.data)  # 403 / 404 first
    if request.method == "POST" and _valid(parts):
        new = _new_service(parts)
        done = submit(lambda: creation.create_service(actor(), new, local_today()),
                      parts.service, done=_("De dienst staat op de sociale kaart."),
                      to=lambda service: edit_url(service.uuid))
        if done is not None:
            return done
    return _page(parts, 400 if request.method == "POST" else 200)


def _page(parts: Parts, status: int) -> tuple[Any, int]:
    return render_template(
        "socialmap/new_service.html", form=parts.service, location_form=parts.location,
        hours_form=parts.hours, contact_form=parts.contact, phone_form=parts.phone,
        cancel=url_for("socialmap.maintain"),
    ), status
