"""Queue a mail so that it leaves only once the caller's transaction has committed."""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from html import escape as html_escape

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from insigne.mail.models import MailPriority, MailStatus, OutgoingAttachment, OutgoingMail
from insigne.mail.tasks import send_outgoing_mail
from insigne.platform import bulk

logger = logging.getLogger(__name__)

# (filename, content, mimetype), e.g. ("badge.png", b"\x89PNG...", "image/png")
Attachment = tuple[str, bytes, str]

# Given-up and refused mails stay in the staff's banner until they are dealt with.
NEEDS_STAFF = (MailStatus.FAILED, MailStatus.UNDELIVERABLE)
SUMMARY_KEPT = 2 * 24 * 3600  # seconds the "summary sent today" mark is kept

# A mail still waiting this long after its due time lost its task (a worker or a
# web process died between the commit and the enqueue): the sweep queues it again.
OVERDUE_AFTER = dt.timedelta(minutes=10)
SWEEP_BATCH = 500  # overdue mails looked at per sweep


def queue_mail(
    *,
    kind: str,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    attachments: Iterable[Attachment] = (),
    related_key: str = "",
    priority: int = MailPriority.REPLY,
) -> OutgoingMail:
    """Store the mail and send it after the surrounding transaction commits.

    Called inside a service's ``transaction.atomic()`` block, a rollback cancels
    the mail too; outside any transaction it is queued at once. With
    ``MAIL_SENT_BY_WORKERS`` the workers' pump sends it (``insigne.mail.pump``);
    otherwise a task per mail does.
    """
    # Within the caller's transaction no savepoint of its own: a failure here fails
    # the caller's whole step anyway.
    with transaction.atomic(savepoint=False):
        mail = OutgoingMail.objects.create(
            kind=kind,
            to=to,
            subject=subject,
            text_body=text,
            html_body=html,
            related_key=related_key,
            priority=priority,
        )
        OutgoingAttachment.objects.bulk_create(
            OutgoingAttachment(mail=mail, filename=name, content=content, mimetype=mimetype)
            for name, content, mimetype in attachments
        )
        if not settings.MAIL_SENT_BY_WORKERS:
            transaction.on_commit(partial(send_outgoing_mail.enqueue, mail.pk))
    logger.info("mail %s (%s) queued", mail.pk, kind)
    return mail


@dataclass(frozen=True)
class QueuedMail:
    """One mail of a batch for ``queue_mails``."""

    kind: str
    to: str
    subject: str
    text: str
    html: str = ""
    related_key: str = ""
    priority: int = MailPriority.BULK
    attachments: tuple[Attachment, ...] = ()


def queue_mails(mails: Sequence[QueuedMail]) -> list[int]:
    """``queue_mail`` for a batch: one insert of the mails, one of their attachments
    (``bulk.create``); return the mails' ids.

    Call it inside the transaction that creates what the mails are about (a
    rollback cancels them all). Without ``MAIL_SENT_BY_WORKERS``, one sending
    task per mail is enqueued once the transaction has committed.
    """
    if not mails:
        return []
    now, created = timezone.now(), [OutgoingMail(**_row(mail)) for mail in mails]
    bulk.create(OutgoingMail, created, now)  # by COPY on PostgreSQL: bodies are kilobytes
    ids = [mail.pk for mail in created]
    attachments = [
        OutgoingAttachment(mail_id=mail_id, filename=name, content=content, mimetype=mimetype)
        for mail, mail_id in zip(mails, ids, strict=True)
        for name, content, mimetype in mail.attachments
    ]
    bulk.create(OutgoingAttachment, attachments, now)
    if not settings.MAIL_SENT_BY_WORKERS:
        for mail_id in ids:
            transaction.on_commit(partial(send_outgoing_mail.enqueue, mail_id))
    logger.info("%d mails (%s) queued", len(ids), mails[0].kind)
    return ids


def _row(mail: QueuedMail) -> dict[str, object]:
    return {
        "kind": mail.kind,
        "to": mail.to,
        "subject": mail.subject,
        "text_body": mail.text,
        "html_body": mail.html,
        "related_key": mail.related_key,
        "priority": mail.priority,
    }


def render_mails(
    template: str, contexts: Sequence[dict[str, object]], varying: Sequence[str] = ()
) -> list[tuple[str, str]]:
    """``render_mail`` for a batch: both templates looked up once, then rendered for
    each context (the compiled template objects are reused).

    ``varying``: the context's keys that differ from one mail to the next, each a
    text the templates print as it is (``{{ given_name }}``, no filter, no test).
    Then the templates are rendered once for the batch, with a mark in place of
    each such value, and each mail is that skeleton with its own values put in
    (escaped in HTML, as the template would): the same text, byte for byte, for a
    fraction of the work. The first mail is also rendered in full and compared;
    should they differ (a template that filters or tests one of those values),
    every mail of the batch is rendered in full. So is a mail with an empty value,
    which a template might test.
    """
    text_template = get_template(f"{template}.txt")
    html_template = get_template(f"{template}.html")
    common = {"SUPPORT_EMAIL": settings.SUPPORT_EMAIL, "ISSUER_NAME": settings.INSIGNE_ISSUER_NAME}

    def full(context: dict[str, object]) -> tuple[str, str]:
        merged = common | context
        return text_template.render(merged).strip() + "\n", html_template.render(merged)

    if not varying or not contexts:
        return [full(context) for context in contexts]
    marks = {name: f"{_MARK}{index}{_MARK_END}" for index, name in enumerate(varying)}
    text, html = full(dict(contexts[0]) | marks)
    text_parts, html_parts = _MARKED.split(text), _MARKED.split(html)

    def stamped(context: dict[str, object]) -> tuple[str, str] | None:
        values = [str(context[name]) for name in varying]
        if not all(values):
            return None
        escaped = [html_escape(value) for value in values]  # what {{ }} does, as Django does it
        return _fill(text_parts, values), _fill(html_parts, escaped)

    first = full(contexts[0])
    if stamped(contexts[0]) != first:
        logger.warning("mail %s: rendered in full (its skeleton differs)", template)
        return [first, *(full(context) for context in contexts[1:])]
    return [first, *(stamped(context) or full(context) for context in contexts[1:])]


# A value's place in a rendered skeleton: letters and digits only, which no escaping
# changes, unknown outside this process.
_MARK = "m" + secrets.token_hex(8)
_MARK_END = "k"
_MARKED = re.compile(rf"{_MARK}(\d+){_MARK_END}")


def _fill(parts: list[str], values: list[str]) -> str:
    """A skeleton split by ``_MARKED`` (text, index, text…) with ``values`` put in."""
    out = parts.copy()
    for position in range(1, len(out), 2):
        out[position] = values[int(parts[position])]
    return "".join(out)


def render_mail(template: str, context: dict[str, object]) -> tuple[str, str]:
    """Render ``<template>.txt`` and ``<template>.html`` (both extending the
    ``mail/base_email`` layouts) and return ``(text, html)``.

    ``SUPPORT_EMAIL`` and ``ISSUER_NAME`` are added for the shared header and footer,
    ``ISSUER_IN_SENTENCE`` (the name with its article) for running text.
    """
    full = {
        "SUPPORT_EMAIL": settings.SUPPORT_EMAIL,
        "ISSUER_NAME": settings.INSIGNE_ISSUER_NAME,
        "ISSUER_IN_SENTENCE": settings.INSIGNE_ISSUER_NAME_IN_SENTENCE,
        **context,
    }
    text = render_to_string(f"{template}.txt", full).strip() + "\n"
    return text, render_to_string(f"{template}.html", full)


def requeue_overdue_mail(
    with_live_task: Callable[[list[int]], set[int]] = lambda mail_ids: set(),
) -> int:
    """Queue again the mails whose task was lost, and those whose sender died; return how many.

    ``with_live_task`` says which of some mail ids still have a task waiting or
    running in the task backend (the worker asks its database queue): those are
    left alone, so a long backlog is not queued a second time. Safe to run often
    and from several workers: the sending task claims each mail with a
    conditional update, so a duplicate task sends nothing. Needless when the
    workers' pump sends mail: it reads the mail table itself.
    """
    if settings.MAIL_SENT_BY_WORKERS:
        return 0
    now = timezone.now()
    limit = now - OVERDUE_AFTER
    lost = Q(status=MailStatus.PENDING, created_at__lt=limit) | Q(
        status=MailStatus.FAILED_TEMPORARY, next_attempt_at__lt=limit
    )
    abandoned = Q(status=MailStatus.SENDING, lease_expires_at__lt=now)
    overdue = OutgoingMail.objects.filter(lost | abandoned).order_by("pk")
    candidates = list(overdue.values_list("pk", flat=True)[:SWEEP_BATCH])
    alive = with_live_task(candidates) if candidates else set()
    ids = [mail_id for mail_id in candidates if mail_id not in alive]
    for mail_id in ids:
        send_outgoing_mail.enqueue(mail_id)
    if ids:
        logger.warning("%d overdue mails queued again", len(ids))
    return len(ids)


def needing_staff() -> QuerySet[OutgoingMail]:
    """Given-up mails and refused addresses nobody has dealt with yet."""
    return OutgoingMail.objects.filter(status__in=NEEDS_STAFF, handled_at=None)


def staff_counts() -> dict[str, int]:
    """``{"failed": n, "undeliverable": m}`` for the banner and the daily summary."""
    counts = dict(needing_staff().order_by().values_list("status").annotate(n=Count("pk")))
    return {status: counts.get(status, 0) for status in NEEDS_STAFF}


def send_daily_summary() -> bool:
    """Mail ``SUPPORT_EMAIL`` what awaits staff, once a day whatever the number of
    workers (the first to mark the date in the shared cache sends it); nothing
    when nothing awaits. Counts and a link only: no address leaves in it."""
    counts = staff_counts()
    if not any(counts.values()):
        return False
    if not cache.add(f"insigne:mail-summary:{timezone.localdate()}", True, SUMMARY_KEPT):
        return False
    with translation.override("fr"):
        text = _(
            "Courriels donnés pour perdus : %(failed)d abandonné(s) après tous les essais, "
            "%(undeliverable)d refusé(s) par le serveur du destinataire.\n\n"
            "Pour les renvoyer en une fois, ou corriger une adresse : %(url)s\n"
        ) % {**counts, "url": settings.SITE_URL + reverse("console_support")}
        subject = _("Insigne : courriels à reprendre")
    queue_mail(kind="staff-summary", to=settings.SUPPORT_EMAIL, subject=subject, text=text)
    logger.info("daily mail summary queued: %s", counts)
    return True
