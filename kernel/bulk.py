"""Writing many rows, each with its own values, in one statement per batch.

Django's `bulk_update` builds a CASE expression per column and row; for a few hundred rows that costs more
Python time than the work that produced them. `rows_update` sends `UPDATE … FROM (VALUES …)` instead
(PostgreSQL, and SQLite from 3.33).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, models

BATCH_SIZE = 200


def rows_update(
    model: type[models.Model], *, fields: Sequence[str], rows: Sequence[tuple[Any, ...]],
    same: Mapping[str, Any] | None = None, batch_size: int = BATCH_SIZE,
) -> None:
    """Set `fields` of each row (pk, *values in the order of `fields`), and the `same` fields to one value on
    all of them. Values go through each field's own preparation (JSON, dates, foreign keys by id)."""
    if not rows:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    pk_column = quote(meta.pk.column) if meta.pk is not None and meta.pk.column else "id"
    columns = [_concrete(model, name) for name in fields]
    postgres = connection.vendor == "postgresql"
    # VALUES literals have no type of their own on PostgreSQL: cast each to its column's type.
    sets = [
        f"{quote(str(field.column))} = " + (f"CAST(v.c{n} AS {field.db_type(connection)})" if postgres else f"v.c{n}")
        for n, field in enumerate(columns)
    ]
    same_params: list[Any] = []
    for name, value in (same or {}).items():
        field = _concrete(model, name)
        sets.append(f"{quote(str(field.column))} = %s")
        same_params.append(field.get_db_prep_save(value, connection))
    names = ", ".join(["id", *(f"c{n}" for n in range(len(columns)))])
    placeholder = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    for start in range(0, len(rows), batch_size):
        batch = rows[start:start + batch_size]
        params: list[Any] = []
        for pk, *values in batch:
            params.append(pk)
            params += [field.get_db_prep_save(value, connection) for field, value in zip(columns, values, strict=True)]
        statement = (
            # Table and column names come from the model's _meta; values go only through placeholders.
            f"WITH v({names}) AS (VALUES {', '.join([placeholder] * len(batch))}) "  # noqa: S608  # nosec B608
            f"UPDATE {table} SET {', '.join(sets)} FROM v WHERE {table}.{pk_column} = v.id"
        )
        with connection.cursor() as cursor:
            cursor.execute(statement, [*params, *same_params])


def _concrete(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return field
