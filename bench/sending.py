"""Benchmark: mail sent by real workers to a local SMTP relay (``python -m bench.sending``).

Queues ``MAILS`` (or ``BENCH_MAILS``) invitation-sized mails in a throwaway database (SQLite in a
temporary folder, or ``BENCH_DATABASE_URL`` — a PostgreSQL database, dropped and
made anew, is what production looks like), starts ``WORKERS`` processes of
``manage.py run_tasks --burst`` and a local aiosmtpd relay on loopback, and times
until every mail is out. Prints mails per second (wall time, all workers: from the
first mail the relay receives to the last, and from the workers' start to their
exit) and the workers' CPU time per mail, their start-up measured apart.
Everything stays on this machine and stops by itself.
"""

from __future__ import annotations

import logging
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from tests.smtp import free_port

ROOT = Path(__file__).resolve().parent.parent
MAILS = 3000
WORKERS = 2
BODY = "Bonjour,\n\nVotre Open Badge Service Civique vous attend : " + "x" * 1500 + "\n"


class CountingRelay:
    """Accepts every message and counts them; nothing is kept."""

    def __init__(self) -> None:
        self.count = 0
        self.first = self.last = 0.0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.count += 1
            self.last = time.perf_counter()
            self.first = self.first or self.last
        return "250 Message accepted"


def _environment(folder: str, relay_port: int) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("TASKS_BACKEND", "EMAIL_URL", "DJANGO_SETTINGS_MODULE")
    }
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/sending.sqlite3"
    return env | {
        "DJANGO_SETTINGS_MODULE": "insigne.settings",
        "DATABASE_URL": url,
        "INSIGNE_DATA_DIR": folder,
        "SECRET_KEY": "bench-only-secret",
        "EMAIL_URL": f"smtp://127.0.0.1:{relay_port}",
        "PYTHONPATH": str(ROOT),
    }


_QUEUE = """
import django; django.setup()
from insigne.mail.models import MailPriority, OutgoingMail
OutgoingMail.objects.all().delete()
OutgoingMail.objects.bulk_create(
    OutgoingMail(kind="invitation", to=f"volontaire{{n}}@exemple.test",
                 subject="Votre Open Badge Service Civique vous attend",
                 text_body={body!r}, html_body="<p>" + {body!r} + "</p>",
                 priority=MailPriority.BULK)
    for n in range({mails})
)
"""


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], env=env, cwd=ROOT, check=True)


BURST = ("--burst",)  # a worker that exits once nothing is left to do


def start_workers(
    env: dict[str, str], count: int, *options: str, logs: list[Any] | None = None
) -> list[subprocess.Popen[bytes]]:
    """``count`` real task workers (``manage.py run_tasks``) with ``options``; their output
    to ``logs`` (one open file each) or nowhere."""
    return [
        subprocess.Popen(
            [sys.executable, "manage.py", "run_tasks", *options, "--verbosity", "0"],
            env=env,
            cwd=ROOT,
            stdout=logs[n] if logs else subprocess.DEVNULL,
            stderr=subprocess.STDOUT if logs else subprocess.DEVNULL,
        )
        for n in range(count)
    ]


def _run_workers(env: dict[str, str], workers: int) -> tuple[float, float]:
    """Start ``workers`` burst workers, wait for them; return (wall seconds, CPU seconds)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    processes = start_workers(env, workers, *BURST)
    for process in processes:
        process.wait(timeout=600)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu


def bench_sending(mails: int = MAILS, workers: int = WORKERS) -> list[tuple[str, float, str]]:
    """Mails per second, wall time from the workers' start to their exit, start-up included;
    CPU per mail without the workers' start-up (Python and Django loading, the checks),
    measured in the same run by starting them once on an empty queue."""
    mails = int(os.environ.get("BENCH_MAILS", mails))
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd: a line per command
    folder = tempfile.mkdtemp(prefix="insigne-bench-mail-")
    relay = CountingRelay()
    port = free_port()
    controller = Controller(relay, hostname="127.0.0.1", port=port)
    controller.start()
    env = _environment(folder, port)
    try:
        _manage(env, "migrate", "--verbosity", "0")
        script = _QUEUE.format(body=BODY, mails=0)
        subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True)
        _idle_wall, start_up = _run_workers(env, workers)
        script = _QUEUE.format(body=BODY, mails=mails)
        subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True)
        wall, cpu = _run_workers(env, workers)
    finally:
        controller.stop()
    assert relay.count == mails, f"{relay.count} of {mails} mails received"
    return [
        (
            f"send {mails:,} mails, {workers} workers, local relay (first to last mail)",
            (mails - 1) / (relay.last - relay.first),
            "mails/s",
        ),
        ("the same, from the workers' start to their exit", mails / wall, "mails/s"),
        (
            "worker CPU per mail sent (all processes, start-up excluded)",
            (cpu - start_up) / mails * 1000,
            "ms/mail",
        ),
        ("worker start-up and exit, empty queue (reference)", start_up / workers, "s/process"),
    ]


if __name__ == "__main__":
    for label, value, unit in bench_sending():
        print(f"{label:<58} {value:>12,.1f} {unit}")
