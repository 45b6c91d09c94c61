"""Charts as hand-written SVG, drawn on the server from the same :class:`Table` as the HTML
table beside them: the same figures, the same "< 5".

Readable without colour: bars carry their number as a direct label; the lines of a trend differ
in dash pattern and marker shape and are named at their end. Each SVG has ``role="img"``, a
``<title>`` and a ``<desc>`` that reads the figures out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

from marketplace.indicators.tables import ChartKind, Figure, Table

WIDTH = 640
BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 210
LINE_HEIGHT = 260
_DASHES = ("", "8 5", "2 4")
_MARKERS = ("circle", "square", "diamond")
_STROKES = ("#1a1a1a", "#2f5f98", "#6b3d8f")


def chart(table: Table, column: int = 0) -> Markup:
    """The chart of ``table`` (its ``chart`` kind), or an empty string when it has none or
    no data."""
    if not table.has_data or not table.rows or table.chart is ChartKind.NONE:
        return Markup("")
    if table.chart is ChartKind.LINES:
        return line_chart(table)
    return bar_chart(table, column)


def _svg(key: str, size: tuple[int, int], title: str, desc: str, body: Sequence[str]) -> Markup:
    """The SVG element around ``body``. Every text in ``body`` was escaped where it was
    written (numbers are formatted here), so the whole is safe markup."""
    ident = f"chart-{escape(key)}"
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {size[0]} {size[1]}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'font-family="sans-serif" font-size="13" fill="#1a1a1a" '
        f'aria-labelledby="{ident}-title {ident}-desc">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )
    return Markup(svg)  # noqa: S704 - built from escaped text and numbers only


def _described(table: Table, column: int) -> str:
    heading = table.columns[column]
    return "; ".join(f"{row.label}: {row.figures[column].text}" for row in table.rows) + (
        f" ({heading})")


def bar_chart(table: Table, column: int = 0) -> Markup:
    """One horizontal bar per row (a total row is left out: it would dwarf the others)."""
    rows = [row for row in table.rows if row.key != "total"]
    values = [row.figures[column].value or 0 for row in rows]
    top = max(values, default=0) or 1
    room = WIDTH - LABEL_WIDTH - 70
    body = []
    for index, row in enumerate(rows):
        y = index * (BAR_HEIGHT + BAR_GAP) + 4
        figure = row.figures[column]
        length = 0 if figure.suppressed or figure.value is None else room * figure.value / top
        body.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end" class="chart-label">'
            f"{escape(_short(row.label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" '
            f'class="chart-bar" fill="#2f5f98"/>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 15}" class="chart-value">'
            f"{escape(figure.text)}</text>"
        )
    height = len(rows) * (BAR_HEIGHT + BAR_GAP) + 8
    return _svg(table.key, (WIDTH, height), f"{table.title}: {table.columns[column]}",
                _described(table, column), body)


def line_chart(table: Table) -> Markup:
    """A line per column over the rows (periods in order); a suppressed or missing point
    breaks the line; each line is named at its last point."""
    left, right, top, bottom = 48, 170, 16, 40
    plot_w, plot_h = WIDTH - left - right, LINE_HEIGHT - top - bottom
    values = [figure.value or 0 for row in table.rows for figure in row.figures]
    peak = max(values, default=0) or 1
    step = plot_w / max(len(table.rows) - 1, 1)

    def point(index: int, value: float) -> tuple[float, float]:
        return left + index * step, top + plot_h - plot_h * value / peak

    body = [_axes(left, top, plot_w, plot_h, peak)]
    body += [f'<text x="{point(i, 0)[0]:.1f}" y="{LINE_HEIGHT - 20}" text-anchor="middle" '
             f'class="chart-axis">{escape(row.label[-2:])}</text>'
             for i, row in enumerate(table.rows)]
    for series, heading in enumerate(table.columns):
        points = [(i, row.figures[series]) for i, row in enumerate(table.rows)]
        body.append(_series(series, heading, points, point))
    desc = " | ".join(_described(table, column) for column in range(len(table.columns)))
    return _svg(table.key, (WIDTH, LINE_HEIGHT), table.title, desc, body)


def _series(series: int, heading: str, points: list[tuple[int, Figure]],
            place: Callable[[int, float], tuple[float, float]]) -> str:
    """One line: dashed per series, a marker shape per series, its name at the end."""
    parts: list[str] = []
    path: list[tuple[float, float] | None] = []
    last = None
    for index, figure in points:
        if figure.value is None or figure.suppressed:
            path.append(None)
            continue
        x, y = place(index, figure.value)
        path.append((x, y))
        parts.append(_marker(series, x, y))
        last = (x, y)
    dash = _DASHES[series % len(_DASHES)]
    for run in _runs(path):
        d = " ".join(f"{'M' if n == 0 else 'L'}{x:.1f},{y:.1f}" for n, (x, y) in enumerate(run))
        parts.insert(0, f'<path d="{d}" class="chart-line chart-line-{series}" fill="none" '
                        f'stroke="{_STROKES[series % len(_STROKES)]}" stroke-width="2.5"'
                        + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
    if last is not None:
        parts.append(f'<text x="{last[0] + 10:.1f}" y="{last[1] + 4 + 14 * series:.1f}" '
                     f'class="chart-label">{escape(heading)}</text>')
    return "".join(parts)


def _runs(path: list[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    runs: list[list[tuple[float, float]]] = [[]]
    for item in path:
        if item is None:
            runs.append([])
        else:
            runs[-1].append(item)
    return [run for run in runs if len(run) > 1]


def _marker(series: int, x: float, y: float) -> str:
    shape = _MARKERS[series % len(_MARKERS)]
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" class="chart-marker"/>'
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" class="chart-marker"/>'
    return (f'<path d="M{x:.1f},{y - 5:.1f} L{x + 5:.1f},{y:.1f} L{x:.1f},{y + 5:.1f} '
            f'L{x - 5:.1f},{y:.1f} Z" class="chart-marker"/>')


def _axes(left: int, top: int, width: float, height: float, peak: float) -> str:
    bottom = top + height
    return (f'<line x1="{left}" y1="{bottom}" x2="{left + width:.1f}" y2="{bottom}" '
            f'class="chart-axis-line" stroke="#555"/>'
            f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" class="chart-axis-line" '
            f'stroke="#555"/>'
            f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" class="chart-axis">'
            f"{int(peak)}</text>"
            f'<text x="{left - 6}" y="{bottom}" text-anchor="end" class="chart-axis">0</text>')


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
