"""Importing missions: one code path for the command, the staff upload page and the API.

Rows arrive validated (``csv_format``); this module only decides, batch by
batch, what to create, what to update and what to leave alone, and writes each
batch in one transaction: one query to fetch the existing missions, one to know
which of them already have an issued badge, then one set-based insert (``COPY``
on PostgreSQL, one ``executemany`` on SQLite) and ``bulk_update``. An unchanged
row writes nothing; a mission whose badge is issued is never modified (the row
is counted as unchanged and reported).

At scale (the backfill: 900,000 rows):

* the file is streamed (``csv_format.read_csv``) and handled ``BATCH_SIZE`` rows
  at a time; what stays in memory for the whole run is one entry per mission id
  (to reject an id repeated in the file) and the rejected rows' report;
* each mission keeps the digest of the CSV row it was last written from
  (``Mission.import_digest``, see ``csv_format.row_digest``). A file row whose
  digest is the stored one is unchanged without being validated again, which
  is most of a re-import's work; any other change of those fields (support
  correcting an address) clears the digest, so the row is then compared in full;
* on PostgreSQL two threads write batches, each with its own connection, while
  the next is read and validated (``_Writer``): the database's work and Python's
  overlap, and the database indexes two batches at once on two of its processes
  (one writer had become the slower: the reader waited for it a fifth of the
  time). The reader does what it can for the writers: its lookup of the
  stored digests also tells which ids had a mission (the writer reads only
  those), and it computes the new missions' values (``_ReadAhead``); and a
  batch's commit does not wait for the disk (``synchronous_commit = off`` for
  that transaction only). The import's record is committed last, normally, and
  that commit waits until every batch before it is on disk: once an import says
  it is done, all of it is kept; a crash before loses only rows of an import
  that never finished, which a re-import of the file writes;
* a large import ends with ``ANALYZE`` on PostgreSQL, so that the planner knows
  the table's new size at once rather than at autovacuum's next visit.

The import's record (``MissionImport``) is written first, so that each mission
created or changed names it (``Mission.created_by_import``, ``changed_by_import``)
in the same statements that write the mission; the counts complete it at the end.
"""

from __future__ import annotations

import datetime as dt
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.contrib.auth.models import User
from django.db import DatabaseError, IntegrityError, connection, connections, transaction
from django.utils import timezone

from insigne.missions import eligibility
from insigne.missions.csv_format import (
    COLUMNS,
    Duplicates,
    FileRejected,
    MissionRow,
    RawRow,
    RejectedRow,
    RowError,
    Source,
    read_csv,
    row_digest,
    safe_text,
    validate_row,
)
from insigne.missions.models import EndReason, Mission, MissionImport, search_columns
from insigne.platform import bulk, planner

BATCH_SIZE = 2000
# Batches written at once on PostgreSQL, each by a thread of its own connection.
WRITERS = 2
# Changing one of these re-evaluates eligibility.
ELIGIBILITY_FIELDS = frozenset({"start_date", "actual_end_date", "end_reason"})
_COLUMN_OF = {name: column for column, name in COLUMNS.items()}
ISSUED_REASON = "badge déjà émis : la mission n'est pas modifiée"
DATABASE_REASON = "valeur refusée par la base de données : ligne non importée"
_FILENAME_LENGTH = MissionImport._meta.get_field("filename").max_length or 255

Progress = Callable[[int], None]


@dataclass
class _ReadAhead:
    """What the reader learnt of a batch for its writer, read before the write.

    ``existing``: the ids that had a mission when the batch was read; the writer
    looks up only those. A mission created meanwhile (a concurrent import) fails
    the insert on the unique id, and the second pass, without this, looks up every
    id. ``new_values``: the values of the missions to create, by id.
    """

    existing: set[str]
    new_values: dict[str, dict[str, object]] = field(default_factory=dict)


@dataclass
class _Tally:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unchanged_issued: int = 0
    rejected: int = 0
    errors: list[dict[str, object]] = field(default_factory=list)
    warnings: list[dict[str, object]] = field(default_factory=list)

    def add(self, other: _Tally) -> None:
        """What ``other`` wrote (its ``read`` is counted by the reader)."""
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.unchanged_issued += other.unchanged_issued
        self.rejected += other.rejected
        self.errors.extend(other.errors)
        self.warnings.extend(other.warnings)


def import_missions(
    rows: Iterable[MissionRow | RejectedRow],
    source: str,
    filename: str = "",
    *,
    uploaded_by: User | None = None,
    warnings: Iterable[RowError] = (),
    progress: Progress | None = None,
) -> MissionImport:
    """Upsert validated rows by ``external_id``; return the saved summary.

    ``warnings`` is read once every row has been imported (a streamed file only
    knows its mixed-encoding warning at the end); they come first in the summary.
    """
    record, tally = _start(source, filename, uploaded_by), _Tally()
    with _Writer(tally, record.pk) as writer:
        for batch in _batches(iter(rows), BATCH_SIZE):
            tally.read += len(batch)
            writer.write(batch)
            if progress is not None:
                progress(tally.read)
    return _finish(record, tally, warnings)


def import_csv(
    data: Source,
    source: str,
    filename: str = "",
    *,
    uploaded_by: User | None = None,
    progress: Progress | None = None,
) -> MissionImport:
    """Read a CSV file and import it; a refused file is recorded with its ``failure``.

    ``data``: the file's bytes, or a seekable binary file (streamed, whatever its size).
    """
    try:
        csv_file = read_csv(data)
    except FileRejected as exc:
        return MissionImport.objects.create(
            source=source,
            filename=safe_text(filename, _FILENAME_LENGTH),
            failure=exc.message,
            uploaded_by=uploaded_by,
            finished_at=timezone.now(),
        )
    record, tally, duplicates = _start(source, filename, uploaded_by), _Tally(), Duplicates()
    with _Writer(tally, record.pk) as writer:
        for raw_batch in _batches(csv_file.rows, BATCH_SIZE):
            tally.read += len(raw_batch)
            writer.write(*_validated(raw_batch, duplicates, tally, record.pk))
            if progress is not None:
                progress(tally.read)
    return _finish(record, tally, csv_file.warnings)


class _Writer:
    """Writes the batches; on PostgreSQL, two at a time while the next is read.

    Reading and validating a batch is Python's work; writing it is mostly the
    database's (``COPY``, the indexes). On PostgreSQL, outside any transaction,
    ``WRITERS`` threads, each with its own connection, write the batches while
    this one reads and validates the next: at most ``WRITERS`` batches in flight,
    each in its own transaction as before. Batches hold different missions (the
    reader rejects an id repeated in the file), so the order in which they commit
    does not matter, and two of them never wait for each other's rows. Each
    batch's counts go to a tally of its own, added to the import's in file order
    once written, so the threads never share one. A write that fails raises
    here, at a later batch or at the end. Elsewhere (SQLite, which has one writer
    anyway, or inside a transaction, whose rows another connection could not see)
    each batch is written in turn.
    """

    def __init__(self, tally: _Tally, import_id: int) -> None:
        self.tally, self.import_id = tally, import_id
        self.pending: deque[Future[_Tally]] = deque()
        self.work: queue.SimpleQueue[_Work | None] = queue.SimpleQueue()
        self.threads: list[threading.Thread] = []
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self.threads = [
                threading.Thread(target=self._run, name=f"import-writer-{number}", daemon=True)
                for number in range(WRITERS)
            ]
            for thread in self.threads:
                thread.start()

    def __enter__(self) -> _Writer:
        return self

    def write(self, batch: list[MissionRow | RejectedRow], ahead: _ReadAhead | None = None) -> None:
        if not self.threads:
            _import_batch(batch, self.tally, self.import_id, ahead)
            return
        while len(self.pending) >= WRITERS:
            self._collect()
        future: Future[_Tally] = Future()
        self.work.put((future, batch, ahead))
        self.pending.append(future)

    def _collect(self) -> None:
        self.tally.add(self.pending.popleft().result())

    def _run(self) -> None:
        """A writer thread: the batches given to it, then its connection closed."""
        try:
            while (work := self.work.get()) is not None:
                future, batch, ahead = work
                try:
                    future.set_result(_written(batch, self.import_id, ahead))
                except BaseException as exc:  # noqa: BLE001 - raised by the reader, in _collect
                    future.set_exception(exc)
        finally:
            connections.close_all()  # this thread's own

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if not self.threads:
            return
        try:
            if exc_type is None:
                while self.pending:
                    self._collect()
        finally:
            for _thread in self.threads:
                self.work.put(None)  # each thread stops after the batches before it
            for thread in self.threads:
                thread.join()


_Work = tuple["Future[_Tally]", list[MissionRow | RejectedRow], "_ReadAhead | None"]


def _written(
    batch: list[MissionRow | RejectedRow], import_id: int, ahead: _ReadAhead | None
) -> _Tally:
    tally = _Tally()
    _import_batch(batch, tally, import_id, ahead)
    return tally


def _batches(rows: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while batch := list(islice(rows, size)):
        yield batch


def _validated(
    raws: list[RawRow], duplicates: Duplicates, tally: _Tally, import_id: int
) -> tuple[list[MissionRow | RejectedRow], _ReadAhead]:
    """The batch's rows validated, except those identical to what the mission was
    last written from: those are counted unchanged at once (one query per batch,
    which also tells the writer which ids have a mission)."""
    digests = [None if raw.problems else row_digest(raw.values) for raw in raws]
    keys = [raw.values.get("identifiant_mission", "").strip() for raw in raws]
    stored = dict(
        Mission.objects.filter(
            external_id__any_of={k for k, d in zip(keys, digests, strict=True) if d is not None}
        ).values_list("external_id", "import_digest")
    )
    rows: list[MissionRow | RejectedRow] = []
    ahead = _ReadAhead(existing=set(stored))
    for raw, key, digest in zip(raws, keys, digests, strict=True):
        if digest is not None and stored.get(key) == digest and duplicates.first(key, raw.line):
            tally.unchanged += 1
            continue
        row = duplicates.check(validate_row(raw, digest), raw)
        if isinstance(row, MissionRow) and row.external_id not in stored:
            ahead.new_values[row.external_id] = _new_values(row, import_id)
        rows.append(row)
    return rows, ahead


def _import_batch(
    batch: list[MissionRow | RejectedRow],
    tally: _Tally,
    import_id: int,
    ahead: _ReadAhead | None = None,
) -> None:
    valid = []
    for row in batch:
        if isinstance(row, RejectedRow):
            tally.rejected += 1
            tally.errors.extend(error.as_dict() | {"raw": row.raw} for error in row.errors)
        else:
            valid.append(row)
    if not valid:
        return
    # A concurrent import may create one of our missions between the read and the
    # insert; the unique constraint then fails the batch, and a second pass sees it.
    try:
        try:
            outcome = _write_batch(valid, import_id, ahead)
        except IntegrityError:
            outcome = _write_batch(valid, import_id)  # every id looked up this time
    except DatabaseError:
        # Validation should have caught it; whatever the database still refuses
        # rejects its own row, not the batch nor the import.
        _write_one_by_one(valid, tally, import_id)
        return
    outcome.add_to(tally)


def _write_one_by_one(rows: list[MissionRow], tally: _Tally, import_id: int) -> None:
    for row in rows:
        try:
            _write_batch([row], import_id).add_to(tally)
        except DatabaseError:
            tally.rejected += 1
            error = RowError(row.line, "", DATABASE_REASON).as_dict()
            tally.errors.append(error | {"raw": {"identifiant_mission": row.external_id}})


@dataclass
class _BatchOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unchanged_issued: int = 0
    warnings: list[dict[str, object]] = field(default_factory=list)

    def add_to(self, tally: _Tally) -> None:
        tally.created += self.created
        tally.updated += self.updated
        tally.unchanged += self.unchanged
        tally.unchanged_issued += self.unchanged_issued
        tally.warnings.extend(self.warnings)


@transaction.atomic(durable=True)
def _write_batch(
    rows: list[MissionRow], import_id: int, ahead: _ReadAhead | None = None
) -> _BatchOutcome:
    if connection.vendor == "postgresql":
        # A batch's commit does not wait for its WAL to reach the disk: the import's
        # record, committed last and normally, waits for all of them at once (the log
        # is written in order). A crash before it loses the last batches of an import
        # that never said it was done; a re-import writes them (see the module's notes).
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
    ids = [row.external_id for row in rows]
    if ahead is not None:
        ids = [external_id for external_id in ids if external_id in ahead.existing]
    existing = _existing(ids) if ids else {}
    issued = (
        set(
            Mission.objects.filter(
                external_id__any_of=list(existing), invitation__credential__isnull=False
            ).values_list("external_id", flat=True)
        )
        if existing
        else set()
    )
    outcome = _BatchOutcome()
    to_create, to_update, changed_fields = [], [], set()
    digest_only: list[tuple[int | None, int]] = []
    now = timezone.now()
    for row in rows:
        mission = existing.get(row.external_id)
        if mission is None:
            values = ahead.new_values.get(row.external_id) if ahead else None
            to_create.append(values or _new_values(row, import_id))
            continue
        changes = _apply(mission, row)
        if not changes:
            outcome.unchanged += 1
            if mission.import_digest != row.digest:
                digest_only.append((row.digest, mission.pk))
        elif row.external_id in issued:
            outcome.unchanged += 1
            outcome.unchanged_issued += 1
            outcome.warnings.append(_issued_warning(row, changes))
        else:
            mission.updated_at = now  # bulk_update does not touch auto_now fields
            mission.import_digest = row.digest
            mission.changed_by_import_id = import_id
            to_update.append(mission)
            changed_fields |= changes
    bulk.insert_rows(Mission, to_create, now)
    if to_update:
        fields = sorted(changed_fields | {"updated_at", "import_digest", "changed_by_import"})
        Mission.objects.bulk_update(to_update, fields)
    _set_digests(digest_only)
    outcome.created, outcome.updated = len(to_create), len(to_update)
    return outcome


def _existing(ids: list[str]) -> dict[str, Mission]:
    """The missions of these ids, by id (``in_bulk``, with the ids as one array)."""
    return {m.external_id: m for m in Mission.objects.filter(external_id__any_of=ids)}


def _set_digests(pairs: list[tuple[int | None, int]]) -> None:
    """Record the row digest of missions the row left as they were (values unchanged)."""
    if not pairs:
        return
    ops = connection.ops
    table = ops.quote_name(Mission._meta.db_table)
    column = ops.quote_name(Mission._meta.get_field("import_digest").column)
    sql = f"UPDATE {table} SET {column} = %s WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, pairs)


def _new_values(row: MissionRow, import_id: int) -> dict[str, object]:
    """The values of the mission to create from ``row``, by ``import_id``."""
    values: dict[str, object] = dict(row.fields)
    values["import_digest"], values["created_by_import_id"] = row.digest, import_id
    verdict = eligibility.evaluate(
        _as_date(values["start_date"]),
        _as_date(values["actual_end_date"]) if values.get("actual_end_date") else None,
        values.get("end_reason") == EndReason.EARLY,
    )
    values["eligible"], values["ineligibility_reason"] = verdict.eligible, verdict.reason
    values.update(_search_values(values))
    return values


SEARCH_FIELDS = frozenset({"given_name", "family_name", "host_name", "commune", "departement"})


def _search_values(values: dict[str, object]) -> dict[str, str]:
    """The folded search columns of a new mission's values (see ``search_columns``)."""
    get = values.get
    return search_columns(
        str(get("given_name") or ""),
        str(get("family_name") or ""),
        str(get("host_name") or ""),
        str(get("commune") or ""),
        str(get("departement") or ""),
    )


def _apply(mission: Mission, row: MissionRow) -> set[str]:
    """Set the row's values on ``mission`` (unsaved); return the fields that changed."""
    changes = {name for name, value in row.fields.items() if getattr(mission, name) != value}
    if not changes:
        return changes
    for name in changes:
        setattr(mission, name, row.fields[name])
    if changes & ELIGIBILITY_FIELDS:
        changes |= _evaluate(mission)
    if changes & SEARCH_FIELDS:
        # Not an issued mission (those are left alone): no badge names to keep.
        for name, value in _search_values(vars(mission)).items():
            setattr(mission, name, value)
            changes.add(name)
    return changes


def _evaluate(mission: Mission) -> set[str]:
    """Recompute eligibility on ``mission``; return the fields that changed."""
    verdict = eligibility.evaluate(
        _as_date(mission.start_date),
        _as_date(mission.actual_end_date) if mission.actual_end_date else None,
        mission.end_reason == EndReason.EARLY,
    )
    changed = set()
    if mission.eligible != verdict.eligible:
        mission.eligible = verdict.eligible
        changed.add("eligible")
    if mission.ineligibility_reason != verdict.reason:
        mission.ineligibility_reason = verdict.reason
        changed.add("ineligibility_reason")
    return changed


def _as_date(value: object) -> dt.date:
    assert isinstance(value, dt.date)
    return value


def _issued_warning(row: MissionRow, changes: set[str]) -> dict[str, object]:
    return {
        "line": row.line,
        "field": "identifiant_mission",
        "reason": ISSUED_REASON,
        "raw": {
            "identifiant_mission": row.external_id,
            "colonnes_ignorees": sorted(_COLUMN_OF[name] for name in changes if name in _COLUMN_OF),
        },
    }


def _start(source: str, filename: str, uploaded_by: User | None) -> MissionImport:
    return MissionImport.objects.create(
        source=source, filename=safe_text(filename, _FILENAME_LENGTH), uploaded_by=uploaded_by
    )


def _finish(record: MissionImport, tally: _Tally, warnings: Iterable[RowError]) -> MissionImport:
    tally.warnings[:0] = [warning.as_dict() for warning in warnings]
    record.read, record.created, record.updated = tally.read, tally.created, tally.updated
    record.unchanged, record.unchanged_issued = tally.unchanged, tally.unchanged_issued
    record.rejected, record.errors, record.warnings = tally.rejected, tally.errors, tally.warnings
    record.finished_at = timezone.now()
    record.save()
    planner.analyze_after(tally.created + tally.updated, Mission)  # once the result is kept
    return record
