"""The import's writer threads (PostgreSQL, outside a transaction): two batches written
while the next is read, with the counts, the order and the failures of the plain loop."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from insigne.missions import services
from insigne.missions.models import Mission
from insigne.missions.services import import_csv
from tests.missions.helpers import csv_bytes, row

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the writer thread is PostgreSQL's"
    ),
]


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 50)


def rows(count: int, **overrides: str) -> list[dict[str, str]]:
    return [row(identifiant_mission=f"W-{n:04d}", **overrides) for n in range(count)]


def test_batches_are_written_by_the_thread_with_the_same_counts_and_report(
    small_batches, monkeypatch
):
    threads: set[str] = set()
    real = services._import_batch

    def noting(batch, tally, import_id, ahead=None):  # type: ignore[no-untyped-def]
        threads.add(threading.current_thread().name)
        real(batch, tally, import_id, ahead)

    monkeypatch.setattr(services, "_import_batch", noting)
    lines = rows(230)
    lines[7]["email"] = "sans-arobase"  # rejected in the first batch
    lines[170]["date_debut"] = "31/02/2025"  # and in the fourth
    first = import_csv(csv_bytes(lines), "csv", "lot.csv")
    lines[99]["commune"] = "Brest"  # one update, the rest unchanged
    second = import_csv(csv_bytes(lines), "csv", "lot.csv")
    assert threads and threads <= {f"import-writer-{n}" for n in range(services.WRITERS)}
    assert (first.read, first.created, first.rejected) == (230, 228, 2)
    assert [error["line"] for error in first.errors] == [9, 172]  # in file order
    assert (second.created, second.updated, second.unchanged, second.rejected) == (0, 1, 227, 2)
    assert (
        Mission.objects.count() == 228
        and Mission.objects.get(external_id="W-0099").commune == "Brest"
    )


def test_two_batches_are_written_at_once_each_by_its_own_connection(small_batches, monkeypatch):
    """The first two batches meet inside their writes: were one written after the other,
    the meeting would time out and the import fail."""
    meeting = threading.Barrier(2, timeout=10)
    sessions: set[int] = set()
    real = services._write_batch

    def meeting_first(batch, import_id, ahead=None):  # type: ignore[no-untyped-def]
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            sessions.add(cursor.fetchone()[0])
        if batch[0].external_id in ("W-0000", "W-0050"):
            meeting.wait()
        return real(batch, import_id, ahead)

    monkeypatch.setattr(services, "_write_batch", meeting_first)
    result = import_csv(csv_bytes(rows(200)), "csv", "lot.csv")
    assert (result.created, result.rejected) == (200, 0)
    assert len(sessions) == 2


def test_a_write_that_fails_stops_the_import_and_leaves_no_connection_open(
    small_batches, monkeypatch
):
    calls: list[int] = []
    used = []  # the writer thread's own connections
    real = services._write_batch

    def failing(batch, import_id, ahead=None):  # type: ignore[no-untyped-def]
        calls.append(len(batch))
        used.append(connections["default"])
        if batch[0].external_id == "W-0050":  # the second batch
            raise RuntimeError("panne simulée")
        return real(batch, import_id, ahead)

    monkeypatch.setattr(services, "_write_batch", failing)
    with pytest.raises(RuntimeError, match="panne simulée"):
        import_csv(csv_bytes(rows(200)), "csv", "lot.csv")
    # The first batch, and the third, handed to the other thread before the second's
    # failure was known; nothing after.
    assert Mission.objects.count() == 100
    assert not Mission.objects.filter(external_id__in=["W-0050", "W-0099", "W-0150"]).exists()
    # The threads wrote through connections of their own, and closed them on the way out
    # (asked of the connection itself: the server drops its session a moment later).
    assert used and all(handle is not connection for handle in used)
    assert all(handle.connection is None for handle in used)


def test_a_reading_failure_is_the_one_raised_even_with_a_failing_write_in_flight(
    small_batches, monkeypatch
):
    monkeypatch.setattr(
        services,
        "_write_batch",
        lambda batch, import_id, ahead=None: (_ for _ in ()).throw(OSError("base")),
    )
    real, calls = services._validated, []

    def failing_read(*args):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise UnicodeError("lecture")
        return real(*args)

    monkeypatch.setattr(services, "_validated", failing_read)
    with pytest.raises(UnicodeError, match="lecture"):
        import_csv(csv_bytes(rows(200)), "csv", "lot.csv")
