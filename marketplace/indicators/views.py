"""The indicators: a dashboard per period and neighbourhood, its exports, and the council
report. Read-only for everyone; coordinators choose the stories for the report."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from marketplace import access, params
from marketplace.fields import CsrfOnlyForm
from marketplace.i18n import gettext as _
from marketplace.indicators import cache, charts, exports, forms, maps, pdf, services, stories
from marketplace.indicators.services import Selection
from marketplace.transaction import perform
from marketplace.vocabulary import local_today

blueprint = Blueprint("indicators", __name__, url_prefix="/indicators")
blueprint.add_app_template_global(access.can_read_indicators, "can_read_indicators")

#: The neighbourhood table's columns the map can be shaded by (?kaart=).
MAP_COLUMNS = ("aanvragen", "koppelingen", "vrijwilligers", "aandeel")


def _selection() -> tuple[Selection, dict[str, Any]]:
    """The period and neighbourhoods asked for, limited to what the reader may see, and
    what the picker needs to show them."""
    allowed = access.indicator_neighbourhoods(current_user)
    visible = [item for item in services.all_neighbourhoods()
               if allowed is None or item.id in allowed]
    period = forms.chosen_period(local_today())
    chosen = forms.chosen_neighbourhood_ids({item.id for item in visible})
    selection = services.select(period, chosen, allowed)
    picker = {
        "period": period,
        "period_options": forms.period_options(local_today()),
        "custom": forms.CUSTOM,
        "visible_neighbourhoods": visible,
        "chosen_ids": set(chosen),
        "restricted": allowed is not None,
        "query": request.args.to_dict(flat=False),
    }
    return selection, picker


def _query_string() -> str:
    """The page's own query (period, neighbourhoods), to come back to after a POST."""
    query = request.query_string.decode("ascii", "replace")
    return f"?{query}" if query else ""


def _heading(selection: Selection) -> str:
    names = (_("alle wijken") if selection.neighbourhoods is None
             else ", ".join(item.name for item in selection.neighbourhoods))
    return _("Hulppunt, cijfers %(period)s, %(names)s", period=selection.period.label,
             names=names)


def _figures() -> dict[str, Any]:
    selection, picker = _selection()
    tables, computed_at = cache.tables(selection, str(get_locale() or "nl"))
    neighbourhoods = next(table for table in tables if table.key == "neighbourhoods")
    map_column = MAP_COLUMNS.index(params.choice_arg("kaart", MAP_COLUMNS) or MAP_COLUMNS[0])
    column = (0, 1, 2, 4)[map_column]
    return {
        **picker, "selection": selection, "tables": tables, "heading": _heading(selection),
        "computed_at": computed_at,
        "charts": {table.key: charts.chart(table) for table in tables},
        "map": maps.map_svg(neighbourhoods, column),
        "map_legend": maps.legend(neighbourhoods, column),
        "map_title": neighbourhoods.columns[column], "map_column": MAP_COLUMNS[map_column],
        "map_columns": [(key, neighbourhoods.columns[index])
                        for key, index in zip(MAP_COLUMNS, (0, 1, 2, 4), strict=True)],
        "map_credit": maps.CREDIT,
    }


@blueprint.get("/")
@access.indicators_required
def dashboard() -> str:
    return render_template("indicators/dashboard.html", **_figures())


def _download(content: bytes, selection: Selection, suffix: str, mimetype: str) -> Response:
    name = f"hulppunt-cijfers-{selection.period.label.replace(' ', '')}.{suffix}"
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


#: suffix -> (what writes the file, its media type)
_EXPORTS = {
    "csv": (exports.to_csv, "text/csv; charset=utf-8"),
    "xlsx": (exports.to_xlsx,
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def _export(suffix: str) -> Response:
    selection, _picker = _selection()
    tables, _computed_at = cache.tables(selection, str(get_locale() or "nl"))
    write, mimetype = _EXPORTS[suffix]
    return _download(write(tables, _heading(selection)), selection, suffix, mimetype)


@blueprint.get("/export.csv")
@access.indicators_required
def export_csv() -> Response:
    return _export("csv")


@blueprint.get("/export.xlsx")
@access.indicators_required
def export_xlsx() -> Response:
    return _export("xlsx")


@blueprint.get("/report")
@access.indicators_required
def report() -> str:
    figures = _figures()
    return render_template("indicators/report.html", **figures,
                           stories=stories.chosen(figures["selection"].scope))


@blueprint.get("/stories")
@access.staff_required
def list_stories() -> str:
    selection, picker = _selection()
    return render_template("indicators/stories.html", **picker, selection=selection,
                           candidates=stories.candidates(selection.scope),
                           form=CsrfOnlyForm())


@blueprint.post("/stories/<int:feedback_id>")
@access.staff_required
def choose_story(feedback_id: int) -> BaseResponse:
    back = url_for("indicators.list_stories") + _query_string()
    form = CsrfOnlyForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(str(error) for error in errors), "error")
        return redirect(back, code=303)
    wanted = request.form.get("kiezen") == "1"
    return perform(
        lambda: stories.choose(current_user, feedback_id, wanted),
        done=_("Gekozen voor het verslag.") if wanted else _("Niet meer in het verslag."),
        to=back,
    )


@blueprint.get("/report.pdf")
@access.indicators_required
def report_pdf() -> Response:
    figures = _figures()
    selection = figures["selection"]
    html = render_template("indicators/report_pdf.html", **figures,
                           stories=stories.chosen(selection.scope),
                           locale=str(get_locale() or "nl"))
    return _download(pdf.render(html), selection, "pdf", "application/pdf")
