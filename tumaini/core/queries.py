"""Query shapes that keep PostgreSQL on its indexes when a filter is "one of these ids".

`ids_in("person_id", ids)` filters a column on a set of ids given either as a queryset of one column
(a subquery) or as a list made in Python:

- a subquery becomes `column = ANY(ARRAY(subquery))`: PostgreSQL reads the ids first (an InitPlan)
  and looks each one up on the column's own index. A plain `IN (subquery)` lets it join instead,
  and guessing how many rows match, it may hash the whole outer table or walk another index
  filtering every row on the subquery;
- a list becomes `column = ANY(%s)` with the list as ONE array parameter, not one parameter per id
  that Django prepares and psycopg quotes and parses into the SQL: with thousands of ids those
  objects cost milliseconds and set off the garbage collector.

On SQLite (development, tests) both are the plain `__in` lookup.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, models
from django.db.models import F, Q, QuerySet


class _AnyOf(models.Expression):
    conditional = True
    output_field = models.BooleanField()

    def __init__(self, column: str, ids: QuerySet | list[Any]):
        super().__init__()
        self.column = F(column)
        self.ids = models.Subquery(ids) if isinstance(ids, QuerySet) else list(ids)

    def get_source_expressions(self):
        return [self.column, self.ids] if isinstance(self.ids, models.Subquery) else [self.column]

    def set_source_expressions(self, expressions):
        if isinstance(self.ids, models.Subquery):
            self.column, self.ids = expressions
        else:
            (self.column,) = expressions

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.column)
        if isinstance(self.ids, models.Subquery):
            subquery, subquery_params = compiler.compile(self.ids)
            # The compiled subquery comes in parentheses: ARRAY(SELECT ...).
            return f"{column} = ANY(ARRAY{subquery})", (*params, *subquery_params)
        return f"{column} = ANY(%s)", (*params, self.ids)


def ids_in(column: str, ids: QuerySet | Iterable[Any]) -> Q:
    """`column` is one of `ids` (a one-column queryset, or ids already read)."""
    if not isinstance(ids, QuerySet):
        ids = list(ids)
    if connection.vendor == "postgresql":
        return Q(_AnyOf(column, ids))
    return Q(**{f"{column}__in": ids})
