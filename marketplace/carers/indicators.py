"""The carers' figures for the indicators dashboard: :func:`carer_tables`.

Counting rules (a period is ``start`` .. ``end``, both days included, in Dutch time):

* **Carers registered**: carer profiles created in the period, by the carer's neighbourhood
  (the account's); deleted accounts no longer count.
* **Checks taken**: overload checks taken in the period, by the neighbourhood the carer lived
  in when taking it (kept on the check; checks past the retention period still count).
* **Carers checked**: different carers with a check in the period (unlinked old checks each
  count as one).
* **Share overloaded**: of the carers checked, those whose *latest* check in the period
  scored "overloaded" (``carers.scoring``).
* **Share heavily burdened (GGD)**: of the carers checked, those whose latest check answered
  the GGD monitor's question "tamelijk zwaar belast" or heavier (3 .. 5), the monitor's
  own definition, so the municipality can compare.
* **Respite given (hours)**: hours logged on visits (``HelpSession``) in the period for
  requests in the category ``respijtzorg``, by the request's neighbourhood; suppressed when
  fewer than five carers stand behind it.

Counts of 1 to 4 and shares over fewer than five are suppressed (``indicators.tables``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from marketplace.carers.respite import RESPITE_SLUG
from marketplace.carers.scoring import OVERLOADED
from marketplace.extensions import db
from marketplace.i18n import gettext as _
from marketplace.indicators.tables import Row, Table, Unit, count, measure, share
from marketplace.models import (
    CarerCheck,
    CarerProfile,
    Category,
    HelpRequest,
    HelpSession,
    Match,
    Neighbourhood,
    User,
)
from marketplace.vocabulary import LOCAL_ZONE

#: The GGD monitor's "zwaar belast": "tamelijk zwaar belast" (3) or heavier.
GGD_HEAVY_FROM = 3


@dataclass
class _Tally:
    registered: int = 0
    checks: int = 0
    latest: dict[object, CarerCheck] = field(default_factory=dict)
    hours: float = 0.0
    helped: set[int] = field(default_factory=set)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """UTC instants of the start of ``start`` and the end of ``end`` in Dutch time."""
    low = datetime.combine(start, time.min, LOCAL_ZONE)
    high = datetime.combine(end + timedelta(days=1), time.min, LOCAL_ZONE)
    return low, high


def _count_profiles(tallies: dict[int | None, _Tally], low: datetime, high: datetime) -> None:
    rows = db.session.execute(
        sa.select(User.neighbourhood_id).join(CarerProfile, CarerProfile.user_id == User.id)
        .where(CarerProfile.created_at >= low, CarerProfile.created_at < high,
               User.anonymised_at.is_(None)))
    for (neighbourhood_id,) in rows:
        tallies[neighbourhood_id].registered += 1


def _count_checks(tallies: dict[int | None, _Tally], low: datetime, high: datetime) -> None:
    checks = db.session.scalars(
        sa.select(CarerCheck).where(CarerCheck.taken_at >= low, CarerCheck.taken_at < high)
        .order_by(CarerCheck.taken_at, CarerCheck.id))
    for check in checks:
        tally = tallies[check.neighbourhood_id]
        tally.checks += 1
        who: object = check.user_id if check.user_id is not None else ("old", check.id)
        tally.latest[who] = check  # ordered by time: the last one wins


def _count_respite(tallies: dict[int | None, _Tally], start: date, end: date) -> None:
    rows = db.session.execute(
        sa.select(HelpRequest.neighbourhood_id, HelpRequest.requester_id, HelpSession.hours)
        .join(Match, HelpSession.match_id == Match.id)
        .join(HelpRequest, Match.help_request_id == HelpRequest.id)
        .join(Category, HelpRequest.category_id == Category.id)
        .where(Category.slug == RESPITE_SLUG, HelpSession.day >= start,
               HelpSession.day <= end))
    for neighbourhood_id, requester_id, hours in rows:
        tally = tallies[neighbourhood_id]
        tally.hours += float(hours or 0.0)
        tally.helped.add(requester_id)


def _row(label: str, key: str, tally: _Tally) -> Row:
    latest = list(tally.latest.values())
    checked = len(latest)
    overloaded = sum(1 for check in latest if check.level == OVERLOADED)
    heavy = sum(1 for check in latest if check.felt_burden >= GGD_HEAVY_FROM)
    return Row(label, (
        count(tally.registered), count(tally.checks), count(checked),
        share(overloaded, checked), share(heavy, checked),
        measure(round(tally.hours, 1), Unit.HOURS, len(tally.helped)),
    ), key=key)


def _merged(tallies: Iterable[_Tally]) -> _Tally:
    total = _Tally()
    for tally in tallies:
        total.registered += tally.registered
        total.checks += tally.checks
        for who, check in tally.latest.items():  # a carer who moved counts once, as last seen
            known = total.latest.get(who)
            if known is None or (known.taken_at, known.id) < (check.taken_at, check.id):
                total.latest[who] = check
        total.hours += tally.hours
        total.helped |= tally.helped
    return total


def carer_tables(start: date, end: date,
                 neighbourhood_ids: Sequence[int] | None = None) -> list[Table]:
    """The carers' indicator table for ``start`` .. ``end`` (days included): one row per
    neighbourhood (``neighbourhood_ids``, default all), "outside the neighbourhoods" when
    the whole city is shown, and a total of the rows shown."""
    low, high = _bounds(start, end)
    tallies: dict[int | None, _Tally] = defaultdict(_Tally)
    _count_profiles(tallies, low, high)
    _count_checks(tallies, low, high)
    _count_respite(tallies, start, end)
    query = sa.select(Neighbourhood).order_by(Neighbourhood.name)
    if neighbourhood_ids is not None:
        query = query.where(Neighbourhood.id.in_(list(neighbourhood_ids)))
    shown = list(db.session.scalars(query))
    rows = [_row(item.name, str(item.id), tallies[item.id]) for item in shown]
    keys: list[int | None] = [item.id for item in shown]
    if neighbourhood_ids is None:
        rows.append(_row(_("Buiten de wijken"), "none", tallies[None]))
        keys.append(None)
    rows.append(_row(_("Totaal"), "total", _merged(tallies[key] for key in keys)))
    return [Table(
        key="carers",
        title=_("Mantelzorgers"),
        rule=_("Van %(start)s tot en met %(end)s. Aangemeld: mantelzorgprofielen gemaakt in "
               "deze periode. Checks: mantelzorgchecks in deze periode, naar de wijk van de "
               "mantelzorger. Zwaar belast: van de mantelzorgers met een check, de laatste "
               "check gaf 'zwaar belast'. GGD: de laatste check zei 'tamelijk zwaar belast' of "
               "zwaarder, zoals in de gezondheidsmonitor. Respijtzorg: uren die vrijwilligers "
               "in deze periode bij respijtzorg noteerden. Minder dan 5 wordt niet getoond.",
               start=start.isoformat(), end=end.isoformat()),
        row_heading=_("Wijk"),
        columns=(_("Aangemeld"), _("Checks"), _("Mantelzorgers met een check"),
                 _("Zwaar belast"), _("Zwaar belast (GGD)"), _("Respijtzorg (uren)")),
        rows=tuple(rows),
    )]
