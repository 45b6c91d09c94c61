"""The neighbourhood map: CBS wijk polygons drawn as SVG on the server, shaded by one figure.

The boundaries are ``marketplace/data/hilversum-wijken-2024.geojson`` (CBS / Kadaster, Wijk-
en Buurtkaart 2024, generalised; CC BY 4.0), or the file ``INDICATOR_MAP_GEOJSON`` names (see
the README: another municipality loads its own). A neighbourhood is matched to its polygon by
its CBS code (``Neighbourhood.cbs_code`` = the feature's ``statcode``). No tiles, no network,
no addresses: the map shows only the same figures as the table, "< 5" included.

Shading does not rely on colour alone: each class has its own hatch density as well as its
own lightness, and every neighbourhood carries its figure as a text label.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from flask import current_app
from markupsafe import Markup, escape

from marketplace.i18n import gettext as _
from marketplace.indicators.tables import Figure, Table

DEFAULT_GEOJSON = Path(__file__).resolve().parent.parent / "data" / "hilversum-wijken-2024.geojson"
CREDIT = "CBS / Kadaster, CC BY 4.0"
WIDTH = 640
#: Classes: no data or suppressed, then three of rising value (lighter to darker, sparse to
#: dense hatching).
_CLASS_FILL = ("#ffffff", "#dbe7f3", "#8fb3d9", "#2f5f98")
_HATCH_GAP = (0, 9, 6, 3)


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]  # (lon, lat) rings


def geojson_path() -> Path:
    configured = current_app.config.get("INDICATOR_MAP_GEOJSON")
    return Path(configured) if configured else DEFAULT_GEOJSON


@cache
def load_areas(path: Path) -> tuple[Area, ...]:
    """The features of a GeoJSON file of Polygons/MultiPolygons with ``statcode`` and
    ``statnaam`` properties (outer rings only: the generalised wijken have no holes)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    areas = []
    for feature in data["features"]:
        geometry: dict[str, Any] = feature["geometry"]
        polygons = (geometry["coordinates"] if geometry["type"] == "MultiPolygon"
                    else [geometry["coordinates"]])
        rings = tuple(tuple((float(x), float(y)) for x, y in polygon[0]) for polygon in polygons)
        props = feature["properties"]
        areas.append(Area(str(props["statcode"]), str(props.get("statnaam", "")), rings))
    return tuple(areas)


def _projector(areas: tuple[Area, ...]) -> tuple[Any, int]:
    """A function (lon, lat) -> (x, y) in SVG units (equirectangular, scaled by the cosine of
    the middle latitude: true enough for a town), and the drawing's height."""
    points = [point for area in areas for ring in area.rings for point in ring]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    squeeze = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = (max(lons) - min(lons)) * squeeze or 1
    span_y = max(lats) - min(lats) or 1
    scale = (WIDTH - 20) / span_x
    height = int(span_y * scale) + 20

    def project(lon: float, lat: float) -> tuple[float, float]:
        return 10 + (lon - min(lons)) * squeeze * scale, 10 + (max(lats) - lat) * scale

    return project, height


def _classes(figures: list[Figure]) -> list[int]:
    """0 for no data or suppressed; else 1-3 by thirds of the largest value."""
    top = max((f.value or 0 for f in figures if not f.suppressed), default=0)
    result = []
    for figure in figures:
        if figure.suppressed or not figure.value or top <= 0:
            result.append(0)
        else:
            result.append(min(3, 1 + int(3 * figure.value / top - 1e-9)))
    return result


def map_svg(table: Table, column: int = 0) -> Markup:
    """The map of ``table``'s ``column``: rows are matched to polygons by their key (the CBS
    code). Polygons without a row are drawn blank and labelled "-"."""
    areas = load_areas(geojson_path())
    project, height = _projector(areas)
    by_code = {row.key: row for row in table.rows}
    figures = [by_code[a.code].figures[column] if a.code in by_code else Figure(None)
               for a in areas]
    classes = _classes(figures)
    body = [_patterns()]
    labels = []
    for area, figure, level in zip(areas, figures, classes, strict=True):
        row = by_code.get(area.code)
        for ring in area.rings:
            d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in (project(*p) for p in ring)) + " Z"
            body.append(f'<path d="{d}" class="map-area" fill="url(#map-class-{level})" '
                        f'stroke="#1a1a1a" stroke-width="1.2"/>')
        if row is None:  # not one of the meldpunt's neighbourhoods: blank, unlabelled
            continue
        cx, cy = _centre(area, project)
        name = row.label
        labels.append(f'<text x="{cx:.1f}" y="{cy:.1f}" text-anchor="middle" class="map-label">'
                      f'<tspan x="{cx:.1f}">{escape(name)}</tspan>'
                      f'<tspan x="{cx:.1f}" dy="1.2em" class="map-value">'
                      f"{escape(figure.text)}</tspan></text>")
    title = f"{table.title}: {table.columns[column]}"
    desc = "; ".join(f"{row.label}: {row.figures[column].text}" for row in table.rows)
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" class="map" role="img" '
           f'viewBox="0 0 {WIDTH} {height}" width="100%" font-family="sans-serif" font-size="11" '
           f'aria-labelledby="map-title map-desc">'
           f'<title id="map-title">{escape(title)}</title><desc id="map-desc">'
           f"{escape(desc)} ({escape(CREDIT)})</desc>" + "".join(body + labels) + "</svg>")
    return Markup(svg)  # noqa: S704 - escaped text and numbers only


def _centre(area: Area, project: Any) -> tuple[float, float]:
    """The centroid (shoelace formula) of the area's largest ring, where the label goes."""
    best = (0.0, 0.0, 0.0)  # |area|, x, y
    for ring in area.rings:
        points = [project(*p) for p in ring]
        twice, cx, cy = 0.0, 0.0, 0.0
        for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
            cross = x0 * y1 - x1 * y0
            twice += cross
            cx, cy = cx + (x0 + x1) * cross, cy + (y0 + y1) * cross
        if twice and abs(twice) > best[0]:
            best = (abs(twice), cx / (3 * twice), cy / (3 * twice))
    return best[1], best[2] - 6


def _patterns() -> str:
    defs = []
    for level, (fill, gap) in enumerate(zip(_CLASS_FILL, _HATCH_GAP, strict=True)):
        lines = "" if gap == 0 else (
            f'<path d="M0,{gap} L{gap},0" stroke="#000" stroke-width="0.8"/>')
        defs.append(f'<pattern id="map-class-{level}" patternUnits="userSpaceOnUse" '
                    f'width="{gap or 10}" height="{gap or 10}">'
                    f'<rect width="{gap or 10}" height="{gap or 10}" fill="{fill}"/>{lines}'
                    f"</pattern>")
    return "<defs>" + "".join(defs) + "</defs>"


def legend(table: Table, column: int = 0) -> list[tuple[int, str]]:
    """The classes the map uses, as (class, words) for the legend under it."""
    top = max((row.figures[column].value or 0 for row in table.rows
               if not row.figures[column].suppressed and row.key != "total"), default=0)
    third = top / 3
    return [(0, _("geen gegevens, 0 of < 5")),
            (1, _("tot %(high)s", high=f"{third:.0f}")),
            (2, _("%(low)s tot %(high)s", low=f"{third:.0f}", high=f"{2 * third:.0f}")),
            (3, _("%(low)s tot %(high)s", low=f"{2 * third:.0f}", high=f"{top:.0f}"))]
