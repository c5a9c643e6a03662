"""Writing many rows at once without the ORM's per-row work: COPY on PostgreSQL, executemany
elsewhere. For generated data (benchmarks) and derived tables (pre-computed figures) only: no
signal, no save(), values must already be what the database takes."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection


def insert_rows(table: str, columns: list[str], rows: Iterable[tuple]) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3 under Django's wrapper
            with raw.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            # Names from the model, values as parameters.
            sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, list(rows))
