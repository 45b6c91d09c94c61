"""The carers' words: questions, answer scales and labels, defined once (Dutch source,
English through the translations)."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel.speaklater import LazyString

from marketplace.i18n import lazy_gettext as _l

RELATIONS: Mapping[str, LazyString] = {
    "partner": _l("Mijn partner"),
    "parent": _l("Mijn vader of moeder"),
    "child": _l("Mijn kind"),
    "family": _l("Een ander familielid"),
    "friend": _l("Een vriend of kennis"),
    "neighbour": _l("Een buur"),
    "other": _l("Iemand anders"),
}

CARE_KINDS: Mapping[str, LazyString] = {
    "personal": _l("Persoonlijke verzorging (wassen, aankleden, eten)"),
    "household": _l("Het huishouden"),
    "arranging": _l("Regelen: afspraken, formulieren, geldzaken"),
    "company": _l("Gezelschap en een oogje in het zeil"),
    "transport": _l("Vervoer en mee naar afspraken"),
    "nursing": _l("Verpleging of medicijnen"),
}

#: The groups the plan names as the most burdened carers.
CONDITIONS: Mapping[str, LazyString] = {
    "dementia": _l("Dementie"),
    "intellectual": _l("Een verstandelijke beperking"),
    "psychiatric": _l("Een psychische aandoening"),
    "brain_injury": _l("Niet-aangeboren hersenletsel (bijvoorbeeld na een beroerte)"),
}

#: The eight areas of the overload check: (short name, plain question).
AREAS: Mapping[str, tuple[LazyString, LazyString]] = {
    "care_tasks": (_l("Zorgtaken"), _l(
        "Hoe zwaar zijn de zorgtaken zelf? Bijvoorbeeld wassen, eten geven, medicijnen.")),
    "arranging": (_l("Regelzaken"), _l(
        "Hoe zwaar is het regelen? Bijvoorbeeld afspraken maken, formulieren, hulp aanvragen.")),
    "housing_transport": (_l("Wonen en vervoer"), _l(
        "Hoe zwaar zijn het huis en het vervoer? Bijvoorbeeld een huis dat niet past, "
        "ritjes naar het ziekenhuis.")),
    "money": (_l("Geld"), _l(
        "Hoe zwaar zijn de geldzaken door de zorg? Bijvoorbeeld extra kosten of minder "
        "werken.")),
    "social_emotional": (_l("Gevoel en contact"), _l(
        "Hoe zwaar is het voor uw gevoel? Bijvoorbeeld zorgen, verdriet, weinig contact met "
        "anderen.")),
    "knowledge": (_l("Kennis van de ziekte"), _l(
        "Hoe zwaar is het dat u niet alles weet over de ziekte of de verzorging?")),
    "time_off": (_l("Tijd voor uzelf"), _l(
        "Hoe zwaar is het dat u weinig vrije tijd of rust heeft?")),
    "combining": (_l("Zorg combineren"), _l(
        "Hoe zwaar is het om de zorg te combineren met werk, school of gezin?")),
}

#: The answers to every area question, 1 .. 5.
AREA_SCALE: Mapping[int, LazyString] = {
    1: _l("Niet zwaar"),
    2: _l("Een beetje zwaar"),
    3: _l("Best zwaar"),
    4: _l("Zwaar"),
    5: _l("Te zwaar"),
}

#: The GGD health monitor's question on how burdened a carer feels, and its five answers.
FELT_QUESTION = _l("Hoe zwaar belast voelt u zich door de zorg die u geeft?")
FELT_SCALE: Mapping[int, LazyString] = {
    1: _l("Niet of nauwelijks belast"),
    2: _l("Enigszins belast"),
    3: _l("Tamelijk zwaar belast"),
    4: _l("Zeer zwaar belast"),
    5: _l("Overbelast"),
}

LEVELS: Mapping[str, LazyString] = {
    "light": _l("Licht belast"),
    "raised": _l("Let op: het wordt zwaar"),
    "overloaded": _l("Zwaar belast"),
}

#: What support exists, in plain words (shown at once after a heavy check).
SUPPORT: Mapping[str, tuple[LazyString, LazyString]] = {
    "respite": (_l("Respijtzorg: even vrij"), _l(
        "Een getrainde vrijwilliger neemt de zorg een paar uur van u over. U kunt dan even "
        "iets voor uzelf doen. Vraag het hieronder aan.")),
    "buddy": (_l("Een maatje"), _l(
        "Een vaste vrijwilliger die regelmatig langskomt, voor een praatje of een wandeling.")),
    "practical": (_l("Praktische hulp"), _l(
        "Hulp bij boodschappen, klusjes, de tuin of vervoer, zodat u minder hoeft te doen.")),
    "peers": (_l("Andere mantelzorgers ontmoeten"), _l(
        "In uw wijk praten mantelzorgers met elkaar over hoe het gaat. Dat helpt vaak.")),
    "sociaal_plein": (_l("Het Sociaal Plein"), _l(
        "Voor advies en steun van een professional, ook over geld en zorg die u niet zelf "
        "hoeft te geven. Bel het meldpunt, dan zoeken we het samen uit.")),
}
