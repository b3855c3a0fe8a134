"""Page counts are added up in the process and written once the interval is over."""

from __future__ import annotations

import pytest
import time_machine

from insigne.programme import counters
from insigne.programme.models import CountKind, DailyCount

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def nothing_left_over():
    """No count of another test waits in the process, and none of these is left behind."""
    counters.flush()
    yield
    counters.flush()


def written() -> int:
    return sum(DailyCount.objects.filter(kind=CountKind.BADGE_VIEW).values_list("count", flat=True))


def test_hits_wait_for_the_interval_then_go_in_one_write(settings, django_assert_num_queries):
    settings.COUNT_FLUSH_SECONDS = 10
    with time_machine.travel("2026-07-01 12:00:00+02:00", tick=False) as traveller:
        counters._written_at = counters.time.time()
        with django_assert_num_queries(0):
            for _ in range(25):
                counters.count(CountKind.BADGE_VIEW)
        assert written() == 0
        traveller.shift(11)
        counters.count(CountKind.BADGE_VIEW)
    assert written() == 26


def test_what_is_left_is_written_by_flush(settings):
    settings.COUNT_FLUSH_SECONDS = 3600
    counters._written_at = counters.time.time()
    for _ in range(3):
        counters.count(CountKind.BADGE_VIEW)
    assert written() == 0
    counters.flush()
    assert written() == 3
