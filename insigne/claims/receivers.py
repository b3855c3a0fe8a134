"""Outcomes of the journey's mails, recorded on the invitation and the mission."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import DateTimeField
from django.dispatch import receiver

from insigne.badges.models import Credential
from insigne.claims.models import Invitation
from insigne.mail.models import OutgoingMail
from insigne.mail.signals import mail_sent, mail_undeliverable
from insigne.missions.models import Mission
from insigne.platform import bulk


def _sent_times(mails: list[OutgoingMail], prefix: str) -> dict[int, dt.datetime]:
    times = {}
    for mail in mails:
        related = mail.related_id(prefix)
        if related is not None and mail.sent_at is not None:
            times[related] = mail.sent_at
    return times


@receiver(mail_sent)
def record_sent(sender: Any, mails: list[OutgoingMail], **kwargs: Any) -> None:
    """One UPDATE for the invitations of a batch, one for its badges."""
    if invitations := _sent_times(mails, "invitation"):
        Invitation.objects.filter(pk__in=invitations, sent_at=None).update(
            sent_at=bulk.each_own(invitations, DateTimeField())
        )
    if credentials := _sent_times(mails, "credential"):
        Credential.objects.filter(pk__in=credentials).update(
            mailed_at=bulk.each_own(credentials, DateTimeField())
        )


@receiver(mail_undeliverable)
def record_undeliverable_address(sender: Any, mails: list[OutgoingMail], **kwargs: Any) -> None:
    """A refused address is flagged for support (console) instead of being retried."""
    ids = [pk for mail in mails if (pk := mail.related_id("invitation")) is not None]
    if ids:
        Mission.objects.filter(invitation__pk__in=ids).update(email_undeliverable=True)
