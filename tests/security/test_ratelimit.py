"""The rate limiter resets after its window and counts exactly under 20 parallel hits.

The parallel test runs on SQLite too: there SQLite serialises the writers, so it
shows the statements are correct under contention; on PostgreSQL
(``DATABASE_URL=postgres://… make test``) it shows the upsert is atomic across
connections.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from insigne.platform import ratelimit
from insigne.platform.models import RateCounter

START = dt.datetime(2026, 9, 1, 12, 0, 30, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_the_rate_limiter_resets_after_its_window(time_machine):
    time_machine.move_to(START, tick=False)
    assert [ratelimit.allow("t", "client", 3, 60) for _ in range(4)] == [True] * 3 + [False]
    for seconds in (10, 30, 59):  # refused hits inside the window do not extend it
        time_machine.move_to(START + dt.timedelta(seconds=seconds), tick=False)
        assert not ratelimit.allow("t", "client", 3, 60)
    time_machine.move_to(START + dt.timedelta(seconds=60), tick=False)
    assert ratelimit.allow("t", "client", 3, 60)  # a new window, counting from 1
    assert ratelimit.hit("t", "client", 60) == 2


@pytest.mark.django_db
def test_keys_and_scopes_are_counted_apart(time_machine):
    time_machine.move_to(START, tick=False)
    assert ratelimit.hit("a", "x", 60) == 1
    assert ratelimit.hit("a", "y", 60) == 1
    assert ratelimit.hit("b", "x", 60) == 1
    assert ratelimit.hit("a", "x", 60) == 2


@pytest.mark.django_db
def test_old_counts_are_cleaned_up_and_no_key_is_stored_in_clear(time_machine):
    time_machine.move_to(START, tick=False)
    for number in range(50):
        ratelimit.hit("t", f"client-{number}@exemple.test", 60)
    assert RateCounter.objects.count() == 50
    assert not RateCounter.objects.filter(bucket__contains="exemple").exists()
    time_machine.move_to(START + dt.timedelta(seconds=61), tick=False)
    ratelimit.hit("t", "someone-else", 60)
    assert RateCounter.objects.count() == 1  # the table holds live windows only


@pytest.mark.django_db(transaction=True)
def test_the_rate_limiter_counts_exactly_under_20_parallel_hits():
    barrier = threading.Barrier(20)
    counts: list[int] = []
    errors: list[BaseException] = []

    def one_hit() -> None:
        try:
            barrier.wait(timeout=30)
            counts.append(ratelimit.hit("parallel", "203.0.113.9", 3600))
        except BaseException as error:  # reported below, with the vendor
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one_hit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [], (connection.vendor, errors)
    assert sorted(counts) == list(range(1, 21)), connection.vendor  # each count once
    assert RateCounter.objects.get().count == 20
    assert not ratelimit.allow("parallel", "203.0.113.9", 20, 3600)
