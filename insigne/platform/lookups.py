"""``field__any_of=[…]``: ``IN`` for long lists, sent as one array on PostgreSQL.

A batch of 2,000 mission ids written as ``IN (%s, %s, …)`` costs the driver more
than the database: psycopg parses a statement of 2,000 placeholders anew each
time (too long to keep), and Django prepares each value. On PostgreSQL the list
goes as one array parameter, ``column = ANY(%s)`` (the same plan: the column's
index is used); on SQLite, where binding is cheap, it stays ``IN``. Registered on
``CharField`` and ``IntegerField`` (their subclasses too: ``AutoField``…).
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
        return f"{lhs} = ANY(%s)", [*lhs_params, [v for v in values if v is not None]]


CharField.register_lookup(AnyOf)
IntegerField.register_lookup(AnyOf)
