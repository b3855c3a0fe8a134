"""Task worker on the database queue, with the daily invitation run if asked.

Wraps django-tasks-db's ``Worker`` (rows claimed with ``SELECT … FOR UPDATE SKIP
LOCKED``, so several workers can share one database). Between two polls it:

* queues again the mails whose task was lost (``requeue_overdue_mail``);
* with ``--daily-invitations``, runs ``send_invitations`` once at start and
  again each time the local date (``TIME_ZONE``, Europe/Paris) changes. That
  command is idempotent, so two workers both running it is harmless.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from insigne.mail.services import requeue_overdue_mail

logger = logging.getLogger(__name__)

SWEEP_EVERY = 300.0  # seconds between two looks for lost mail tasks
RETRY_FAILED_DAILY_RUN_AFTER = 600.0


class DailyRun:
    """Call ``job`` once per local date; after a failure, try again some minutes later."""

    def __init__(self, job: Callable[[], None], clock: Callable[[], float] = time.monotonic):
        self.job = job
        self.clock = clock
        self.done_for: dt.date | None = None
        self.not_before = 0.0

    def run_if_due(self) -> bool:
        today = timezone.localdate()
        if today == self.done_for or self.clock() < self.not_before:
            return False
        try:
            self.job()
        except Exception:
            logger.exception("daily run failed; next try in %d s", RETRY_FAILED_DAILY_RUN_AFTER)
            self.not_before = self.clock() + RETRY_FAILED_DAILY_RUN_AFTER
            return False
        self.done_for = today
        return True


def send_invitations() -> None:
    try:
        call_command("send_invitations")
    except CommandError as error:
        if "Unknown command" not in str(error):
            raise
        logger.error("send_invitations is not available: %s", error)


class Command(BaseCommand):
    help = (
        "Exécute les tâches en attente (courriels…) ; avec --daily-invitations, "
        "lance aussi l'envoi quotidien des invitations."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--burst", action="store_true", help="Traite ce qui est en attente puis s'arrête."
        )
        parser.add_argument(
            "--daily-invitations",
            action="store_true",
            help="Lance send_invitations au démarrage puis à chaque changement de date.",
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Secondes entre deux relevés (défaut 1)."
        )

    def handle(
        self, *args: Any, burst: bool, daily_invitations: bool, interval: float, **options: Any
    ) -> None:
        worker = Worker(
            queue_names=["*"],
            interval=interval,
            batch=True,  # each run() empties the queue and returns, so we can do our checks
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        daily = DailyRun(send_invitations) if daily_invitations else None
        if options["verbosity"] < 2:
            # The worker logs its start and stop at each pass of our loop (every
            # `interval`); task outcomes are logged by "django_tasks", kept.
            logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
        worker.configure_signals()
        try:
            self.loop(worker, daily, burst, interval)
        finally:
            worker.reset_signals()

    def loop(self, worker: Worker, daily: DailyRun | None, burst: bool, interval: float) -> None:
        last_sweep = -SWEEP_EVERY
        while True:
            if daily is not None:
                daily.run_if_due()
            if time.monotonic() - last_sweep >= SWEEP_EVERY:
                requeue_overdue_mail()
                last_sweep = time.monotonic()
            worker.run()
            if burst or not worker.running:
                return
            # Ctrl+C during this sleep exits at once (the worker's signal handler).
            time.sleep(interval)
