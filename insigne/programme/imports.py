"""Mission files imported in the background, with progress and an outlook of invitations.

The upload page stores the file (``BackgroundImport.data``) and queues
:func:`run_import`; the worker reads it through the one importer
(``insigne.missions.services.import_csv``), writing the rows read so far after
each batch so the page can show a progress bar, then erases the file's bytes.
A job is taken by a conditional update (queued → running), so a task run twice
imports once.

The outlook says what the imported missions will become: how many are
eligible, how many already were invited or hold a badge, and when the others
will be invited: by the next daily run for those already ended, on the day
after their end for the others, or by a backfill campaign for those that ended
before ``DAILY_INVITATIONS_ENDED_FROM``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import partial

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django_tasks import task

from insigne.missions.csv_format import (
    FileRejected,
    MissionRow,
    RejectedRow,
    read_csv,
    validate_rows,
)
from insigne.missions.models import Mission, MissionImport
from insigne.missions.services import import_missions
from insigne.programme.models import BackgroundImport, ImportStatus

logger = logging.getLogger(__name__)

OUTLOOK_BATCH = 2000
OUTLOOK_FIGURES = ("missions", "eligible", "invited", "issued", "backfill", "next_run")
# A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "|", "%")


def queue_import(data: bytes, filename: str, uploaded_by: User | None) -> BackgroundImport:
    """Store the upload and queue its import once the transaction commits."""
    job = BackgroundImport.objects.create(
        filename=filename[:255],
        size=len(data),
        data=data,
        rows_total=max(data.count(b"\n") - 1, 0) or (1 if data.strip() else 0),
        uploaded_by=uploaded_by,
    )
    transaction.on_commit(partial(run_import.enqueue, job.pk))
    return job


@task()
def run_import(job_id: int) -> str:
    """Import the stored file of job ``job_id``; return its final status."""
    taken = BackgroundImport.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    if not taken:
        return "skipped"
    job = BackgroundImport.objects.get(pk=job_id)
    try:
        result, external_ids = _import(job)
        outlook = invitation_outlook(external_ids)
    except Exception:
        logger.exception("background import %s failed", job_id)
        BackgroundImport.objects.filter(pk=job_id).update(
            status=ImportStatus.FAILED,
            failure="Erreur interne pendant l'import : réessayez ou écrivez à l'équipe technique.",
            finished_at=timezone.now(),
            data=b"",
        )
        return ImportStatus.FAILED
    BackgroundImport.objects.filter(pk=job_id).update(
        status=ImportStatus.FAILED if result.failure else ImportStatus.DONE,
        failure=result.failure,
        result=result,
        rows_done=result.read,
        outlook=outlook,
        finished_at=timezone.now(),
        data=b"",
    )
    return ImportStatus.DONE


def _import(job: BackgroundImport) -> tuple[MissionImport, list[str]]:
    data = bytes(job.data)
    uploaded_by = job.uploaded_by
    try:
        csv_file = read_csv(data)
    except FileRejected as exc:
        refused = MissionImport.objects.create(
            source="upload",
            filename=job.filename,
            failure=exc.message,
            uploaded_by=uploaded_by,
            finished_at=timezone.now(),
        )
        return refused, []
    external_ids: list[str] = []
    result = import_missions(
        _noting_ids(validate_rows(csv_file.rows), external_ids),
        "upload",
        job.filename,
        uploaded_by=uploaded_by,
        warnings=csv_file.warnings,
        progress=partial(_progress, job.pk),
    )
    return result, external_ids


def _noting_ids(
    rows: Iterable[MissionRow | RejectedRow], ids: list[str]
) -> Iterator[MissionRow | RejectedRow]:
    for row in rows:
        if isinstance(row, MissionRow):
            ids.append(row.external_id)
        yield row


def _progress(job_id: int, rows_done: int) -> None:
    BackgroundImport.objects.filter(pk=job_id).update(rows_done=rows_done)


def invitation_outlook(external_ids: list[str]) -> dict[str, object]:
    """What the imported missions become: eligible, invited, and when the rest will be."""
    today = timezone.localdate()
    cutoff = settings.DAILY_INVITATIONS_ENDED_FROM
    # Every figure is there, zero included: a file whose rows were all rejected has one.
    tally = Counter(dict.fromkeys(OUTLOOK_FIGURES, 0))
    upcoming: Counter[str] = Counter()
    for start in range(0, len(external_ids), OUTLOOK_BATCH):
        missions = Mission.objects.filter(
            external_id__in=external_ids[start : start + OUTLOOK_BATCH]
        )
        counts = missions.aggregate(
            n_missions=Count("pk"),
            n_eligible=Count("pk", filter=Q(eligible=True)),
            n_invited=Count("pk", filter=Q(eligible=True, invitation__isnull=False)),
            n_issued=Count("pk", filter=Q(eligible=True, invitation__credential__isnull=False)),
        )
        tally.update({key.removeprefix("n_"): value or 0 for key, value in counts.items()})
        waiting = missions.filter(eligible=True, invitation__isnull=True, email_undeliverable=False)
        if cutoff is not None:
            tally["backfill"] += waiting.filter(actual_end_date__lt=cutoff).count()
            waiting = waiting.filter(actual_end_date__gte=cutoff)
        tally["next_run"] += waiting.filter(actual_end_date__lt=today).count()
        for row in (
            waiting.filter(actual_end_date__gte=today)
            .values("actual_end_date")
            .annotate(n=Count("pk"))
        ):
            day = row["actual_end_date"] + dt.timedelta(days=1)
            upcoming[day.isoformat()] += row["n"]
    return dict(tally) | {
        "upcoming": sorted(upcoming.items())[:12],
        "more_days": len(upcoming) > 12,
    }


def safe_cell(value: object) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def rejected_rows_csv(result: MissionImport) -> str:
    """The rejected rows of an import as CSV: line, column, reason (UTF-8, ``;``)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["ligne", "colonne", "motif"])
    for error in result.errors:
        writer.writerow(
            [
                safe_cell(error.get("line", "")),
                safe_cell(error.get("field", "")),
                safe_cell(error.get("reason", "")),
            ]
        )
    return out.getvalue()
