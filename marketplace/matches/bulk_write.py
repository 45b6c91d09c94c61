"""Inserting thousands of rows in one go (a round's suggestions and their history).

On PostgreSQL rows go in through ``COPY`` (ids taken from the table's sequence first, so the
caller learns them without ``RETURNING``): an ``insert ... values`` of a thousand rows costs
more to build and parse than to store. Elsewhere (SQLite in the tests and small
installations) a plain ``insert``, with ``RETURNING`` when ids are asked for.

Values go through each column's SQLAlchemy type first (enums to their values, JSON to text,
timestamps to UTC) and every column is given (Python-side defaults do not run in ``COPY``),
so both paths store the same row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from marketplace.extensions import db

#: Rows per ``insert`` statement, and ids per ``in`` list, off PostgreSQL.
CHUNK = 1000


def id_conditions(
    column: sa.orm.QueryableAttribute[int], ids: Sequence[int]
) -> list[sa.ColumnElement[bool]]:
    """``column in ids`` as one condition per statement to run: on PostgreSQL a single
    ``column = ANY(:ids)`` with the ids as one array parameter, however many there are (a
    round's 5,000 suggestions in one statement instead of five); elsewhere lists of
    :data:`CHUNK` ids (SQLite limits a statement's parameters); no condition for no ids."""
    values = [int(i) for i in ids]
    if not values:
        return []
    if db.session.connection().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY  # noqa: PLC0415 - PostgreSQL only

        return [column == sa.any_(sa.literal(values, ARRAY(sa.Integer)))]
    return [column.in_(values[start:start + CHUNK]) for start in range(0, len(values), CHUNK)]


def insert_rows(
    table: sa.FromClause, rows: Sequence[dict[str, Any]], *, ids: bool = False
) -> list[int]:
    """Insert ``rows`` (each with the same keys) into ``table`` in the session's transaction.

    Returns the new ids in the order of ``rows`` when ``ids`` is true (else an empty list).
    Rows must not carry an ``id``.
    """
    if not rows:
        return []
    if not isinstance(table, sa.Table):
        raise TypeError(f"not a table: {table!r}")
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        return _copy_rows(connection, table, rows, ids)
    new_ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        chunk = list(rows[start:start + CHUNK])
        if ids:
            statement = sa.insert(table).returning(table.c.id, sort_by_parameter_order=True)
            new_ids.extend(int(i) for i in connection.execute(statement, chunk).scalars())
        else:
            connection.execute(sa.insert(table), chunk)
    return new_ids


def _copy_rows(
    connection: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]], ids: bool
) -> list[int]:
    new_ids: list[int] = []
    if ids:
        new_ids = [int(i) for i in connection.execute(
            sa.text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                    "FROM generate_series(1, :count)"),
            {"table": table.name, "count": len(rows)},
        ).scalars()]
    names = [column for column in rows[0] if column != "id"]
    columns = [table.c[name] for name in names] + _defaulted(table, names)
    dialect = connection.dialect
    processors = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
    defaults = [_default(column) for column in columns[len(names):]]
    header = ", ".join(f'"{column.name}"' for column in ([table.c.id] if ids else []) + columns)
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f'COPY "{table.name}" ({header}) FROM STDIN') as copy:
        for number, row in enumerate(rows):
            values = [row[name] for name in names] + [make() for make in defaults]
            converted = [v if p is None else p(v) for v, p in zip(values, processors, strict=True)]
            copy.write_row(([new_ids[number]] if ids else []) + converted)
    return new_ids


def _defaulted(table: sa.Table, given: list[str]) -> list[sa.Column[Any]]:
    """The table's other columns that have a Python-side default (``COPY`` skips them)."""
    return [
        column for column in table.columns
        if column.name not in given and column.name != "id" and column.default is not None
    ]


def _default(column: sa.Column[Any]) -> Any:
    """A maker of the column's Python-side default (SQLAlchemy wraps a callable default to
    take the execution context; these defaults ignore it)."""
    default: Any = column.default
    if getattr(default, "is_callable", False):
        function = default.arg
        return lambda: function(None)
    value = default.arg
    return lambda: value
