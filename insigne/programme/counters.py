"""Counting badge page visits and "Ajouter à LinkedIn" clicks: one number a day, nothing else.

No address, badge, cookie or time of day is kept: a row is (kind, day, count).
A hit is one UPDATE of that row, or its INSERT the first time on a day (a
concurrent first insert loses to the unique constraint and updates instead).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from insigne.programme.models import CountKind, DailyCount

# The pages counted as a badge page visit (their URL names).
BADGE_PAGES = frozenset({"badge"})


def count(kind: CountKind) -> None:
    day = timezone.localdate()
    if DailyCount.objects.filter(kind=kind, day=day).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            DailyCount.objects.create(kind=kind, day=day, count=1)
    except IntegrityError:
        DailyCount.objects.filter(kind=kind, day=day).update(count=F("count") + 1)


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
