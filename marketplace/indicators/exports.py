"""Every dashboard table as CSV (for Dutch Excel: UTF-8 with a byte order mark, ``;`` between
fields, decimal commas) and as xlsx (XlsxWriter: a sheet per table and one with the counting
rules). Suppressed cells read "< 5" in both, as on the page.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

from marketplace.i18n import gettext as _
from marketplace.indicators.tables import Figure, Table, Unit

BOM = "\ufeff"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def to_csv(tables: Sequence[Table], heading: str) -> bytes:
    """One block per table (its title, its counting rule, its heading row and rows), a blank
    line between blocks; ``heading`` (what and when) comes first."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([heading])
    for table in tables:
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow([_("Telregel"), table.rule])
        writer.writerow([table.row_heading, *table.columns])
        for row in table.rows:
            writer.writerow([row.label, *(figure.text for figure in row.figures)])
        if not table.has_data:
            writer.writerow([_("Nog geen gegevens")])
    return (BOM + out.getvalue()).encode("utf-8")


def _sheet_name(title: str, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub(" ", title)[:28].strip() or "Tabel"
    name, number = base, 2
    while name.lower() in taken:
        name, number = f"{base[:25]} {number}", number + 1
    taken.add(name.lower())
    return name


def to_xlsx(tables: Sequence[Table], heading: str) -> bytes:
    """A workbook: a sheet per table (numbers as numbers, "< 5" and "-" as text) and a last
    sheet "Telregels" with every table's counting rule."""
    # Imported here: xlsxwriter costs every process start-up about 17 ms, for one download.
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    formats = {Unit.PERCENT: book.add_format({"num_format": "0.0\\%"}),
               Unit.DAYS: book.add_format({"num_format": "0.0"}),
               Unit.HOURS: book.add_format({"num_format": "0.0"}),
               Unit.RATING: book.add_format({"num_format": "0.0"})}
    taken: set[str] = set()
    for table in tables:
        sheet = book.add_worksheet(_sheet_name(table.title, taken))
        sheet.write(0, 0, table.title, bold)
        sheet.write(1, 0, heading)
        sheet.write_row(3, 0, [table.row_heading, *table.columns], bold)
        for number, row in enumerate(table.rows, start=4):
            sheet.write(number, 0, row.label)
            for column, figure in enumerate(row.figures, start=1):
                _write_figure(sheet, number, column, figure, formats)
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, len(table.columns), 16)
    rules = book.add_worksheet(_sheet_name(_("Telregels"), taken))
    rules.write(0, 0, heading, bold)
    rules.write_row(2, 0, [_("Tabel"), _("Telregel")], bold)
    for number, table in enumerate(tables, start=3):
        rules.write_row(number, 0, [table.title, table.rule])
    rules.set_column(0, 0, 40)
    rules.set_column(1, 1, 120)
    book.close()
    return buffer.getvalue()


def _write_figure(sheet: object, row: int, column: int, figure: Figure,
                  formats: dict[Unit, object]) -> None:
    if figure.suppressed or figure.value is None:
        sheet.write_string(row, column, figure.text)  # type: ignore[attr-defined]
    elif figure.unit in formats:
        sheet.write_number(row, column, round(figure.value, 1),  # type: ignore[attr-defined]
                           formats[figure.unit])
    else:
        sheet.write_number(row, column, figure.value)  # type: ignore[attr-defined]
