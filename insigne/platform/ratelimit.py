"""Fixed-window rate limits, counted in the database so every web process shares them.

A key's window opens at its first hit and closes ``window_seconds`` later, whatever
happens meanwhile: hits inside it do not extend it, and the first hit after it
opens a new window with a count of 1. Each hit is one ``INSERT … ON CONFLICT DO
UPDATE … RETURNING count`` (PostgreSQL and SQLite alike): the database increments
the row it holds locked, so parallel hits are counted exactly. Rows of windows
that are over are deleted as hits come in, so the table holds live windows only.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from insigne.platform.models import RateCounter

_TABLE = connection.ops.quote_name(RateCounter._meta.db_table)
# A window that is over (start + length <= now) starts again at this hit.
_HIT = (
    f"INSERT INTO {_TABLE} AS c (bucket, window_start, count, expires_at) "  # noqa: S608
    "VALUES (%s, %s, 1, %s) "
    "ON CONFLICT (bucket) DO UPDATE SET "
    "count = CASE WHEN c.window_start + %s <= excluded.window_start THEN 1 ELSE c.count + 1 END, "
    "expires_at = CASE WHEN c.window_start + %s <= excluded.window_start "
    "THEN excluded.expires_at ELSE c.expires_at END, "
    "window_start = CASE WHEN c.window_start + %s <= excluded.window_start "
    "THEN excluded.window_start ELSE c.window_start END "
    "RETURNING count"
)


def hit(scope: str, key: str, window_seconds: int) -> int:
    """Count one hit for ``key`` in its current window; return the window's count."""
    now = timezone.now()
    start = int(now.timestamp())
    bucket = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    expires = connection.ops.adapt_datetimefield_value(now + dt.timedelta(seconds=window_seconds))
    with connection.cursor() as cursor:
        cursor.execute(_HIT, [bucket, start, expires, *[window_seconds] * 3])
        row = cursor.fetchone()
    purge_expired(now)
    return int(row[0])


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete the counters of windows that are over; return how many went."""
    deleted, _ = RateCounter.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


def allow(scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit for ``key``; False once more than ``limit`` hits fell in the window."""
    return hit(scope, key, window_seconds) <= limit


def client_address(request: HttpRequest) -> str:
    """The client's address as seen by Django (set ``REMOTE_ADDR`` right behind a proxy)."""
    return str(request.META.get("REMOTE_ADDR", ""))
