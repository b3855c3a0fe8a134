"""Queue a mail so that it leaves only once the caller's transaction has committed."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from insigne.mail.models import MailStatus, OutgoingAttachment, OutgoingMail
from insigne.mail.tasks import send_outgoing_mail

logger = logging.getLogger(__name__)

# (filename, content, mimetype), e.g. ("badge.png", b"\x89PNG...", "image/png")
Attachment = tuple[str, bytes, str]

# A mail still waiting this long after its due time lost its task (a worker or a
# web process died between the commit and the enqueue): the sweep queues it again.
OVERDUE_AFTER = dt.timedelta(minutes=10)


def queue_mail(
    *,
    kind: str,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    attachments: Iterable[Attachment] = (),
    related_key: str = "",
) -> OutgoingMail:
    """Store the mail and send it after the surrounding transaction commits.

    Called inside a service's ``transaction.atomic()`` block, a rollback cancels
    the mail too; outside any transaction it is queued at once.
    """
    with transaction.atomic():
        mail = OutgoingMail.objects.create(
            kind=kind,
            to=to,
            subject=subject,
            text_body=text,
            html_body=html,
            related_key=related_key,
        )
        OutgoingAttachment.objects.bulk_create(
            OutgoingAttachment(mail=mail, filename=name, content=content, mimetype=mimetype)
            for name, content, mimetype in attachments
        )
        transaction.on_commit(partial(send_outgoing_mail.enqueue, mail.pk))
    logger.info("mail %s (%s) queued", mail.pk, kind)
    return mail


def render_mail(template: str, context: dict[str, object]) -> tuple[str, str]:
    """Render ``<template>.txt`` and ``<template>.html`` (both extending the
    ``mail/base_email`` layouts) and return ``(text, html)``.

    ``SUPPORT_EMAIL`` and ``ISSUER_NAME`` are added for the shared header and footer.
    """
    full = {
        "SUPPORT_EMAIL": settings.SUPPORT_EMAIL,
        "ISSUER_NAME": settings.INSIGNE_ISSUER_NAME,
        **context,
    }
    text = render_to_string(f"{template}.txt", full).strip() + "\n"
    return text, render_to_string(f"{template}.html", full)


def requeue_overdue_mail() -> int:
    """Queue again the mails whose task was lost, and those whose sender died; return how many.

    Safe to run often and from several workers: the sending task claims each
    mail with a conditional update, so a duplicate task sends nothing.
    """
    now = timezone.now()
    limit = now - OVERDUE_AFTER
    lost = Q(status=MailStatus.PENDING, created_at__lt=limit) | Q(
        status=MailStatus.FAILED_TEMPORARY, next_attempt_at__lt=limit
    )
    abandoned = Q(status=MailStatus.SENDING, lease_expires_at__lt=now)
    overdue = OutgoingMail.objects.filter(lost | abandoned).values_list("pk", flat=True)
    ids = list(overdue[:500])
    for mail_id in ids:
        send_outgoing_mail.enqueue(mail_id)
    if ids:
        logger.warning("%d overdue mails queued again", len(ids))
    return len(ids)
