"""A maintainer adds, changes and removes the contacts and phone numbers of a service, on
its edit page (each row its own small form, so it works without JavaScript). Contacts and
phones work alike: :class:`Rows` says what differs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from flask_babel.speaklater import LazyString
from werkzeug.wrappers import Response

from marketplace.access import socialmap_maintainer_required
from marketplace.i18n import lazy_gettext as _l
from marketplace.socialmap import contacts, maintenance
from marketplace.socialmap.blueprint import blueprint
from marketplace.socialmap.forms import ContactForm, PhoneForm
from marketplace.socialmap.manage import actor, csrf_or_400, edit_page, edit_url
from marketplace.transaction import perform, submit


@dataclass(frozen=True)
class Rows:
    """One kind of row on the edit page: its form, field names, form prefix (``contact``
    for a new one, ``contact-<id>`` for an existing one), template names and messages."""

    kind: contacts.Kind
    form: type[ContactForm] | type[PhoneForm]
    names: tuple[str, ...]
    prefix: str
    added: LazyString
    saved: LazyString
    removed: LazyString

    def fields(self, form: ContactForm | PhoneForm) -> dict[str, str]:
        return {name: str(getattr(form, name).data or "") for name in self.names}


CONTACT_ROWS = Rows(contacts.CONTACTS, ContactForm, contacts.CONTACT_FIELDS, "contact",
                    _l("Het contact is toegevoegd."), _l("Het contact is opgeslagen."),
                    _l("Het contact is weggehaald."))
PHONE_ROWS = Rows(contacts.PHONES, PhoneForm, ("number", "type", "description"), "phone",
                  _l("Het telefoonnummer is toegevoegd."), _l("Het telefoonnummer is opgeslagen."),
                  _l("Het telefoonnummer is weggehaald."))


def _add(rows: Rows, service_id: UUID) -> Any:
    service = maintenance.service_for(actor(), str(service_id))
    form = rows.form(prefix=rows.prefix)
    if form.validate_on_submit():
        fields = rows.fields(form)
        done = submit(lambda: contacts.add(actor(), str(service_id), rows.kind, fields), form,
                      done=str(rows.added), to=edit_url(service_id))
        if done is not None:
            return done
    posted: dict[str, Any] = {f"{rows.prefix}_form": form}
    return edit_page(service, status=400, **posted)


def _update(rows: Rows, service_id: UUID, row_id: int) -> Any:
    service = maintenance.service_for(actor(), str(service_id))
    contacts.row_of(rows.kind, service, row_id)  # 404 for a row that is not the service's
    form = rows.form(prefix=f"{rows.prefix}-{row_id}")
    if form.validate_on_submit():
        fields = rows.fields(form)
        done = submit(
            lambda: contacts.update(actor(), str(service_id), rows.kind, row_id, fields),
            form, done=str(rows.saved), to=edit_url(service_id))
        if done is not None:
            return done
    posted: dict[str, Any] = {f"{rows.prefix}_forms": {row_id: form}}
    return edit_page(service, status=400, **posted)


def _remove(rows: Rows, service_id: UUID, row_id: int) -> Response:
    maintenance.service_for(actor(), str(service_id))
    csrf_or_400()
    return perform(lambda: contacts.remove(actor(), str(service_id), rows.kind, row_id),
                   done=str(rows.removed), to=edit_url(service_id))


@blueprint.post("/beheer/dienst/<uuid:service_id>/contact")
@socialmap_maintainer_required
def add_contact(service_id: UUID):  # type: ignore[no-untyped-def]
    return _add(CONTACT_ROWS, service_id)


@blueprint.post("/beheer/dienst/<uuid:service_id>/contact/<int:contact_id>")
@socialmap_maintainer_required
def edit_contact(service_id: UUID, contact_id: int):  # type: ignore[no-untyped-def]
    return _update(CONTACT_ROWS, service_id, contact_id)


@blueprint.post("/beheer/dienst/<uuid:service_id>/contact/<int:contact_id>/weg")
@socialmap_maintainer_required
def remove_contact(service_id: UUID, contact_id: int):  # type: ignore[no-untyped-def]
    return _remove(CONTACT_ROWS, service_id, contact_id)


@blueprint.post("/beheer/dienst/<uuid:service_id>/telefoon")
@socialmap_maintainer_required
def add_phone(service_id: UUID):  # type: ignore[no-untyped-def]
    return _add(PHONE_ROWS, service_id)


@blueprint.post("/beheer/dienst/<uuid:service_id>/telefoon/<int:phone_id>")
@socialmap_maintainer_required
def edit_phone(service_id: UUID, phone_id: int):  # type: ignore[no-untyped-def]
    return _update(PHONE_ROWS, service_id, phone_id)


@blueprint.post("/beheer/dienst/<uuid:service_id>/telefoon/<int:phone_id>/weg")
@socialmap_maintainer_required
def remove_phone(service_id: UUID, phone_id: int):  # type: ignore[no-untyped-def]
    return _remove(PHONE_ROWS, service_id, phone_id)
