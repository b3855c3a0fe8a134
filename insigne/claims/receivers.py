"""Outcomes of the journey's mails, recorded on the invitation and the mission."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from insigne.badges.models import Credential
from insigne.claims.models import Invitation
from insigne.mail.models import OutgoingMail
from insigne.mail.signals import mail_sent, mail_undeliverable
from insigne.missions.models import Mission


@receiver(mail_sent)
def record_sent(sender: Any, mail: OutgoingMail, **kwargs: Any) -> None:
    invitation_id = mail.related_id("invitation")
    if invitation_id is not None:
        Invitation.objects.filter(pk=invitation_id, sent_at=None).update(sent_at=mail.sent_at)
    credential_id = mail.related_id("credential")
    if credential_id is not None:
        Credential.objects.filter(pk=credential_id).update(mailed_at=mail.sent_at)


@receiver(mail_undeliverable)
def record_undeliverable_address(sender: Any, mail: OutgoingMail, **kwargs: Any) -> None:
    """A refused address is flagged for support (console) instead of being retried."""
    invitation_id = mail.related_id("invitation")
    if invitation_id is not None:
        Mission.objects.filter(invitation__pk=invitation_id).update(email_undeliverable=True)
