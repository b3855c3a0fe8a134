"""The mail pump: a worker claims queued mail in batches and sends it over one SMTP connection.

With the database task backend (production, the demo, the fault test), mail does
not travel as one task per mail: every worker runs this pump between its task
passes. Each pass claims up to ``MAIL_BATCH`` sendable mails in one transaction —
journey replies first (the badge, a resent link: ``MailPriority.REPLY``), bulk
invitations after, so a badge queued behind any backlog leaves in the next
batch — and sends them over one SMTP connection kept open from mail to mail and
from batch to batch (closed after an error and reopened for the next mail; a
relay that drops an idle connection is simply reconnected).

The claim is one ``SELECT … FOR UPDATE SKIP LOCKED`` over the partial index of
unsent mails (two workers never get the same mail, and neither waits for the
other) and one UPDATE giving the whole batch its lease (``MAIL_LEASE``). Before
each mail the pump checks that the lease outlasts the longest possible send
(``tasks.longest_send``) and otherwise renews it, conditionally on still holding
it, so a slow relay cannot make the end of a batch sendable by another worker.
A worker told to stop hands back the mails it has not started (their lease ends
at once). Each mail is still recorded alone, by one UPDATE committed right after
the relay's reply: the delivery guarantee and its one window are those of
``insigne.mail.tasks``. Only the owning apps' signal (``mail_sent``) is sent once
per batch.

``MAIL_RATE_PER_HOUR`` caps what all workers together send in any rolling hour:
see :func:`reserve`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F, QuerySet, Sum
from django.db.models.query import prefetch_related_objects
from django.utils import timezone

from insigne.mail.models import UNSENT, MailStatus, OutgoingMail, SendingSlot
from insigne.mail.tasks import (
    _close_quietly,
    announce_sent,
    deliver,
    lease,
    longest_send,
    sendable,
)
from insigne.platform import planner

logger = logging.getLogger(__name__)

HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)
# Any number: the key of the PostgreSQL advisory lock that serialises rate reservations.
RATE_LOCK_KEY = 0x1E5_1613


def _minute(moment: dt.datetime) -> dt.datetime:
    return moment.replace(second=0, microsecond=0)


def reserve(wanted: int, now: dt.datetime) -> int:
    """How many mails may be claimed now under ``MAIL_RATE_PER_HOUR``, reserved at once.

    Call inside the claim's transaction. The reservations of all workers are
    serialised (an advisory lock on PostgreSQL; SQLite's immediate transactions
    already take the database's write lock), read from the per-minute slots
    that overlap the last hour, and the granted count is added to the current
    minute's slot. Every claimed mail counts, sent or not, and a slot counts
    whole until its last second is more than an hour old: the cap is never
    exceeded in any rolling hour, at the price of leaving up to a minute's
    worth unused.
    """
    rate = settings.MAIL_RATE_PER_HOUR
    if not rate:
        return wanted
    if db_connection.vendor == "postgresql":
        with db_connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RATE_LOCK_KEY])
    window = SendingSlot.objects.filter(minute__gt=now - HOUR - MINUTE)
    used = window.aggregate(total=Sum("mails"))["total"] or 0
    granted = max(0, min(wanted, rate - used))
    if granted:
        minute = _minute(now)
        if not SendingSlot.objects.filter(minute=minute).update(mails=F("mails") + granted):
            SendingSlot.objects.create(minute=minute, mails=granted)
            SendingSlot.objects.filter(minute__lt=now - 2 * HOUR).delete()  # once a minute
    return granted


# What the claim is planned without (``platform.planner``): an index walk remains.
CLAIM_WITHOUT = ("sort", "bitmapscan", "seqscan", "parallel")


def claim_query(now: dt.datetime, limit: int) -> QuerySet[OutgoingMail]:
    """The next sendable mails, locked, skipping those another worker is claiming.

    The first condition is the partial index's own: PostgreSQL then walks that
    index in order and stops after ``limit`` rows, however many mails wait or
    were sent, rather than sorting every waiting mail. Run it planned without
    ``CLAIM_WITHOUT``: with the statistics a backfill leaves (the mails queued
    since the last ``ANALYZE`` unknown to the planner), PostgreSQL would rather
    gather every waiting mail through the other index and sort them all, on disk,
    for each batch: in a 900,000-mission backfill that sort was most of the
    database's time while sending.
    """
    due = OutgoingMail.objects.filter(status__in=UNSENT).filter(sendable(now))
    return due.order_by("priority", "pk").select_for_update(skip_locked=True)[:limit]


def claim_batch(limit: int) -> list[OutgoingMail]:
    """Claim up to ``limit`` sendable mails, most urgent and oldest first, with one lease.

    The mails come back claimed (``status``, ``attempts``, ``lease_expires_at``
    as written) with their attachments read.
    """
    now = timezone.now()
    until = now + lease()
    with transaction.atomic():
        limit = reserve(limit, now)
        if not limit:
            return []
        with planner.planned_without(*CLAIM_WITHOUT):
            mails = list(claim_query(now, limit))
        if not mails:
            return []
        OutgoingMail.objects.filter(pk__in=[mail.pk for mail in mails]).update(
            status=MailStatus.SENDING,
            claimed_at=now,
            lease_expires_at=until,
            attempts=F("attempts") + 1,
        )
    for mail in mails:
        mail.status, mail.claimed_at, mail.lease_expires_at = MailStatus.SENDING, now, until
        mail.attempts += 1
    prefetch_related_objects(mails, "attachments")
    return mails


def renew(mails: list[OutgoingMail]) -> list[OutgoingMail]:
    """Extend the lease of mails this worker still holds; return those it still holds.

    Held means still ``sending`` with the very lease this worker wrote: a worker
    that took a mail over after the lease ended wrote a later one.
    """
    if not mails:
        return []
    until = timezone.now() + lease()
    held = OutgoingMail.objects.filter(
        pk__in=[mail.pk for mail in mails],
        status=MailStatus.SENDING,
        lease_expires_at=mails[0].lease_expires_at,
    )
    ids = set(held.values_list("pk", flat=True))
    OutgoingMail.objects.filter(pk__in=ids).update(lease_expires_at=until)
    kept = [mail for mail in mails if mail.pk in ids]
    for mail in kept:
        mail.lease_expires_at = until
    if len(kept) < len(mails):
        logger.warning("%d mails of a batch were no longer this worker's", len(mails) - len(kept))
    return kept


def hand_back(mails: list[OutgoingMail]) -> None:
    """End at once the lease of claimed mails this worker will not send (it is stopping)."""
    if not mails:
        return
    OutgoingMail.objects.filter(
        pk__in=[mail.pk for mail in mails],
        status=MailStatus.SENDING,
        lease_expires_at=mails[0].lease_expires_at,
    ).update(lease_expires_at=timezone.now(), attempts=F("attempts") - 1)
    logger.info("%d claimed mails handed back", len(mails))


def vacuum_mail_table() -> bool:
    """``VACUUM`` the mail table now (PostgreSQL), unless another worker is at it.

    A sent mail leaves dead entries at the head of the partial index the claim
    walks; until a vacuum takes them away, every claim steps over all of them: at
    400,000 mails sent, 340 ms a claim instead of 0.2 ms. Autovacuum may come late
    during a backfill (or be off), so the workers do it themselves every
    ``MAIL_VACUUM_AFTER`` mails each (about 0.1 s each time; the first, 2 s, marks the freshly
    queued table visible), nothing blocked (``SKIP_LOCKED``:
    a worker that finds one running goes on sending). True when it ran.
    """
    if db_connection.vendor != "postgresql" or db_connection.in_atomic_block:
        return False
    table = db_connection.ops.quote_name(OutgoingMail._meta.db_table)
    with db_connection.cursor() as cursor:
        cursor.execute(f"VACUUM (SKIP_LOCKED) {table}")
    logger.info("mail table vacuumed")
    return True


class Pump:
    """One worker's sender: its SMTP connection lives as long as the pump."""

    def __init__(self) -> None:
        self.connection: BaseEmailBackend | None = None
        self.since_vacuum = 0  # mails tried since this pump last vacuumed the table

    def run_once(self, stopping: Callable[[], bool] = lambda: False) -> int:
        """Claim and send one batch at most; return how many mails were tried.

        ``stopping`` is asked between two mails: a worker told to stop finishes the
        mail it is sending, never starts the next, and hands the rest back.
        """
        batch = claim_batch(settings.MAIL_BATCH)
        sent: list[OutgoingMail] = []
        tried = 0
        try:
            while batch:
                if stopping():
                    break
                mail = batch[0]
                assert mail.lease_expires_at is not None  # set by the claim
                if timezone.now() + longest_send() >= mail.lease_expires_at:
                    batch = renew(batch)
                    if not batch or batch[0] is not mail:
                        continue  # no longer ours: the next one, if any
                batch.pop(0)
                if self.connection is None:
                    self.connection = get_connection()
                outcome = deliver(mail, self.connection, announce=False)
                tried += 1
                if outcome == "sent":
                    sent.append(mail)
                else:
                    self.close()  # deliver closed it; start the next mail afresh
        finally:
            announce_sent(sent)
            hand_back(batch)
        self.since_vacuum += tried
        every = settings.MAIL_VACUUM_AFTER
        if every and self.since_vacuum >= every:
            self.since_vacuum = 0
            vacuum_mail_table()
        return tried

    def close(self) -> None:
        if self.connection is not None:
            _close_quietly(self.connection)
            self.connection = None
