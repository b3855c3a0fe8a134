"""Benchmark: the whole backfill, as production would run it (``python -m bench backfill``).

A synthetic mission file (start dates 2010–2026, 1 to 12 months planned, 15 %
interrupted before their planned end, one row in a thousand invalid) is written
row by row to a temporary file, then, each step in a process of its own on a
database made for the run:

1. ``import_csv`` of the file (streamed), then the same file again (nothing changed);
2. ``invite_due_missions`` (eligibility was computed by the import): every
   invitation and its mail queued;
3. two real worker processes (``manage.py run_tasks --burst``) deliver every
   invitation to a local aiosmtpd relay on loopback; the run ends when both
   workers have nothing left and the relay has counted every mail.

Printed: rows/s, invitations/s, mails/s (wall time, and per CPU second of the
process, which stays meaningful on a busy machine), the peak RSS of each process,
the wall time of the whole; then, when several sizes are run (``BACKFILL_SIZES``, default
``10000,100000``; ``BACKFILL_SIZE=900000`` for one size), the growth of each
step's time per mission from the smallest size to the largest (1.0 = linear).

The database: a fresh SQLite file in a temporary folder, or, when
``BENCH_DATABASE_URL`` (else ``DATABASE_URL``) names a PostgreSQL server, a
database created on it for the run and dropped afterwards (nothing else on the
server is touched). Wall times: the machine's other work counts in them.
"""

from __future__ import annotations

import calendar
import json
import logging
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from aiosmtpd.controller import Controller

from bench.cpu import cores
from bench.sending import BURST, CountingRelay, start_workers
from tests.smtp import free_port

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
TODAY = date(2026, 12, 1)  # the day of the run: missions ending later are not finished
HEADER = (
    "identifiant_mission;prenom;nom;email;date_debut;date_fin_prevue;date_fin_effective;"
    "motif_fin;structure;siret;numero_agrement;domaine;commune;departement;intitule_mission"
)
DOMAINS = ("Solidarité", "Santé", "Éducation pour tous", "Culture et loisirs", "Sport",
           "Environnement", "Mémoire et citoyenneté")  # fmt: skip
GIVEN = ("Camille", "Zoé", "Yanis", "Inès", "Noah", "Léa", "Adam", "Chloé", "Mohamed", "Jade")
FAMILY = ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand")

Row = tuple[str, float, str]


def _add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def mission_lines(rows: int, seed: int = 2010) -> Iterator[str]:
    """The file's lines, one at a time (the file is never built in memory)."""
    rng = random.Random(seed)
    first, span = date(2010, 1, 1), (date(2026, 11, 30) - date(2010, 1, 1)).days
    yield HEADER + "\n"
    for index in range(rows):
        start = first + timedelta(days=rng.randrange(span))
        planned = _add_months(start, rng.randint(1, 12)) - timedelta(days=1)
        interrupted = rng.random() < 0.15
        actual = start + timedelta(days=rng.randrange((planned - start).days + 1))
        actual = actual if interrupted else planned
        ended = actual < TODAY
        email = f"volontaire.{index}@exemple.test" if index % 1000 != 999 else "sans-arobase"
        yield (
            f"SC-{index:08d};{rng.choice(GIVEN)};{rng.choice(FAMILY)};{email};"
            f"{start.isoformat()};{planned:%d/%m/%Y};{actual.isoformat() if ended else ''};"
            f"{'rupture_anticipee' if interrupted and ended else 'terme'};"
            f"Association {index % 7919};{rng.randrange(10**13, 10**14)};"
            f"NA-{index % 95:03d}-{start:%y}-{index % 99991:05d}-00;{rng.choice(DOMAINS)};"
            f"Commune {index % 3001};{rng.randrange(1, 96):02d};Mission n° {index % 20011}\n"
        )


def write_file(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.writelines(mission_lines(rows))


# Peak resident memory of this process (VmHWM: ``ru_maxrss`` would count the
# parent's peak too, as Linux keeps it across fork and exec).
_PEAK = """
def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

_IMPORT = (
    """
import json, resource, sys, time
import django
django.setup()
"""
    + _PEAK
    + """
from bench.cpu import Snapshot
from insigne.missions.models import Mission
from insigne.missions.services import import_csv
figures = {}
for run in ("first", "again"):
    started, cpu, before = time.perf_counter(), time.process_time(), Snapshot.now()
    with open(sys.argv[1], "rb") as stream:
        result = import_csv(stream, "csv", "backfill.csv")
    spent = Snapshot.now().since(before)
    figures[run] = {"seconds": time.perf_counter() - started, "read": result.read,
                    "cpu": time.process_time() - cpu,
                    "machine": spent.machine, "postgres": spent.postgres,
                    "created": result.created, "unchanged": result.unchanged,
                    "rejected": result.rejected}
figures["eligible"] = Mission.objects.filter(eligible=True).count()
figures["rss_mb"] = peak_mb()
print(json.dumps(figures))
"""
)

_INVITE = (
    """
import datetime, json, resource, sys, time
import django
django.setup()
"""
    + _PEAK
    + """
from django.urls import reverse
from insigne.claims.services import invite_due_missions
reverse("resend")  # the URL configuration is loaded once per process, not per run: not timed
started, cpu = time.perf_counter(), time.process_time()
created = invite_due_missions(datetime.date.fromisoformat(sys.argv[1]))
print(json.dumps({"seconds": time.perf_counter() - started, "created": created,
                  "cpu": time.process_time() - cpu, "rss_mb": peak_mb()}))
"""
)


def _python(env: dict[str, str], code: str, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


@contextmanager
def _database(folder: str) -> Iterator[str]:
    """A database for one run: a SQLite file, or a PostgreSQL database made and dropped."""
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{folder}/backfill.sqlite3"
        return
    import psycopg  # only for this: the bench's own database

    parts = urlsplit(url)
    name = f"insigne_backfill_{uuid.uuid4().hex[:12]}"
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _environment(folder: str, url: str, relay_port: int) -> dict[str, str]:
    kept = {
        key: value
        for key, value in os.environ.items()
        if key not in ("TASKS_BACKEND", "EMAIL_URL", "DJANGO_SETTINGS_MODULE", "DATABASE_URL")
        and not key.startswith("MAIL_")
    }
    return kept | {
        "DJANGO_SETTINGS_MODULE": "insigne.settings",
        "DATABASE_URL": url,
        "INSIGNE_DATA_DIR": folder,
        "SECRET_KEY": "bench-only-secret",
        "EMAIL_URL": f"smtp://127.0.0.1:{relay_port}",
        "SITE_URL": "https://badges.exemple.test",
        "PYTHONPATH": str(ROOT),
    }


def _send(env: dict[str, str], expected: int, relay: CountingRelay) -> dict[str, Any]:
    started = time.perf_counter()
    workers = start_workers(env, WORKERS, *BURST)
    peaks = [0.0] * len(workers)
    cpu = 0.0
    while any(worker.returncode is None for worker in workers):
        for number, worker in enumerate(workers):
            if worker.returncode is not None:
                continue
            peaks[number] = max(peaks[number], _peak_of(worker.pid))
            pid, status, usage = os.wait4(worker.pid, os.WNOHANG)
            if pid:
                worker.returncode = os.waitstatus_to_exitcode(status)
                cpu += usage.ru_utime + usage.ru_stime
        time.sleep(0.2)
    rss = peaks
    seconds = time.perf_counter() - started
    failed = [w.returncode for w in workers if w.returncode]
    assert not failed, f"worker exit codes {failed}"
    assert relay.count == expected, f"{relay.count} of {expected} mails received"
    return {"seconds": seconds, "rss_mb": rss, "cpu_ms_per_mail": cpu / max(expected, 1) * 1000}


def _peak_of(pid: int) -> float:
    """VmHWM of a running process, in MB (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_backfill(rows: int) -> dict[str, Any]:
    """One whole backfill of ``rows`` missions; return its figures."""
    folder = tempfile.mkdtemp(prefix="insigne-bench-backfill-")
    path = Path(folder) / "missions.csv"
    started = time.perf_counter()
    write_file(path, rows)
    generated = time.perf_counter() - started
    relay = CountingRelay()
    port = free_port()
    controller = Controller(relay, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with _database(folder) as url:
            env = _environment(folder, url, port)
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
                env=env,
                cwd=ROOT,
                check=True,
            )
            begun = time.perf_counter()
            imported = _python(env, _IMPORT, str(path))
            invited = _python(env, _INVITE, TODAY.isoformat())
            sent = _send(env, invited["created"], relay)
            wall = time.perf_counter() - begun
    finally:
        controller.stop()
        path.unlink(missing_ok=True)
    assert imported["first"]["created"] + imported["first"]["rejected"] == rows
    assert imported["again"]["unchanged"] == imported["first"]["created"]
    assert invited["created"] == imported["eligible"]
    return {
        "rows": rows,
        "generated_seconds": generated,
        "import": imported,
        "invite": invited,
        "send": sent,
        "wall_seconds": wall,
        "engine": "PostgreSQL" if url.startswith("postgres") else "SQLite",
    }


def rows_of(figures: dict[str, Any]) -> list[Row]:
    n, engine = figures["rows"], figures["engine"]
    imported, invited, sent = figures["import"], figures["invite"], figures["send"]
    first = imported["first"]
    tag = f"backfill {n:,} ({engine})"
    mails = invited["created"]
    result: list[Row] = [
        (f"{tag}: import, first run", n / imported["first"]["seconds"], "rows/s"),
        (f"{tag}: import, first run, per CPU second", n / imported["first"]["cpu"], "rows/s"),
        (f"{tag}: import, machine CPU per row (every process)", first["machine"] / n * 1e6, "µs"),
        *_postgres_row(tag, figures, first["postgres"] / n * 1e6),
        (f"{tag}: import, ceiling on {cores()} cores", n / first["machine"] * cores(), "rows/s"),
        (f"{tag}: re-import, all unchanged", n / imported["again"]["seconds"], "rows/s"),
        (f"{tag}: re-import, per CPU second", n / imported["again"]["cpu"], "rows/s"),
        (f"{tag}: invitations queued ({mails:,} eligible)", mails / invited["seconds"], "inv/s"),
        (f"{tag}: invitations, per CPU second", mails / invited["cpu"], "inv/s"),
        (f"{tag}: mails delivered, {WORKERS} workers", mails / sent["seconds"], "mails/s"),
        (f"{tag}: worker CPU per mail (all workers)", sent["cpu_ms_per_mail"], "ms/mail"),
        (f"{tag}: peak RSS, import process", imported["rss_mb"], "MB"),
        (f"{tag}: peak RSS, invitation process", invited["rss_mb"], "MB"),
    ]
    result += [
        (f"{tag}: peak RSS, worker {number}", rss, "MB")
        for number, rss in enumerate(sent["rss_mb"], start=1)
    ]
    result.append((f"{tag}: whole backfill, wall time", figures["wall_seconds"], "s"))
    return result


def _postgres_row(tag: str, figures: dict[str, Any], per_row: float) -> list[Row]:
    if figures["engine"] != "PostgreSQL":
        return []
    return [(f"{tag}: import, of which PostgreSQL, per row", per_row, "µs")]


def _step_seconds(figures: dict[str, Any]) -> dict[str, float]:
    return {
        "import": figures["import"]["first"]["seconds"],
        "invitation": figures["invite"]["seconds"],
        "sending": figures["send"]["seconds"],
    }


def growth_rows(small: dict[str, Any], large: dict[str, Any]) -> list[Row]:
    """Time per mission at the large size over the small one (1.0: linear growth)."""
    a, b = _step_seconds(small), _step_seconds(large)
    label = f"{large['rows']:,} vs {small['rows']:,}"
    return [
        (f"backfill growth, {step} time per mission ({label})", (b[step] / large["rows"])
         / (a[step] / small["rows"]), "× (1 = linear)")
        for step in a
    ]  # fmt: skip


def sizes() -> list[int]:
    one = os.environ.get("BACKFILL_SIZE")
    listed = os.environ.get("BACKFILL_SIZES", "10000,100000")
    return [int(one)] if one else [int(size) for size in listed.split(",") if size.strip()]


def bench_backfill() -> list[Row]:
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd: a line per command
    runs = [run_backfill(rows) for rows in sizes()]
    result = [row for figures in runs for row in rows_of(figures)]
    if len(runs) > 1:
        result += growth_rows(runs[0], runs[-1])
    return result


if __name__ == "__main__":
    for label, value, unit in bench_backfill():
        print(f"{label:<58} {value:>12,.1f} {unit}")
