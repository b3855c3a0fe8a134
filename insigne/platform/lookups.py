"""``field__any_of=[…]``: ``IN`` for long lists, sent as one array on PostgreSQL.

A batch of 2,000 mission ids written as ``IN (%s, %s, …)`` costs the driver more
than the database: psycopg parses a statement of 2,000 placeholders anew each
time (too long to keep), and Django prepares each value. On PostgreSQL the list
goes as one array parameter, ``column = ANY(%s)`` (the same plan: the column's
index is used); on SQLite, where binding is cheap, it stays ``IN``. Registered on
``CharField`` and ``IntegerField`` (their subclasses too: ``AutoField``…).

A list of texts goes as one text, the values joined by the unit separator (U+001F)
and split again by the server (``string_to_array``): psycopg writes an array
parameter value by value in Python, about a microsecond a value, which was a
twentieth of a re-import's time; one text it hands over as it is. A list holding
an empty text, or a text with that separator, goes as an array as before (the
split would lose or cut it).
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import CharField, IntegerField
from django.db.models.lookups import In
from django.db.models.sql.compiler import SQLCompiler


class AnyOf(In[Any]):
    lookup_name = "any_of"

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[Any]]:
        if not self.rhs_is_direct_value():  # a subquery: IN (SELECT …) as usual
            sql, params = self.as_sql(compiler, connection)
            return sql, list(params)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        prepare = self.lhs.output_field.get_db_prep_value
        values = [prepare(value, connection, prepared=True) for value in self.rhs]
        values = [value for value in values if value is not None]
        if values and all(isinstance(value, str) and value for value in values):
            joined = SEPARATOR.join(values)
            if joined.count(SEPARATOR) == len(values) - 1:
                return f"{lhs} = ANY(string_to_array(%s, chr(31)))", [*lhs_params, joined]
        return f"{lhs} = ANY(%s)", [*lhs_params, values]


SEPARATOR = "\x1f"  # chr(31) in the SQL


CharField.register_lookup(AnyOf)
IntegerField.register_lookup(AnyOf)
