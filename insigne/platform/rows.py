"""One row read by a unique column, its SQL written once per process for each set of fields.

The pages a visitor or a volunteer opens most (a badge page and its files, the
claim pages) read one row per request, or one row and the row it points to.
Django builds such a query anew each time, and building it costs more than
running it: about 0.5 ms of CPU for a badge page's row, 1.1 ms for a personal
link's invitation and its mission, against 0.14 ms to run each. So for each set
of fields a caller asks, the SELECT is written once from the models' metadata
(quoted names only; the key's value is the one parameter), and the row becomes
instances as Django's own iterator makes them: the backend's converters applied
(SQLite's dates and booleans come as text and integers), then ``Model.from_db``,
the fields not asked deferred (read on access, as with ``QuerySet.only``).

Fields are the model's own, by name or attribute name (``revoked_at``,
``badge_class_id``), or those of a non-null foreign key's row, as
``QuerySet.only`` names them (``badge_class__slug``): that row is joined and put
in the foreign key's cache, as ``select_related`` does.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection, models

Converter = Callable[[Any, Any, Any], Any]
M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class _Part:
    """The columns of one model in the SELECT, from ``start``."""

    relation: str  # "" for the model read, else the foreign key's name
    model: type[models.Model]
    attnames: tuple[str, ...]
    start: int


@dataclass(frozen=True)
class _Query:
    sql: str
    parts: tuple[_Part, ...]
    converters: tuple[tuple[int, tuple[Converter, ...], Any], ...]  # (index, steps, column)


def _columns(model: type[models.Model], names: Sequence[str]) -> list[models.Field[Any, Any]]:
    """The fields named (by name or attribute name), once each, in the model's order:
    ``from_db`` takes the values of the fields it is given in that order. The primary
    key always comes: the instances are rows of the table."""
    wanted = set(names)
    unknown = wanted - {n for f in model._meta.concrete_fields for n in (f.name, f.attname)}
    if unknown:
        raise ValueError(f"{model.__name__} has no column {sorted(unknown)}")
    return [
        f
        for f in model._meta.concrete_fields
        if f.primary_key or f.name in wanted or f.attname in wanted
    ]


@functools.cache
def _query(model: type[models.Model], key: str, fields: tuple[str, ...], vendor: str) -> _Query:
    """The query and how to read its row; ``vendor`` keys the cache only (the quoting
    and the converters are the backend's)."""
    quote = connection.ops.quote_name
    own = [name for name in fields if "__" not in name]
    related: dict[str, list[str]] = {}
    for name in fields:
        if "__" in name:
            relation, _sep, field_name = name.partition("__")
            related.setdefault(relation, []).append(field_name)
            own.append(relation)  # the foreign key itself is read, to join on
    plan: list[tuple[str, type[models.Model], list[models.Field[Any, Any]], str]] = [
        ("", model, _columns(model, own), "t0")
    ]
    joins = []
    for number, (relation, names) in enumerate(related.items(), start=1):
        link = model._meta.get_field(relation)
        if not isinstance(link, models.ForeignKey) or link.null:
            raise ValueError(f"{model.__name__}.{relation}: a non-null foreign key is needed")
        target = link.related_model
        assert isinstance(target, type) and issubclass(target, models.Model)
        alias = f"t{number}"
        joins.append(
            f" JOIN {quote(target._meta.db_table)} {alias}"
            f" ON {alias}.{quote(target._meta.pk.column)} = t0.{quote(link.column)}"
        )
        plan.append((relation, target, _columns(target, names), alias))
    selected, parts, converters, index = [], [], [], 0
    for relation, part_model, part_fields, alias in plan:
        parts.append(_Part(relation, part_model, tuple(f.attname for f in part_fields), index))
        for field in part_fields:
            selected.append(f"{alias}.{quote(field.column)}")
            column = field.get_col(part_model._meta.db_table)
            # Field.get_db_converters (``from_db_value``) is Django's, absent from its stubs.
            own_steps = field.get_db_converters(connection)  # type: ignore[attr-defined]
            steps = (*connection.ops.get_db_converters(column), *own_steps)
            if steps:
                converters.append((index, steps, column))
            index += 1
    [key_field] = [f for f in model._meta.concrete_fields if key in (f.name, f.attname)]
    key_column = quote(key_field.column)
    sql = (
        f"SELECT {', '.join(selected)} FROM {quote(model._meta.db_table)} t0"  # noqa: S608
        f"{''.join(joins)} WHERE t0.{key_column} = %s"  # (model metadata only)
    )
    return _Query(sql, tuple(parts), tuple(converters))


def one(model: type[M], key: str, value: str | int, fields: Sequence[str]) -> M | None:
    """The row of ``model`` whose ``key`` (a unique column) is ``value``, or None."""
    query = _query(model, key, tuple(fields), connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(query.sql, [value])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, steps, column in query.converters:
        for convert in steps:
            values[index] = convert(values[index], column, connection)
    main, *joined = query.parts
    found = model.from_db(
        connection.alias, main.attnames, values[main.start : main.start + len(main.attnames)]
    )
    for part in joined:
        setattr(
            found,
            part.relation,
            part.model.from_db(
                connection.alias,
                part.attnames,
                values[part.start : part.start + len(part.attnames)],
            ),
        )
    return found
