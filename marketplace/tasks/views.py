"""The coordinators' follow-up tasks (``/tasks/``) and the waakvlam actions of the person
page. Coordinators and admins only; the rules are :mod:`marketplace.aftercare`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from marketplace import params
from marketplace.access import staff_required
from marketplace.aftercare import tasks as task_rules
from marketplace.aftercare import waakvlam
from marketplace.extensions import db
from marketplace.fields import CsrfOnlyForm
from marketplace.i18n import gettext as _
from marketplace.models import FollowUpTask, User, Waakvlam
from marketplace.staff import queries as staff_queries
from marketplace.staff.search import is_person
from marketplace.tasks.forms import CloseTaskForm, WaakvlamForm
from marketplace.tasks.services import list_tasks
from marketplace.transaction import perform
from marketplace.vocabulary import TaskKind, local_today

blueprint = Blueprint("tasks", __name__, url_prefix="/tasks")

OVERDUE = "1"


def _filters() -> dict[str, Any]:
    """``?wijk=`` (absent: the coordinator's own), ``?soort=`` (a kind), ``?te_laat=1``."""
    neighbourhoods = staff_queries.neighbourhoods()
    own_id = current_user.neighbourhood_id
    neighbourhood_id = params.id_arg("wijk", {item.id for item in neighbourhoods},
                                     default=own_id)
    chosen = next((item for item in neighbourhoods if item.id == neighbourhood_id), None)
    kind = params.choice_arg("soort", [item.value for item in TaskKind])
    return {
        "neighbourhoods": neighbourhoods,
        "neighbourhood_id": chosen.id if chosen is not None else None,
        "neighbourhood": chosen,
        "own_neighbourhood": chosen is not None and chosen.id == own_id,
        "by_default": chosen is not None and "wijk" not in request.args,
        "kind": TaskKind(kind) if kind else None,
        "overdue_only": params.choice_arg("te_laat", (OVERDUE,)) == OVERDUE,
    }


@blueprint.get("/")
@staff_required
def list_all() -> str:
    """Open tasks, earliest due first: the coordinator's own neighbourhood by default."""
    filters = _filters()
    today = local_today()
    tasks = list_tasks(filters["neighbourhood_id"], kind=filters["kind"],
                       overdue_only=filters["overdue_only"], today=today)
    open_count, overdue = task_rules.counts(filters["neighbourhood_id"], today)
    return render_template("tasks/list.html", tasks=tasks, today=today, kinds=list(TaskKind),
                           open_count=open_count, overdue=overdue, **filters)


def _task(task_id: int) -> FollowUpTask:
    task = db.session.get(FollowUpTask, task_id)
    if task is None:
        abort(404)
    return task


def _task_page(task: FollowUpTask, form: CloseTaskForm | None = None,
               status: int = 200) -> tuple[str, int]:
    person = task.person
    return render_template(
        "tasks/detail.html", task=task, today=local_today(), form=form or CloseTaskForm(),
        description=task_rules.describe(task),
        person_link=person is not None and is_person(person),
    ), status


@blueprint.get("/<int:task_id>")
@staff_required
def show(task_id: int) -> tuple[str, int]:
    return _task_page(_task(task_id))


@blueprint.post("/<int:task_id>/close")
@staff_required
def close(task_id: int) -> Response | tuple[str, int]:
    task = _task(task_id)
    form = CloseTaskForm()
    if not form.validate_on_submit():
        return _task_page(task, form, 400)
    return perform(
        lambda: task_rules.close(task.id, current_user, form.outcome.data or ""),
        done=_("De taak is afgerond."),
        to=url_for("tasks.list_all"),
        refused_to=url_for("tasks.show", task_id=task.id),
    )


# --- waakvlam (the person page's section) -------------------------------------------------


def _person(user_id: int) -> User:
    person = db.session.get(User, user_id)
    if person is None or not is_person(person):
        abort(404)
    return person


def _person_page(person: User) -> str:
    return url_for("staff.show_person", user_id=person.id) + "#waakvlam"


def waakvlam_form() -> WaakvlamForm:
    form = WaakvlamForm()
    form.rhythm.choices = [SelectChoice(str(item.id), item.name) for item in waakvlam.rhythms()]
    return form


@blueprint.post("/waakvlam/<int:user_id>/start")
@staff_required
def start_waakvlam(user_id: int) -> Response:
    person = _person(user_id)
    form = waakvlam_form()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(_person_page(person), code=303)
    return perform(
        lambda: waakvlam.start(current_user, person, form.rhythm.data or 0,
                               form.note.data or ""),
        done=_("De waakvlam loopt. Het eerste contactmoment staat bij de taken."),
        to=_person_page(person),
    )


@blueprint.post("/waakvlam/<int:waakvlam_id>/stop")
@staff_required
def stop_waakvlam(waakvlam_id: int) -> Response:
    found = db.session.get(Waakvlam, waakvlam_id)
    if found is None:
        abort(404)
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    return perform(lambda: waakvlam.stop(current_user, waakvlam_id),
                   done=_("De waakvlam is gestopt."), to=_person_page(found.person))


def waakvlam_panel(person: User) -> dict[str, Any]:
    """What the person page's waakvlam section shows (a template global)."""
    history = waakvlam.history_of(person)
    running = next((item for item, _checkins in history if item.running), None)
    return {"running": running, "history": history,
            "form": waakvlam_form() if running is None else None,
            "stop_form": CsrfOnlyForm(), "today": local_today()}


def task_counts() -> tuple[int, int]:
    """(open, overdue) tasks of the current coordinator's neighbourhood, for the dashboard."""
    return task_rules.counts(current_user.neighbourhood_id)


blueprint.add_app_template_global(waakvlam_panel, "waakvlam_panel")
blueprint.add_app_template_global(task_counts, "task_counts")
blueprint.add_app_template_global(task_rules.describe, "describe_task")
