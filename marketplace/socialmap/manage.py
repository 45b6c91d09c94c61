"""Maintaining the sociale kaart: an organisation's coordinators (and the administrator) edit
their services, places and opening hours, mark entries as checked, and decide suggested
corrections. Routes on the ``socialmap`` blueprint, under ``/sociale-kaart/beheer``."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import sqlalchemy as sa
from flask import abort, current_app, render_template, request, url_for
from flask_login import current_user

from marketplace.access import socialmap_maintainer_required
from marketplace.extensions import db
from marketplace.fields import CsrfOnlyForm, options
from marketplace.i18n import gettext as _
from marketplace.models import Neighbourhood, Service, ServiceStatus, TaxonomyTerm
from marketplace.socialmap import hours, lifecycle, maintenance
from marketplace.socialmap.blueprint import blueprint
from marketplace.socialmap.forms import (
    STATUS_ACTIONS,
    STATUS_LABELS,
    ContactForm,
    LocationForm,
    OpeningHoursForm,
    PhoneForm,
    ServiceForm,
    StatusForm,
)
from marketplace.templating import current_locale
from marketplace.transaction import perform, submit
from marketplace.vocabulary import local_today


def actor():  # type: ignore[no-untyped-def]
    return current_user._get_current_object()


def edit_url(service_id: UUID | str) -> str:
    return url_for("socialmap.edit_service", service_id=service_id)


def csrf_or_400() -> None:
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)


@blueprint.get("/beheer")
@socialmap_maintainer_required
def maintain():  # type: ignore[no-untyped-def]
    """The maintainer's page: their services, those to check, the suggestions waiting."""
    overview = maintenance.overview(actor(), local_today(),
                                    int(current_app.config["SOCIAL_MAP_STALE_DAYS"]))
    return render_template("socialmap/maintain.html", overview=overview, form=CsrfOnlyForm(),
                           status_labels=STATUS_LABELS,
                           stale_days=current_app.config["SOCIAL_MAP_STALE_DAYS"])


def with_choices(form: ServiceForm) -> ServiceForm:
    """``form`` with the kinds of help and neighbourhoods to choose from."""
    locale = current_locale()
    form.terms.choices = options((term.id, term.label(locale)) for term in db.session.scalars(
        sa.select(TaxonomyTerm).order_by(TaxonomyTerm.taxonomy_id, TaxonomyTerm.position)))
    form.neighbourhoods.choices = options((item.id, item.name) for item in db.session.scalars(
        sa.select(Neighbourhood).order_by(Neighbourhood.name)))
    return form


def _service_form(service: Service) -> ServiceForm:
    form = with_choices(ServiceForm(obj=service if request.method == "GET" else None))
    if request.method == "GET":
        form.terms.data = [term.id for term in service.terms]
        form.neighbourhoods.data = [area.neighbourhood_id for area in service.areas
                                    if area.neighbourhood_id is not None]
    return form


def edit_page(  # type: ignore[no-untyped-def]
    service: Service, form: ServiceForm | None = None, status: int = 200, **submitted: Any,
):
    """The edit page; the forms not being submitted are shown filled from the service.
    ``submitted`` holds the form that was posted, under its name in the template
    (``location_form``, ``hours_form``, ``contact_form``, ``phone_form``, or
    ``contact_forms`` / ``phone_forms`` with the one changed row's form)."""
    forms: dict[str, Any] = {
        "location_form": _location_form(service, None),
        "hours_form": OpeningHoursForm(formdata=None, prefix="hours"),
        "contact_form": ContactForm(formdata=None, prefix="contact"),
        "phone_form": PhoneForm(formdata=None, prefix="phone"),
        "contact_forms": {row.id: ContactForm(formdata=None, obj=row, prefix=f"contact-{row.id}")
                          for row in service.contacts},
        "phone_forms": {row.id: PhoneForm(formdata=None, obj=row, prefix=f"phone-{row.id}")
                        for row in service.phones},
    }
    for name in ("contact_forms", "phone_forms"):
        forms[name].update(submitted.pop(name, {}))
    forms.update(submitted)
    return render_template(
        "socialmap/edit_service.html", service=service, form=form or _service_form(service),
        describe_hours=hours.describe, csrf_form=CsrfOnlyForm(),
        next_statuses=[status for status in STATUS_ACTIONS if lifecycle.can_move(service, status)],
        status_actions=STATUS_ACTIONS, status_labels=STATUS_LABELS, **forms,
    ), status


def _location_form(service: Service, formdata: object) -> LocationForm:
    at_location = maintenance.main_location(service)
    location = at_location.location if at_location else None
    address = location.addresses[0] if location and location.addresses else None
    form = LocationForm(formdata=formdata, obj=location, prefix="location")  # type: ignore[arg-type]
    if formdata is None and address is not None:
        form.address_1.data = address.address_1
        form.postal_code.data = address.postal_code
        form.city.data = address.city
    return form


@blueprint.route("/beheer/dienst/<uuid:service_id>", methods=["GET", "POST"])
@socialmap_maintainer_required
def edit_service(service_id: UUID):  # type: ignore[no-untyped-def]
    service = maintenance.service_for(actor(), str(service_id))
    form = _service_form(service)
    if form.validate_on_submit():
        fields = {name: getattr(form, name).data for name in maintenance.SERVICE_FIELDS}
        done = submit(
            lambda: maintenance.update_service(
                actor(), str(service_id), fields, form.terms.data or [],
                form.neighbourhoods.data or [], local_today()),
            form, done=_("De dienst is opgeslagen."), to=edit_url(service_id),
        )
        if done is not None:
            return done
    return edit_page(service, form, 400 if request.method == "POST" else 200)


@blueprint.post("/beheer/dienst/<uuid:service_id>/status")
@socialmap_maintainer_required
def set_status(service_id: UUID):  # type: ignore[no-untyped-def]
    """Deactivate, reactivate, close temporarily or stop (the button pressed says which)."""
    maintenance.service_for(actor(), str(service_id))
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    to_status = ServiceStatus(form.status.data)
    return perform(lambda: maintenance.set_status(actor(), str(service_id), to_status),
                   done=_("De status is veranderd: %(status)s.",
                          status=STATUS_LABELS[to_status]),
                   to=edit_url(service_id))


@blueprint.post("/beheer/dienst/<uuid:service_id>/plek")
@socialmap_maintainer_required
def edit_location(service_id: UUID):  # type: ignore[no-untyped-def]
    service = maintenance.service_for(actor(), str(service_id))
    form = _location_form(service, request.form)
    if form.validate_on_submit():
        fields = {name: getattr(form, name).data or "" for name in
                  (*maintenance.LOCATION_FIELDS, *maintenance.ADDRESS_FIELDS)}
        done = submit(lambda: maintenance.update_location(actor(), str(service_id), fields),
                      form, done=_("De plek is opgeslagen."), to=edit_url(service_id))
        if done is not None:
            return done
    return edit_page(service, status=400, location_form=form)


@blueprint.post("/beheer/dienst/<uuid:service_id>/tijden")
@socialmap_maintainer_required
def add_hours(service_id: UUID):  # type: ignore[no-untyped-def]
    service = maintenance.service_for(actor(), str(service_id))
    form = OpeningHoursForm(prefix="hours")
    if form.validate_on_submit() and form.opens_at.data and form.closes_at.data:
        opens, closes = form.opens_at.data, form.closes_at.data
        done = submit(
            lambda: maintenance.add_opening_hours(actor(), str(service_id), form.days.data or [],
                                                  opens, closes, form.notes.data or ""),
            form, done=_("De openingstijd is toegevoegd."), to=edit_url(service_id),
        )
        if done is not None:
            return done
    return edit_page(service, status=400, hours_form=form)


@blueprint.post("/beheer/dienst/<uuid:service_id>/tijden/<int:schedule_id>/weg")
@socialmap_maintainer_required
def remove_hours(service_id: UUID, schedule_id: int):  # type: ignore[no-untyped-def]
    maintenance.service_for(actor(), str(service_id))  # 403 / 404 before anything else
    csrf_or_400()
    return perform(
        lambda: maintenance.remove_opening_hours(actor(), str(service_id), schedule_id),
        done=_("De openingstijd is weggehaald."), to=edit_url(service_id),
    )


@blueprint.post("/beheer/dienst/<uuid:service_id>/gecontroleerd")
@socialmap_maintainer_required
def mark_checked(service_id: UUID):  # type: ignore[no-untyped-def]
    maintenance.service_for(actor(), str(service_id))
    csrf_or_400()
    return perform(
        lambda: maintenance.mark_checked(actor(), str(service_id), local_today()),
        done=_("Gecontroleerd: de datum is bijgewerkt."), to=url_for("socialmap.maintain"),
    )


@blueprint.post("/beheer/correctie/<int:suggestion_id>/goedkeuren")
@socialmap_maintainer_required
def approve_suggestion(suggestion_id: int):  # type: ignore[no-untyped-def]
    maintenance.suggestion_for(actor(), suggestion_id)
    csrf_or_400()
    return perform(
        lambda: maintenance.decide_suggestion(actor(), suggestion_id, approve=True),
        done=_("De correctie is goedgekeurd. Pas de gegevens aan als dat nog nodig is."),
        to=url_for("socialmap.maintain"),
    )


@blueprint.post("/beheer/correctie/<int:suggestion_id>/afwijzen")
@socialmap_maintainer_required
def reject_suggestion(suggestion_id: int):  # type: ignore[no-untyped-def]
    maintenance.suggestion_for(actor(), suggestion_id)
    csrf_or_400()
    return perform(
        lambda: maintenance.decide_suggestion(actor(), suggestion_id, approve=False),
        done=_("De correctie is afgewezen."), to=url_for("socialmap.maintain"),
    )
