"""Waakvlam: a coordinator follows a resident with check-ins in a staged rhythm.

The rhythm is data: a list of stages ``{"every_days": n, "times": k}`` read in order,
``times: None`` for "from then on" (:class:`~marketplace.models.WaakvlamRhythm`, named,
in the database). Each check-in is a follow-up task of kind ``waakvlam``, due ``every_days``
after the previous one was held (or after the start); closing it with an outcome
(:func:`close_checkin`) schedules the next one, an open one past its date is overdue like
every task. The only writer of :class:`~marketplace.models.Waakvlam`. Nothing here commits.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from marketplace import access, audit
from marketplace.errors import DomainError, NotFound
from marketplace.extensions import db
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import FollowUpTask, User, Waakvlam, WaakvlamRhythm, utcnow
from marketplace.tasks.services import close_task, open_task
from marketplace.vocabulary import TaskKind, TaskStatus, local_today

NOTE_MAX = 500
STOPPED_OUTCOME = "Waakvlam gestopt"
DEFAULT_RHYTHM = ("Eerst wekelijks, dan maandelijks",
                  [{"every_days": 7, "times": 4}, {"every_days": 30, "times": None}])


def valid_stages(stages: Any) -> list[dict[str, Any]]:
    """``stages`` checked: a non-empty list of ``{"every_days": 1..366, "times": 1.. or
    None}``, only the last one may be open-ended. Raises DomainError otherwise."""
    wrong = DomainError(_l("Een ritme is een lijst van stappen met 'every_days' (1 tot 366) "
                           "en 'times' (een aantal, of null voor 'daarna steeds')."))
    if not isinstance(stages, list) or not stages:
        raise wrong
    checked = []
    for number, stage in enumerate(stages, start=1):
        if not isinstance(stage, dict) or "times" not in stage:
            raise wrong
        every, times = stage.get("every_days"), stage.get("times")
        if not isinstance(every, int) or isinstance(every, bool) or not 1 <= every <= 366:
            raise wrong
        if times is not None and (not isinstance(times, int) or isinstance(times, bool)
                                  or times < 1):
            raise wrong
        if times is None and number != len(stages):
            raise wrong
        checked.append({"every_days": every, "times": times})
    return checked


def interval_after(stages: list[dict[str, Any]], held: int) -> int | None:
    """Days until the next check-in when ``held`` check-ins were held; None when the
    rhythm has ended (every stage had its number of check-ins)."""
    remaining = held
    for stage in stages:
        times = stage.get("times")
        if times is None or remaining < times:
            return int(stage["every_days"])
        remaining -= times
    return None


def rhythms() -> list[WaakvlamRhythm]:
    return list(db.session.scalars(sa.select(WaakvlamRhythm).order_by(WaakvlamRhythm.name)))


def save_rhythm(name: str, stages: Any) -> WaakvlamRhythm:
    """Add a named rhythm, or change the stages of the one with that name (running waakvlams
    keep the stages they started with). Raises DomainError for a bad name or stages."""
    name = " ".join((name or "").split())
    if not name or len(name) > 80:
        raise DomainError(_l("Geef het ritme een naam van hoogstens 80 tekens."))
    checked = valid_stages(stages)
    rhythm = db.session.scalar(sa.select(WaakvlamRhythm).where(WaakvlamRhythm.name == name))
    if rhythm is None:
        rhythm = WaakvlamRhythm(name=name)
        db.session.add(rhythm)
    rhythm.stages = checked
    db.session.flush()
    return rhythm


def ensure_default_rhythm() -> None:
    """The default rhythm when there is none (a fresh test or demo database)."""
    if db.session.scalar(sa.select(WaakvlamRhythm.id).limit(1)) is None:
        save_rhythm(*DEFAULT_RHYTHM)


def running_for(person: User) -> Waakvlam | None:
    return db.session.scalar(
        sa.select(Waakvlam).where(Waakvlam.person_id == person.id, Waakvlam.stopped_at.is_(None))
    )


def history_of(person: User) -> list[tuple[Waakvlam, list[FollowUpTask]]]:
    """The person's waakvlams, newest first, each with its check-ins (oldest first)."""
    waakvlams = list(db.session.scalars(
        sa.select(Waakvlam).where(Waakvlam.person_id == person.id).order_by(Waakvlam.id.desc())
    ))
    if not waakvlams:
        return []
    tasks = list(db.session.scalars(
        sa.select(FollowUpTask)
        .where(FollowUpTask.kind == TaskKind.WAAKVLAM, FollowUpTask.person_id == person.id)
        .order_by(FollowUpTask.due_on, FollowUpTask.id)
    ))
    return [(w, [t for t in tasks if t.params.get("waakvlam_id") == w.id]) for w in waakvlams]


def _open_checkin(waakvlam: Waakvlam, from_day: date) -> FollowUpTask | None:
    every = interval_after(waakvlam.stages, waakvlam.done)
    if every is None:
        return None
    number = waakvlam.done + 1
    return open_task(
        TaskKind.WAAKVLAM, key=f"waakvlam:{waakvlam.id}:{number}",
        due_on=from_day + timedelta(days=every),
        neighbourhood_id=waakvlam.person.neighbourhood_id, person=waakvlam.person,
        params={"waakvlam_id": waakvlam.id, "number": number, "every_days": every},
    )


def start(actor: User, person: User, rhythm_id: int, note: str = "",
          today: date | None = None) -> Waakvlam:
    """Follow ``person`` with check-ins in the rhythm ``rhythm_id``; the first is due one
    interval from ``today``. Raises NotAllowed for non-staff, DomainError for an unknown
    rhythm, when a waakvlam already runs or when the note is too long."""
    access.require_staff(actor)
    rhythm = db.session.get(WaakvlamRhythm, rhythm_id)
    if rhythm is None:
        raise DomainError(_l("Kies een ritme uit de lijst."))
    if running_for(person) is not None:
        raise DomainError(_l("Voor deze bewoner loopt al een waakvlam."))
    note = " ".join((note or "").split())
    if len(note) > NOTE_MAX:
        raise DomainError(_l("Gebruik hoogstens %(max)d tekens.", max=NOTE_MAX))
    waakvlam = Waakvlam(person=person, rhythm_name=rhythm.name,
                        stages=valid_stages(rhythm.stages), note=note, started_by_id=actor.id)
    db.session.add(waakvlam)
    db.session.flush()
    _open_checkin(waakvlam, today or local_today())
    audit.record(actor, "waakvlam.started", person, rhythm.name)
    return waakvlam


def close_checkin(task: FollowUpTask, actor: User, outcome: str,
                  today: date | None = None) -> FollowUpTask | None:
    """After ``task`` (a check-in, already closed by the caller) was held: count it and open
    the next one, one interval from ``today``. Returns the next task, None when the
    waakvlam was stopped or its rhythm has ended (then it stops by itself)."""
    waakvlam = db.session.get(Waakvlam, task.params.get("waakvlam_id") or 0)
    if waakvlam is None or not waakvlam.running:
        return None
    waakvlam.done += 1
    following = _open_checkin(waakvlam, today or local_today())
    if following is None:
        waakvlam.stopped_at = utcnow()
        audit.record(None, "waakvlam.finished", waakvlam.person)
    return following


def stop(actor: User, waakvlam_id: int) -> Waakvlam:
    """The coordinator stops a waakvlam: open check-ins are closed as "stopped". Raises
    NotFound for an unknown one, DomainError when it already stopped."""
    access.require_staff(actor)
    waakvlam = db.session.get(Waakvlam, waakvlam_id)
    if waakvlam is None:
        raise NotFound(_l("Deze waakvlam bestaat niet."))
    if not waakvlam.running:
        raise DomainError(_l("Deze waakvlam is al gestopt."))
    waakvlam.stopped_at = utcnow()
    waakvlam.stopped_by_id = actor.id
    for task in db.session.scalars(sa.select(FollowUpTask).where(
        FollowUpTask.kind == TaskKind.WAAKVLAM, FollowUpTask.status == TaskStatus.OPEN,
        FollowUpTask.person_id == waakvlam.person_id,
    )):
        if task.params.get("waakvlam_id") == waakvlam.id:
            close_task(task.id, actor, STOPPED_OUTCOME)
    audit.record(actor, "waakvlam.stopped", waakvlam.person)
    db.session.flush()
    return waakvlam
