"""Task worker on the database queue, with the daily invitation run if asked.

Wraps django-tasks-db's ``Worker`` (rows claimed with ``SELECT … FOR UPDATE SKIP
LOCKED``, so several workers can share one database). Between two polls it:

* queues again the mails whose task was lost or whose sender died
  (``requeue_overdue_mail``; never one whose task still waits in the queue,
  ``mails_with_live_tasks``), and puts back in the queue the task rows a dead
  worker left running (``reclaim_abandoned_tasks``);
* sends the staff their daily summary of given-up mail (one worker does);
* issues the badges of the claims validated since the last pass
  (``insigne.claims.services.issue_validated``, with ``CLAIMS_ISSUED_BY_WORKERS``),
  before the mail pass that sends their mails;
* ticks the running backfill campaigns (``insigne.programme.campaigns.tick``):
  each invites what its hour window still allows, its state in the database;
* with ``--daily-invitations``, runs ``send_invitations`` once at start and
  again each time the local date (``TIME_ZONE``, Europe/Paris) changes. That
  command is idempotent, so two workers both running it is harmless; and the
  same for ``purge_personal_data`` (the privacy notice's retention periods).

The worker outlives its surroundings: a database restart or any other error
of a pass is logged and the pass tried again after 1 s, 2 s, 4 s… (at most
``MAX_PAUSE``); a relay outage only makes mails wait for their next try. It
exits non-zero only on a configuration error, checked at start.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.urls import get_resolver
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from insigne.claims.services import issue_validated
from insigne.mail.pump import Pump
from insigne.mail.services import requeue_overdue_mail, send_daily_summary
from insigne.mail.tasks import COMMANDS_PER_SEND, longest_send, send_outgoing_mail
from insigne.programme import campaigns

logger = logging.getLogger(__name__)

SWEEP_EVERY = 300.0  # seconds between two looks for lost mail tasks (at most)
RETRY_FAILED_DAILY_RUN_AFTER = 600.0
MAX_PAUSE = 60.0  # longest wait between two tries of a failing pass


class DailyRun:
    """Call ``job`` once per local date; after a failure, try again some minutes later."""

    def __init__(self, job: Callable[[], object], clock: Callable[[], float] = time.monotonic):
        self.job = job  # its result is not used
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


def check_configuration() -> None:
    """Settings a worker cannot run with; ``CommandError`` (exit 1) names the fix."""
    delays = settings.MAIL_RETRY_DELAYS
    if not delays or min(delays) <= 0:
        raise CommandError("MAIL_RETRY_DELAYS : une liste de secondes positives est attendue.")
    if settings.MAIL_GIVE_UP_AFTER < 0:
        raise CommandError("MAIL_GIVE_UP_AFTER : un nombre de secondes positif est attendu.")
    longest = int(longest_send().total_seconds())
    if longest >= settings.MAIL_LEASE:
        raise CommandError(
            f"MAIL_LEASE ({settings.MAIL_LEASE} s) doit dépasser la durée maximale d'un envoi "
            f"({COMMANDS_PER_SEND} × EMAIL_TIMEOUT + EMAIL_DATA_TIMEOUT = {longest} s) : "
            "sinon un courriel en cours d'envoi serait repris par un autre worker."
        )


def reclaim_abandoned_tasks() -> int:
    """Put back in the queue the task rows a dead worker left running; return how many.

    No task of ours runs longer than a mail's lease (a send is bounded by its
    timeouts, see ``check_configuration``), so a row running for longer belongs
    to a worker that died. Running it again is safe: a mail is claimed by a
    conditional update, and sent only if its own lease is over too.
    """
    limit = timezone.now() - dt.timedelta(seconds=settings.MAIL_LEASE)
    reclaimed = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=limit
    ).update(status=TaskResultStatus.READY)
    if reclaimed:
        logger.warning("%d task rows of a dead worker queued again", reclaimed)
    return reclaimed


def mails_with_live_tasks(mail_ids: list[int]) -> set[int]:
    """Which of these mails still have a sending task waiting or running in the queue.

    The lost-mail sweep skips them: a mail waiting behind a long backlog has not
    lost its task, and queuing it again would only add a task that sends nothing.
    """
    rows = DBTaskResult.objects.filter(
        task_path=send_outgoing_mail.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        args_kwargs__args__0__in=mail_ids,
    )
    return {args["args"][0] for args in rows.values_list("args_kwargs", flat=True)}


def send_invitations() -> None:
    try:
        call_command("send_invitations")
    except CommandError as error:
        if "Unknown command" not in str(error):
            raise
        logger.error("send_invitations is not available: %s", error)


def purge_personal_data() -> None:
    """The retention periods of the privacy notice (insigne/passport/retention.py)."""
    call_command("purge_personal_data")


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
        check_configuration()
        # The URL patterns import every view module (seconds of CPU on a small machine):
        # loaded now, at start, not in the first pass that issues a volunteer's badge.
        get_resolver().url_patterns  # noqa: B018 - evaluated for its loading
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
        daily_runs = [DailyRun(send_daily_summary)]
        if daily_invitations:
            daily_runs.append(DailyRun(send_invitations))
            daily_runs.append(DailyRun(purge_personal_data))
        if options["verbosity"] < 2:
            # The worker logs its start and stop at each pass of our loop (every
            # `interval`); task outcomes are logged by "django_tasks", kept.
            logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
        worker.configure_signals()
        try:
            self.loop(worker, daily_runs, burst, interval)
        finally:
            worker.reset_signals()

    def loop(
        self, worker: Worker, daily_runs: list[DailyRun], burst: bool, interval: float
    ) -> None:
        pump = Pump() if settings.MAIL_SENT_BY_WORKERS else None
        try:
            self._loop(worker, pump, daily_runs, burst, interval)
        finally:
            if pump:
                pump.close()

    def _loop(
        self,
        worker: Worker,
        pump: Pump | None,
        daily_runs: list[DailyRun],
        burst: bool,
        interval: float,
    ) -> None:
        sweep_every = min(SWEEP_EVERY, settings.MAIL_LEASE / 2)
        last_sweep = -sweep_every
        failures = 0
        while True:
            try:
                for daily in daily_runs:
                    daily.run_if_due()
                if time.monotonic() - last_sweep >= sweep_every:
                    reclaim_abandoned_tasks()
                    requeue_overdue_mail(mails_with_live_tasks)
                    last_sweep = time.monotonic()
                invited = campaigns.tick()
                worker.run()
                # The validated claims' badges first, so their mails leave in this pass.
                issued = issue_validated() if settings.CLAIMS_ISSUED_BY_WORKERS else 0
                sent = pump.run_once(lambda: not worker.running) if pump else 0
                sent += invited + issued
                failures = 0
            except ImproperlyConfigured:
                raise
            except Exception as exc:
                if burst:
                    raise
                failures += 1
                pause = min(2.0 ** (failures - 1), MAX_PAUSE)
                # Type only: a database error's text may quote a row's values.
                logger.warning("pass failed (%s); next try in %.0f s", type(exc).__name__, pause)
                connections.close_all()
                if pump:
                    pump.close()
                time.sleep(pause)
                continue
            if sent:
                continue  # more mail (or invitations) may be due: no pause while a backlog drains
            if burst or not worker.running:
                return
            # Ctrl+C during this sleep exits at once (the worker's signal handler).
            time.sleep(interval)
