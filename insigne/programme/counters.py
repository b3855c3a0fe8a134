"""Counting badge page visits and "Ajouter à LinkedIn" clicks: one number a day, nothing else.

No address, badge, cookie or time of day is kept: a row is (kind, day, count).
Hits are added up in the process and written at most every
``COUNT_FLUSH_SECONDS`` (one UPDATE per kind and day, or its INSERT the first time
on a day; a concurrent first insert loses to the unique constraint and updates
instead), so a page served a thousand times a second does not queue a thousand
writes on one row. What a process counted since its last write is written when it
exits; a process killed outright loses at most those seconds of counts (figures,
never a volunteer's data).
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from insigne.programme.models import CountKind, DailyCount

# The pages counted as a badge page visit (their URL names).
BADGE_PAGES = frozenset({"badge"})


logger = logging.getLogger(__name__)

_LOCK = threading.Lock()
_PENDING: Counter[tuple[str, dt.date]] = Counter()
_written_at = time.time()


def count(kind: CountKind) -> None:
    """One more ``kind`` today; written with the others once the flush interval is over."""
    global _written_at
    with _LOCK:
        _PENDING[(str(kind), timezone.localdate())] += 1
        due = time.time() - _written_at >= settings.COUNT_FLUSH_SECONDS
        if due:
            _written_at = time.time()
    if due:
        flush()


def flush() -> None:
    """Write what this process has counted and not written yet."""
    with _LOCK:
        pending = dict(_PENDING)
        _PENDING.clear()
    for (kind, day), hits in pending.items():
        _add(kind, day, hits)


def _add(kind: str, day: dt.date, hits: int) -> None:
    if DailyCount.objects.filter(kind=kind, day=day).update(count=F("count") + hits):
        return
    try:
        with transaction.atomic():
            DailyCount.objects.create(kind=kind, day=day, count=hits)
    except IntegrityError:
        DailyCount.objects.filter(kind=kind, day=day).update(count=F("count") + hits)


@atexit.register
def _flush_at_exit() -> None:
    try:
        flush()
    except DatabaseError:
        logger.warning("page counts of this process could not be written at exit")


class CountBadgeVisits:
    """Middleware: a badge page served as HTML (200, GET) counts one visit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        if (
            match is not None
            and match.url_name in BADGE_PAGES
            and request.method == "GET"
            and response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
        ):
            count(CountKind.BADGE_VIEW)
        return response
