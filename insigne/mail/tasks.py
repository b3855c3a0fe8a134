"""The sending task: claim, send, and record the outcome with retries.

Temporary failures (4xx replies, refused connections, timeouts) are retried
after the delays of ``MAIL_RETRY_DELAYS`` (by default 1 min, 5 min, 30 min, 2 h,
then every 6 h) until ``MAIL_GIVE_UP_AFTER`` (72 h) after the first failure; then
the mail is given up as ``failed``. Permanent refusals (5xx on the recipient or
the message) make it ``undeliverable`` at once. Logs carry the mail id and kind,
never an address.

The claim gives the worker a lease of ``MAIL_LEASE`` seconds: a mail whose
worker died while sending is sendable again once the lease is over. Every try
carries the mail's own ``Message-ID``. The one window left is SMTP's: between
the relay's "250" and the commit that records it, a worker that dies makes the
mail go a second time (same ``Message-ID``) after the lease. The outcome is
recorded right after the reply, before QUIT, and a database that is away at
that moment is waited for rather than taken for a failed send.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import re
import smtplib
import time

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import DatabaseError, close_old_connections, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.dispatch import Signal
from django.utils import timezone
from django_tasks import task

from insigne.mail.backends import OutcomeUnknown, OutgoingMessage
from insigne.mail.models import MailStatus, OutgoingAttachment, OutgoingMail
from insigne.mail.signals import mail_failed, mail_sent, mail_undeliverable

logger = logging.getLogger(__name__)

# Waiting for the database to record a sent mail: 1 s, 2 s, 4 s… at most this.
RECORD_BACKOFF_MAX = 30.0
# SMTP commands of one send, each bounded by EMAIL_TIMEOUT: connect, EHLO, MAIL, RCPT, DATA.
COMMANDS_PER_SEND = 5
_ADDRESS = re.compile(r"[^\s<>\"']+@[^\s<>\"']+")


class Outcome(enum.Enum):
    TEMPORARY = "temporary"
    PERMANENT = "permanent"


@task()
def send_outgoing_mail(mail_id: int) -> str:
    """Send one queued mail unless another worker already has it; return what happened."""
    mail = claim(mail_id)
    if mail is None:
        return "skipped"
    connection = get_connection()
    outcome = deliver(mail, connection)
    _close_quietly(connection)
    return outcome


def deliver(mail: OutgoingMail, connection: BaseEmailBackend, *, announce: bool = True) -> str:
    """Send a claimed mail over ``connection`` (opened if needed) and record the outcome.

    After a failure the connection is closed, so the next mail opens a fresh one.
    With ``announce=False`` a sent mail is recorded but ``mail_sent`` is left to the
    caller (the pump sends it once per batch, :func:`announce_sent`).
    """
    try:
        connection.open()
        connection.send_messages([build_message(mail, connection)])
    except Exception as exc:  # any failure is recorded on the row, then retried or not
        _close_quietly(connection)
        return _record_failure(mail, exc)
    _record_sent(mail)  # before QUIT: the window between "250" and the record stays short
    if announce:
        announce_sent([mail])
    return "sent"


def sendable(now: dt.datetime) -> Q:
    """Mails a worker may take now: due ones, and those whose sender's lease is over."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    waiting = Q(status__in=[MailStatus.PENDING, MailStatus.FAILED_TEMPORARY]) & due
    return waiting | Q(status=MailStatus.SENDING, lease_expires_at__lt=now)


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.MAIL_LEASE)


def longest_send() -> dt.timedelta:
    """The longest one send may take: every SMTP command's timeout, then the final reply's.

    ``MAIL_LEASE`` must exceed it (the worker refuses to start otherwise), and the
    pump never starts a mail whose lease would end before this much time.
    """
    seconds = COMMANDS_PER_SEND * settings.EMAIL_TIMEOUT + settings.EMAIL_DATA_TIMEOUT
    return dt.timedelta(seconds=seconds)


def claim(mail_id: int) -> OutgoingMail | None:
    """Take the mail with one conditional UPDATE: 0 rows means someone else has it."""
    now = timezone.now()
    claimed = OutgoingMail.objects.filter(sendable(now), id=mail_id).update(
        status=MailStatus.SENDING,
        claimed_at=now,
        lease_expires_at=now + lease(),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        logger.info("mail %s not claimed (already taken, done or not due)", mail_id)
        return None
    return OutgoingMail.objects.prefetch_related("attachments").get(id=mail_id)


def build_message(
    mail: OutgoingMail, connection: BaseEmailBackend | None = None
) -> OutgoingMessage:
    message = OutgoingMessage(
        subject=mail.subject,
        body=mail.text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
        connection=connection,
        # RFC 3834: tells auto-responders not to answer an automatic message. The
        # Message-ID is the mail's own, so a copy sent again is recognisable.
        headers={"Auto-Submitted": "auto-generated", "Message-ID": mail.message_id},
    )
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    for attachment in mail.attachments.all():
        message.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    return message


def classify(exc: BaseException) -> Outcome:
    """Permanent only when the relay refused this recipient or this message with a 5xx."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return Outcome.PERMANENT if codes and all(c >= 500 for c in codes) else Outcome.TEMPORARY
    if isinstance(exc, smtplib.SMTPDataError) and exc.smtp_code >= 500:
        return Outcome.PERMANENT
    # 4xx, sender or authentication refusals (our configuration, not the address),
    # refused connections, timeouts, and anything unexpected: try again later.
    return Outcome.TEMPORARY


def describe(exc: BaseException) -> str:
    """A short error text for the row, with any address in it masked."""
    if isinstance(exc, OutcomeUnknown):
        text = f"issue inconnue, nouvel essai avec le même Message-ID : {exc}"
    elif isinstance(exc, smtplib.SMTPRecipientsRefused):
        text = "; ".join(f"{code} {_decode(msg)}" for code, msg in exc.recipients.values())
    elif isinstance(exc, smtplib.SMTPResponseException):
        text = f"{exc.smtp_code} {_decode(exc.smtp_error)}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    return _ADDRESS.sub("<…>", text)[:300]


def _decode(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _close_quietly(connection: BaseEmailBackend) -> None:
    """QUIT and close; a relay that fails to say goodbye changes nothing to the outcome."""
    try:
        connection.close()
    except Exception as exc:  # noqa: BLE001 - the outcome is already decided
        logger.info("closing the SMTP connection failed: %s", type(exc).__name__)


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th try failed; the last delay repeats."""
    delays = settings.MAIL_RETRY_DELAYS
    return dt.timedelta(seconds=delays[min(attempts, len(delays)) - 1])


def _record_sent(mail: OutgoingMail) -> None:
    """Record the delivery, waiting out a database restart: the mail is out, it must
    not be taken for a failure (and sent again) because the database was away.

    One UPDATE committed at once (with the attachments' DELETE when there are some):
    this record is what closes the window, so it is made per mail, never deferred.
    """
    pause = 1.0
    sent_at = timezone.now()
    while True:
        try:
            _store_outcome(mail, MailStatus.SENT, "", sent_at=sent_at)
            break
        except DatabaseError as exc:
            logger.warning(
                "mail %s sent, not yet recorded (%s); next try in %.0f s",
                mail.pk,
                type(exc).__name__,
                pause,
            )
            close_old_connections()
            time.sleep(pause)
            pause = min(pause * 2, RECORD_BACKOFF_MAX)
    logger.debug("mail %s (%s) sent", mail.pk, mail.kind)


def announce_sent(mails: list[OutgoingMail]) -> None:
    """Tell the owning apps that these mails left (``mail_sent``, one signal for them all)."""
    if mails:
        logger.info("%d mails sent", len(mails))
        _announce(mail_sent, mails)


def _record_failure(mail: OutgoingMail, exc: Exception) -> str:
    error = describe(exc)
    if classify(exc) is Outcome.PERMANENT:
        logger.warning("mail %s (%s) undeliverable: %s", mail.pk, mail.kind, error)
        _finish(mail, MailStatus.UNDELIVERABLE, error, mail_undeliverable)
        return "undeliverable"
    now = timezone.now()
    failing_since = mail.failing_since or now
    if now - failing_since >= dt.timedelta(seconds=settings.MAIL_GIVE_UP_AFTER):
        logger.error("mail %s (%s) given up after %d attempts", mail.pk, mail.kind, mail.attempts)
        _finish(mail, MailStatus.FAILED, error, mail_failed)
        return "failed"
    _schedule_retry(mail, error)
    return "retry"


def _schedule_retry(mail: OutgoingMail, error: str) -> None:
    now = timezone.now()
    run_after = now + retry_delay(mail.attempts)
    logger.warning("mail %s (%s) temporary failure, retry at %s", mail.pk, mail.kind, run_after)
    # One transaction: with the database task backend the retry task and the new
    # state are written together, so a crash cannot leave a retry without a task.
    with transaction.atomic():
        OutgoingMail.objects.filter(pk=mail.pk).update(
            status=MailStatus.FAILED_TEMPORARY,
            next_attempt_at=run_after,
            last_error=error,
            lease_expires_at=None,
            failing_since=Coalesce(F("failing_since"), now),
        )
        if send_outgoing_mail.get_backend().supports_defer and not settings.MAIL_SENT_BY_WORKERS:
            send_outgoing_mail.using(run_after=run_after).enqueue(mail.pk)
        # Otherwise the workers' pump (``insigne.mail.pump``) takes it once due, or,
        # with the immediate backend of tests, a direct call does.


def _finish(mail: OutgoingMail, status: str, error: str, signal: Signal) -> None:
    """Record a final failure, forget the content, and tell the owning app."""
    _store_outcome(mail, status, error)
    _announce(signal, [mail])


def _store_outcome(mail: OutgoingMail, status: str, error: str, **fields: object) -> None:
    """Write the final outcome and forget the content, on the row and on ``mail``.

    A body may hold a personal link whose token the database otherwise keeps
    only as a hash; once the mail is out (or given up) nothing needs it, so the
    bodies and attachments go and the row keeps what support reads: kind,
    recipient, subject, dates, outcome.
    """
    values: dict[str, object] = {
        "status": status,
        "last_error": error,
        "next_attempt_at": None,
        "lease_expires_at": None,
        "text_body": "",
        "html_body": "",
        **fields,
    }
    row = OutgoingMail.objects.filter(pk=mail.pk)
    if _has_attachments(mail):
        with transaction.atomic():
            row.update(**values)
            OutgoingAttachment.objects.filter(mail_id=mail.pk).delete()
    else:
        row.update(**values)  # autocommit: one statement, one commit
    for name, value in values.items():
        setattr(mail, name, value)


def _has_attachments(mail: OutgoingMail) -> bool:
    """From the prefetched attachments when the claim read them, else one query."""
    return bool(mail.attachments.all())


def _announce(signal: Signal, mails: list[OutgoingMail]) -> None:
    # A receiver's bug must not turn a delivered mail into a retried one.
    for receiver, result in signal.send_robust(sender=OutgoingMail, mails=mails):
        if isinstance(result, Exception):
            logger.error("%d mails: receiver %r failed: %r", len(mails), receiver, result)
