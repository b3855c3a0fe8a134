"""One credential read by its public id, the SQL written once per process for each view.

The public pages (badge page, signed JSON, baked images, OB 2.0 assertion) read
one row per request, a few columns of it. Django builds a query anew each time,
and building it costs more than running it: about 0.5 ms of CPU against 0.14 ms
here. So for each set of fields a view asks, the SELECT is written once from the
models' metadata (quoted names only; the public id is the one parameter), and
the row becomes instances as Django's own iterator makes them: the backend's
converters applied (SQLite's dates are text), then ``Model.from_db``, the other
fields deferred. Fields are the credential's own (``revoked_at``, ``ob2_json``)
or its badge class's (``badge_class__slug``), as ``QuerySet.only`` names them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models

from insigne.badges.models import BadgeClass, Credential

# Every read takes these: the page's owner decides who sees it, from them.
ALWAYS = ("id", "public_id", "visibility", "badge_class_id")
RELATED = "badge_class__"
Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True)
class _Query:
    sql: str
    own: tuple[str, ...]  # attribute names of the credential's columns, in order
    related: tuple[str, ...]  # the badge class's, after them
    converters: tuple[tuple[int, tuple[Converter, ...], Any], ...]  # (index, steps, column)


def _columns(model: type[models.Model], names: Sequence[str]) -> list[models.Field[Any, Any]]:
    """The fields named (by name or attribute name), once each, in the model's order:
    ``from_db`` takes the values of the fields it is given in that order."""
    wanted = set(names)
    return [f for f in model._meta.concrete_fields if f.name in wanted or f.attname in wanted]


@functools.cache
def _query(fields: tuple[str, ...], vendor: str) -> _Query:
    own_fields = _columns(Credential, [*ALWAYS, *(f for f in fields if RELATED not in f)])
    related_fields = _columns(
        BadgeClass, [f.removeprefix(RELATED) for f in fields if f.startswith(RELATED)]
    )
    quote = connection.ops.quote_name
    credentials, classes = Credential._meta.db_table, BadgeClass._meta.db_table
    selected = [f"c.{quote(f.column)}" for f in own_fields]
    selected += [f"b.{quote(f.column)}" for f in related_fields]
    link = Credential._meta.get_field("badge_class").column
    joined = (
        f" JOIN {quote(classes)} b ON b.{quote(BadgeClass._meta.pk.column)} = c.{quote(link)}"
        if related_fields
        else ""
    )
    sql = (
        f"SELECT {', '.join(selected)} FROM {quote(credentials)} c{joined}"  # noqa: S608 - metadata
        f" WHERE c.{quote(Credential._meta.get_field('public_id').column)} = %s"
    )
    converters = []
    for index, (field, alias) in enumerate(
        [(f, credentials) for f in own_fields] + [(f, classes) for f in related_fields]
    ):
        column = field.get_col(alias)
        # Field.get_db_converters (``from_db_value``) is Django's, absent from its stubs.
        own_steps = field.get_db_converters(connection)  # type: ignore[attr-defined]
        steps = (*connection.ops.get_db_converters(column), *own_steps)
        if steps:
            converters.append((index, steps, column))
    return _Query(
        sql,
        tuple(f.attname for f in own_fields),
        tuple(f.attname for f in related_fields),
        tuple(converters),
    )


def credential(public_id: str, fields: tuple[str, ...]) -> Credential | None:
    """The credential ``public_id`` with ``fields`` (and ``ALWAYS``) read, or None."""
    query = _query(fields, connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(query.sql, [public_id])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, steps, column in query.converters:
        for convert in steps:
            values[index] = convert(values[index], column, connection)
    own = len(query.own)
    found = Credential.from_db(connection.alias, query.own, values[:own])
    if query.related:
        found.badge_class = BadgeClass.from_db(
            connection.alias, ("id", *query.related), [found.badge_class_id, *values[own:]]
        )
    return found
