"""Forms of the notifications feature: the choices per kind."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField
from wtforms.fields.choices import SelectChoice

from marketplace.i18n import lazy_gettext as _l
from marketplace.notifications.services import RULES
from marketplace.vocabulary import NotificationDelivery, NotificationKind

#: The field of the choice to get a new message's text in its e-mail (conversations).
MESSAGE_TEXT = "message_text"


def preferences_form(kinds: dict[NotificationKind, NotificationDelivery],
                     message_text: bool = False) -> FlaskForm:
    """A form with one radio group per kind in ``kinds`` (field name: the kind's code),
    offering that kind's choices, preset to the current choice. Built per request: which
    kinds a person sees depends on their roles."""

    fields = {
        kind.value: RadioField(
            kind.label,
            choices=[SelectChoice(choice.value, choice.label) for choice in RULES[kind].choices],
            default=current.value, validate_choice=True,
        )
        for kind, current in kinds.items()
    }
    if NotificationKind.MESSAGE_NEW in kinds:
        fields[MESSAGE_TEXT] = BooleanField(
            _l("Zet de tekst van een nieuw bericht in de e-mail"),
            description=_l("Zonder vinkje staat er alleen in de e-mail dat er een bericht is. "
                           "U leest het dan op de website."),
            default=message_text,
        )
    form_class = type("PreferencesForm", (FlaskForm,), fields)
    form: FlaskForm = form_class()
    return form


def chosen(
    form: FlaskForm, kinds: dict[NotificationKind, NotificationDelivery]
) -> dict[NotificationKind, NotificationDelivery]:
    """The choices submitted in ``form``, per kind."""
    return {kind: NotificationDelivery(form[kind.value].data) for kind in kinds}
