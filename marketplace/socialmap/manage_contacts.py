"""A maintainer adds, changes and removes the contacts and phone numbers of a service, on
its edit page (each row its own small form, so it works without JavaScript)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.access import socialmap_maintainer_required
from marketplace.errors import NotFound
from marketplace.models import Service
from marketplace.socialmap import contacts, maintenance
from marketplace.socialmap.blueprint import blueprint
from marketplace.socialmap.forms import ContactForm, PhoneForm
from marketplace.socialmap.manage import actor, csrf_or_400, edit_page, edit_url
from marketplace.transaction import perform, submit

CONTACT_FIELDS = contacts.CONTACT_FIELDS
PHONE_FIELDS = ("number", "type", "description")


def _data(form: ContactForm | PhoneForm, names: tuple[str, ...]) -> dict[str, str]:
    return {name: str(getattr(form, name).data or "") for name in names}


@blueprint.post("/beheer/dienst/<uuid:service_id>/contact")
@socialmap_maintainer_required
def add_contact(service_id: UUID):  # type: ignore[no-untyped-def]
    service = maintenance.service_for(actor(), str(service_id))
    form = ContactForm(prefix="contact")
    if form.validate_on_submit():
        fields = _data(form, CONTACT_FIELDS)
        done = submit(lambda: contacts.add_contact(actor(), str(service_id), fields), form,
                      done=_("Het contact is toegevoegd."), to=edit_url(service_id))
        if done is not None:
            return done
    return edit_page(service, status=400, contact_form=form)


@blueprint.post("/beheer/dienst/<uuid:service_id>/contact/<int:contact_id>")
@socialmap_maintainer_required
def edit_contact(service_id: UUID, contact_id: int):  # type: ignore[no-untyped-def]
    service = maintenance.service_for(actor(), str(service_id))
    form = ContactForm(prefix=f"contact-{contact_id}")
    if form.validate_on_submit():
        fields = _data(form, CONTACT_FIELDS)
        done = submit(
            lambda: contacts.update_contact(actor(), str(service_id), contact_id, fields),
            form, done=_("Het contact is opgeslagen."), to=edit_url(service_id))
        if done is not None:
            return done
    return _refused(service, "contact_forms", contact_id, form)


@blueprint.post("/beheer/dienst/<uuid:service_id>/contact/<int:contact_id>/weg")
@socialmap_maintainer_required
def remove_contact(service_id: UUID, contact_id: int):  # type: ignore[no-untyped-def]
    maintenance.service_for(actor(), str(service_id))
    csrf_or_400()
    return perform(lambda: contacts.remove_contact(actor(), str(service_id), contact_id),
                   done=_("Het contact is weggehaald."), to=edit_url(service_id))


@blueprint.post("/beheer/dienst/<uuid:service_id>/telefoon")
@socialmap_maintainer_required
def add_phone(service_id: UUID):  # type: ignore[no-untyped-def]
    service = maintenance.service_for(actor(), str(service_id))
    form = PhoneForm(prefix="phone")
    if form.validate_on_submit():
        fields = _data(form, PHONE_FIELDS)
        done = submit(lambda: contacts.add_phone(actor(), str(service_id), fields), form,
                      done=_("Het telefoonnummer is toegevoegd."), to=edit_url(service_id))
        if done is not None:
            return done
    return edit_page(service, status=400, phone_form=form)


@blueprint.post("/beheer/dienst/<uuid:service_id>/telefoon/<int:phone_id>")
@socialmap_maintainer_required
def edit_phone(service_id: UUID, phone_id: int):  # type: ignore[no-untyped-def]
    service = maintenance.service_for(actor(), str(service_id))
    form = PhoneForm(prefix=f"phone-{phone_id}")
    if form.validate_on_submit():
        fields = _data(form, PHONE_FIELDS)
        done = submit(lambda: contacts.update_phone(actor(), str(service_id), phone_id, fields),
                      form, done=_("Het telefoonnummer is opgeslagen."), to=edit_url(service_id))
        if done is not None:
            return done
    return _refused(service, "phone_forms", phone_id, form)


@blueprint.post("/beheer/dienst/<uuid:service_id>/telefoon/<int:phone_id>/weg")
@socialmap_maintainer_required
def remove_phone(service_id: UUID, phone_id: int):  # type: ignore[no-untyped-def]
    maintenance.service_for(actor(), str(service_id))
    csrf_or_400()
    return perform(lambda: contacts.remove_phone(actor(), str(service_id), phone_id),
                   done=_("Het telefoonnummer is weggehaald."), to=edit_url(service_id))


def _refused(service: Service, name: str, row_id: int,
             form: ContactForm | PhoneForm) -> Any:
    """The edit page with the posted row's form and its messages; 404 for a row that is
    not the service's (so nobody learns about another service's rows)."""
    if name == "contact_forms":
        ids, gone = {row.id for row in service.contacts}, _l("Dit contact bestaat niet (meer).")
    else:
        ids = {row.id for row in service.phones}
        gone = _l("Dit telefoonnummer bestaat niet (meer).")
    if row_id not in ids:
        raise NotFound(gone)
    forms: dict[str, Any] = {name: {row_id: form}}
    return edit_page(service, status=400, **forms)
