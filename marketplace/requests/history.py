"""History notes in the reader's language.

The code writes fixed Dutch sentences as the notes of a request's history ("vrijwilliger
heeft geaccepteerd", "Gewijzigd door de bewoner: beschrijving, wanneer"); old rows hold the
same sentences. These sentences serve as codes: :func:`history_note` shows each in the
reader's language, with the parts of a change note translated one by one. A note a person
typed (a coordinator's question, a reason to withdraw) is shown as it was typed.
"""

from __future__ import annotations

import re

from marketplace.i18n import lazy_gettext as _l

#: The notes code writes, as stored, and what a reader sees. Keep in step with the writers
#: (matches.services, matches.recurring, rounds.services, privacy.services).
SYSTEM_NOTES = {
    "vrijwilliger heeft geaccepteerd": _l("vrijwilliger heeft geaccepteerd"),
    "vrijwilliger kon niet": _l("vrijwilliger kon niet"),
    "zelf gekozen door vrijwilliger": _l("zelf gekozen door vrijwilliger"),
    "voorstel aan vrijwilliger": _l("voorstel aan vrijwilliger"),
    "voorstel niet op tijd beantwoord": _l("voorstel niet op tijd beantwoord"),
    "koppeling geblokkeerd": _l("koppeling geblokkeerd"),
    "beide kanten bevestigd": _l("beide kanten bevestigd"),
    "hulp gestopt": _l("hulp gestopt"),
    "afgezegd door vrijwilliger": _l("afgezegd door vrijwilliger"),
    "afgezegd door bewoner": _l("afgezegd door bewoner"),
    "afgezegd door vrijwilliger op de dag zelf": _l("afgezegd door vrijwilliger op de dag zelf"),
    "afgezegd door bewoner op de dag zelf": _l("afgezegd door bewoner op de dag zelf"),
    "afgezegd door coördinator": _l("afgezegd door coördinator"),
    "afgezegd door coördinator op de dag zelf": _l("afgezegd door coördinator op de dag zelf"),
    "afgezegd door verwijzer": _l("afgezegd door verwijzer"),
    "afgezegd door verwijzer op de dag zelf": _l("afgezegd door verwijzer op de dag zelf"),
    "Account verwijderd": _l("Account verwijderd"),
}

#: Who changed a request, as ``requests.services._change_note`` writes it.
_WHO = {
    "de bewoner": _l("de bewoner"),
    "een medewerker": _l("een medewerker"),
    "de verwijzer": _l("de verwijzer"),
}

#: The parts of a request a change names (the values of ``rules.CHANGED_PARTS``).
_PARTS = {
    "soort hulp": _l("soort hulp"),
    "titel": _l("titel"),
    "beschrijving": _l("beschrijving"),
    "wanneer": _l("wanneer"),
    "hoe snel": _l("hoe snel"),
    "adres": _l("adres"),
    "voorkeurstaal": _l("voorkeurstaal"),
    "eigen netwerk": _l("eigen netwerk"),
    "iets doen voor een ander": _l("iets doen voor een ander"),
}

_CHANGED = re.compile(r"^Gewijzigd door (?P<who>[a-z ]+): (?P<parts>.+)$")
_RESENT = re.compile(r"^Opnieuw verstuurd door (?P<who>[a-z ]+), zonder wijzigingen$")


def history_note(note: str | None) -> str:
    """``note`` in the reader's language when code wrote it; as typed otherwise."""
    text = (note or "").strip()
    if text in SYSTEM_NOTES:
        return str(SYSTEM_NOTES[text])
    if (resent := _RESENT.match(text)) and resent["who"] in _WHO:
        return str(_l("Opnieuw verstuurd door %(who)s, zonder wijzigingen",
                      who=_WHO[resent["who"]]))
    changed = _CHANGED.match(text)
    if changed and changed["who"] in _WHO:
        parts = changed["parts"].split(", ")
        if all(part in _PARTS for part in parts):
            return str(_l("Gewijzigd door %(who)s: %(parts)s", who=_WHO[changed["who"]],
                          parts=", ".join(str(_PARTS[part]) for part in parts)))
    return text
