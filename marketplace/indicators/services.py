"""The indicators as :class:`Table` s: what the dashboard, the exports and the report show.

:func:`build_tables` takes plain arguments (a period, the neighbourhoods, the locale) and
returns the tables in the order the page shows them; every table carries its counting rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from marketplace.carers.indicators import carer_tables
from marketplace.errors import FieldError, NotAllowed
from marketplace.extensions import db
from marketplace.i18n import gettext as _
from marketplace.indicators import people, prefetch, queries
from marketplace.indicators.periods import Period
from marketplace.indicators.queries import Scope
from marketplace.indicators.tables import (
    ChartKind,
    Figure,
    Row,
    Table,
    Unit,
    count,
    measure,
    share,
)
from marketplace.models import Category, HelpRequest, Neighbourhood, RequestSource
from marketplace.rounds.services import reason_label
from marketplace.vocabulary import label


@dataclass(frozen=True)
class Selection:
    """What the figures are about: a period and the chosen neighbourhoods (None: all)."""

    period: Period
    neighbourhoods: tuple[Neighbourhood, ...] | None

    @property
    def scope(self) -> Scope:
        ids = None if self.neighbourhoods is None else tuple(n.id for n in self.neighbourhoods)
        return Scope(self.period, ids)


def all_neighbourhoods() -> list[Neighbourhood]:
    return list(db.session.scalars(sa.select(Neighbourhood).order_by(Neighbourhood.name)))


def select(period: Period, chosen_ids: Iterable[int], allowed: frozenset[int] | None) -> Selection:
    """The selection for ``chosen_ids`` (empty: all the reader may see). Raises
    :class:`NotAllowed` when a chosen neighbourhood is not the reader's to see."""
    chosen = set(chosen_ids)
    if allowed is not None and not chosen <= allowed:
        raise NotAllowed(_("U ziet alleen de cijfers van uw eigen wijk."))
    wanted = chosen or (set(allowed) if allowed is not None else set())
    if not wanted:
        return Selection(period, None)
    found = tuple(item for item in all_neighbourhoods() if item.id in wanted)
    return Selection(period, found)


def build_tables(selection: Selection, locale: str = "nl",
                 facts: prefetch.Facts | None = None) -> list[Table]:
    """Every indicator table for ``selection``, in the dashboard's order. ``facts``: the
    heaviest aggregates asked beforehand (:func:`prefetch.gather`, side by side on
    PostgreSQL); without them they are asked here, in turn."""
    scope = selection.scope
    # Several tables count the same rows: each is asked once.
    facts = facts or prefetch.Facts(
        counts=queries.request_counts(scope), moves=queries.match_moves(scope),
        speed=queries.time_to_match(scope), volunteers=people.volunteer_counts(scope),
        ratings=people.ratings(scope))
    counts, moves = facts.counts, facts.moves
    return [
        requests_by_kind(scope, locale, counts),
        requests_by_source(scope, counts),
        trend(scope, counts),
        matches(scope, moves),
        speed(scope, facts.speed),
        unmatched(scope),
        escalations(scope),
        volunteers(scope, facts.volunteers),
        neighbourhoods(selection, moves, counts),
        satisfaction(scope, facts.ratings),
        carers(selection),
    ]


def _with_total(rows: list[Row], total: int) -> tuple[Row, ...]:
    return (*rows, Row(_("Totaal"), (count(total),), key="total"))


def requests_by_kind(scope: Scope, locale: str,
                     requests: queries.RequestCounts | None = None) -> Table:
    counts = queries.requests_by(HelpRequest.category_id, scope, requests)
    categories = db.session.scalars(sa.select(Category).order_by(Category.position, Category.id))
    rows = [Row(category.name(locale), (count(counts.get(category.id, 0)),), key=category.slug)
            for category in categories if category.active or counts.get(category.id)]
    return Table(
        "requests_by_kind", _("Aanvragen per soort hulp"),
        _("Hulpvragen die in de periode zijn binnengekomen (datum van aanmaken), in elke "
          "status, ook afgewezen en doorverwezen vragen; per soort hulp."),
        _("Soort hulp"), (_("Aanvragen"),), _with_total(rows, sum(counts.values())),
        ChartKind.BARS)


def requests_by_source(scope: Scope, requests: queries.RequestCounts | None = None) -> Table:
    counts = queries.requests_by(HelpRequest.source, scope, requests)
    rows = [Row(label(source), (count(counts.get(source, 0)),), key=source.value)
            for source in RequestSource]
    return Table(
        "requests_by_source", _("Aanvragen per manier van aanvragen"),
        _("Hulpvragen die in de periode zijn binnengekomen, naar wie ze invoerde: de bewoner "
          "zelf online, een verwijzer, of een coördinator na een telefoontje of bezoek aan de "
          "balie."),
        _("Manier"), (_("Aanvragen"),), _with_total(rows, sum(counts.values())), ChartKind.BARS)


def trend(scope: Scope, counts: queries.RequestCounts | None = None) -> Table:
    rows = tuple(Row(month.label, (count(requests), count(accepted)), key=month.label)
                 for month, requests, accepted in people.monthly(scope, counts))
    return Table(
        "trend", _("Aanvragen en koppelingen per maand"),
        _("Per kalendermaand (Nederlandse tijd) binnen de periode: hulpvragen binnengekomen "
          "en koppelingen die de vrijwilliger accepteerde."),
        _("Maand"), (_("Aanvragen"), _("Koppelingen geaccepteerd")), rows, ChartKind.LINES)


def matches(scope: Scope, moves: queries.Moves | None = None) -> Table:
    counts = queries.match_counts(scope, moves)
    rows = (
        Row(_("Voorgesteld aan een vrijwilliger"), (count(counts["proposed"]),), "proposed"),
        Row(_("Geaccepteerd door de vrijwilliger"), (count(counts["accepted"]),), "accepted"),
        Row(_("Afgerond"), (count(counts["completed"]),), "completed"),
    )
    return Table(
        "matches", _("Koppelingen"),
        _("Voorgesteld: koppelingen die in de periode aan een vrijwilliger zijn voorgelegd. "
          "Geaccepteerd en afgerond: koppelingen die in de periode die status kregen, ook als "
          "de vraag eerder binnenkwam. De wijk is de wijk van de hulpvraag."),
        _("Stap"), (_("Aantal"),), rows, ChartKind.BARS)


def speed(scope: Scope, data: dict[str, Any] | None = None) -> Table:
    data = queries.time_to_match(scope) if data is None else data
    median_hours = queries.median_from_histogram(data["hours_histogram"])
    median_days = None if median_hours is None else round(median_hours / 24, 1)
    rows = (
        Row(_("Aanvragen binnengekomen"), (count(data["created"]),), "created"),
        Row(_("Gekoppeld binnen 7 dagen"), (share(data["within_week"], data["created"]),),
            "within_week"),
        Row(_("Mediane tijd tot koppeling (dagen)"),
            (measure(median_days, Unit.DAYS, data["matched"]),), "median_days"),
        Row(_("Nog zonder koppeling"), (count(data["unmatched"]),), "unmatched"),
    )
    return Table(
        "speed", _("Snelheid van koppelen"),
        _("Hulpvragen die in de periode binnenkwamen. Gekoppeld binnen 7 dagen: de "
          "vrijwilliger accepteerde binnen 7 x 24 uur na het aanmaken, als deel van alle "
          "vragen. Mediane tijd: van aanmaken tot accepteren, over de gekoppelde vragen, in "
          "hele uren geteld. Nog zonder koppeling: nooit gekoppeld en niet afgewezen, "
          "doorverwezen of ingetrokken."),
        _("Cijfer"), (_("Waarde"),), rows)


def unmatched(scope: Scope) -> Table:
    counts = queries.unmatched_reasons(scope)
    rows = tuple(Row(reason_label(code), (count(number),), key=code)
                 for code, number in sorted(counts.items(), key=lambda item: -item[1]))
    return Table(
        "unmatched", _("Waarom vragen geen vrijwilliger kregen"),
        _("Hulpvragen die een echte koppelronde (geen proefronde), afgerond in de periode, "
          "zonder vrijwilliger liet; met de reden die de laatste ronde gaf. Een vraag telt "
          "één keer."),
        _("Reden"), (_("Aanvragen"),), rows, ChartKind.BARS)


def escalations(scope: Scope) -> Table:
    moves = queries.request_moves(scope)
    rows = (
        Row(_("Doorverwezen naar het Sociaal Plein"), (count(moves["escalated"]),),
            "escalated"),
        Row(_("Terug van het Sociaal Plein naar vrijwilligers"),
            (count(moves["de_escalated"]),), "de_escalated"),
    )
    return Table(
        "escalations", _("Doorverwijzingen naar professionele zorg"),
        _("Keren dat een coördinator in de periode een hulpvraag doorverwees naar het Sociaal "
          "Plein, en keren dat een doorverwezen vraag terugkwam om door een vrijwilliger te "
          "worden opgepakt."),
        _("Beweging"), (_("Aantal"),), rows)


def volunteers(scope: Scope, data: dict[str, Any] | None = None) -> Table:
    data = people.volunteer_counts(scope) if data is None else data
    rows = (
        Row(_("Actief"), (count(data["active"]),), "active"),
        Row(_("Nieuw"), (count(data["new"]),), "new"),
        Row(_("Gestopt"), (count(data["stopped"]),), "stopped"),
        Row(_("Uren gegeven"), (measure(data["hours"], Unit.HOURS, data["hours_volunteers"]),),
            "hours"),
    )
    return Table(
        "volunteers", _("Vrijwilligers"),
        _("Actief: kreeg in de periode een koppeling geaccepteerd of afgerond, of schreef een "
          "bezoek op. Nieuw: meldde zich in de periode aan. Gestopt: was actief in de periode "
          "ervoor (even lang) en nu niet. Uren: opgeschreven uren van bezoeken in de periode "
          "plus uren van eenmalige hulp die in de periode werd afgerond. De wijk is de wijk "
          "van de vrijwilliger (voor uren: van de hulpvraag)."),
        _("Cijfer"), (_("Aantal"),), rows)


def neighbourhoods(selection: Selection, moves: queries.Moves | None = None,
                   counts: queries.RequestCounts | None = None) -> Table:
    scope = selection.scope
    chosen = selection.neighbourhoods or tuple(all_neighbourhoods())
    requests = queries.requests_by(HelpRequest.neighbourhood_id, scope, counts)
    accepted = queries.accepted_by_neighbourhood(
        queries.match_moves(scope) if moves is None else moves)
    registered = people.registered_by_neighbourhood(scope)
    rows = tuple(
        Row(item.name, (
            count(requests.get(item.id, 0)), count(accepted.get(item.id, 0)),
            count(registered.get(item.id, 0)),
            Figure(item.population, Unit.COUNT),
            share(registered.get(item.id, 0), item.population or 0),
        ), key=item.cbs_code or str(item.id))
        for item in chosen
    )
    rows = (*rows, _neighbourhood_total(chosen, requests, accepted, registered))
    return Table(
        "neighbourhoods", _("Per wijk"),
        _("Aanvragen: binnengekomen in de periode. Koppelingen: in de periode geaccepteerd. "
          "Vrijwilligers: ingeschreven aan het eind van de periode, met een actief account. "
          "Inwoners: zoals de beheerder het invulde (bron: CBS). Aandeel: vrijwilligers als "
          "deel van de inwoners, alleen waar het aantal inwoners bekend is. Vragen en "
          "vrijwilligers zonder wijk staan in geen rij."),
        _("Wijk"),
        (_("Aanvragen"), _("Koppelingen"), _("Vrijwilligers"), _("Inwoners"),
         _("Aandeel inwoners dat vrijwilliger is")),
        rows, ChartKind.BARS)


def _neighbourhood_total(chosen: Iterable[Neighbourhood], requests: dict[int | None, int],
                         accepted: dict[int | None, int],
                         registered: dict[int | None, int]) -> Row:
    """The chosen neighbourhoods together; the share only over those whose population is
    known (so an unknown population does not dilute it)."""
    ids = [item.id for item in chosen]
    known = [item for item in chosen if item.population]
    population = sum(item.population or 0 for item in known)
    return Row(_("Totaal"), (
        count(sum(requests.get(i, 0) for i in ids)), count(sum(accepted.get(i, 0) for i in ids)),
        count(sum(registered.get(i, 0) for i in ids)),
        Figure(population or None, Unit.COUNT),
        share(sum(registered.get(item.id, 0) for item in known), population),
    ), key="total")


def satisfaction(scope: Scope,
                 data: dict[str, tuple[int, float | None]] | None = None) -> Table:
    data = people.ratings(scope) if data is None else data
    rows = tuple(
        Row(title, (count(number), measure(average, Unit.RATING, number)), key)
        for key, title in (("residents", _("Bewoners")), ("volunteers", _("Vrijwilligers")))
        for number, average in (data[key],)
    )
    return Table(
        "satisfaction", _("Tevredenheid"),
        _("Beoordelingen (1 tot 5) die bewoners en vrijwilligers in de periode gaven na de "
          "hulp; het gemiddelde over die beoordelingen. De wijk is de wijk van de hulpvraag."),
        _("Wie"), (_("Beoordelingen"), _("Gemiddeld cijfer")), rows)


def carers(selection: Selection) -> Table:
    """The informal carers' table (``marketplace.carers.indicators``): registered, checks,
    share overloaded, respite hours, per neighbourhood."""
    ids = None if selection.neighbourhoods is None else [n.id for n in selection.neighbourhoods]
    [table] = carer_tables(selection.period.first, selection.period.last, ids)
    return table


def set_neighbourhood_figures(neighbourhood: Neighbourhood, cbs_code: str | None,
                              population: int | None) -> Neighbourhood:
    """Set what the indicators know of a neighbourhood: its CBS wijk code (unique: raises
    :class:`FieldError` when another neighbourhood has it) and its number of residents."""
    if cbs_code is not None:
        clash = db.session.scalar(sa.select(Neighbourhood).where(
            Neighbourhood.cbs_code == cbs_code, Neighbourhood.id != neighbourhood.id))
        if clash is not None:
            raise FieldError("cbs_code", _("Wijk %(name)s heeft deze CBS-code al.",
                                           name=clash.name))
    neighbourhood.cbs_code, neighbourhood.population = cbs_code, population
    db.session.flush()
    return neighbourhood
