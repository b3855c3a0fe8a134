"""Hot queries planned as index walks, whatever PostgreSQL's statistics say.

A backfill leaves the planner's statistics far behind the tables: hundreds of
thousands of rows inserted, where the last ``ANALYZE`` (autovacuum's, late or off)
saw a few. The planner then prices a sort or a hash over every row as cheap, and
a query meant to read a batch in index order reads the whole table for each
batch. :func:`planned_without` turns the named plan kinds off for the queries
of its block (``SET LOCAL``, one statement), then sets them back (another), so
that the index walk is what remains. Elsewhere than on PostgreSQL it does nothing.

The bulk writers (the import, the invitation run) also bring the statistics up to
date themselves once they wrote many rows (:func:`analyze_after`), rather than
leave the other queries of those tables to plan from a table a few rows long until
autovacuum's next visit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connection, models, transaction

logger = logging.getLogger(__name__)

# Each plan kind a query may do without, and the setting (and value) that turns it off.
_SETTINGS = {
    "bitmapscan": ("enable_bitmapscan", "off"),
    "hashjoin": ("enable_hashjoin", "off"),
    "mergejoin": ("enable_mergejoin", "off"),
    "parallel": ("max_parallel_workers_per_gather", "0"),
    "seqscan": ("enable_seqscan", "off"),
    "sort": ("enable_sort", "off"),
}
# A bulk write of at least this many rows ends with ANALYZE of the tables it wrote.
ANALYZE_AFTER = 10_000
_SET_BACK = "SELECT set_config(name, reset_val, true) FROM pg_settings WHERE name = ANY(%s)"


@contextmanager
def planned_without(*kinds: str) -> Iterator[None]:
    """Plan the block's queries without ``kinds`` (keys of ``_SETTINGS``).

    Inside the caller's transaction, or in one of its own; no savepoint: should a
    query of the block fail, the transaction's rollback sets everything back.
    """
    settings = [_SETTINGS[kind] for kind in kinds]
    if connection.vendor != "postgresql":
        yield
        return
    set_off = "SELECT " + ", ".join(f"set_config('{name}', %s, true)" for name, _ in settings)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(set_off, [value for _, value in settings])
        yield
        # Set back for the rest of an enclosing transaction.
        cursor.execute(_SET_BACK, [[name for name, _ in settings]])


def analyze_after(written: int, *tables: type[models.Model]) -> bool:
    """``ANALYZE`` the tables of ``tables`` when ``written`` reaches ``ANALYZE_AFTER``
    (PostgreSQL); return whether it did. A second or two for a backfill's tables.

    Statistics are a help, not a result: should the database refuse or be away, the
    writer's work stands (a savepoint keeps an enclosing transaction usable) and
    autovacuum brings the statistics up to date later.
    """
    if connection.vendor != "postgresql" or written < ANALYZE_AFTER:
        return False
    names = ", ".join(connection.ops.quote_name(table._meta.db_table) for table in tables)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {names}")
    except DatabaseError as exc:
        logger.warning("ANALYZE %s not run (%s): statistics left to autovacuum", names, exc)
        return False
    return True
