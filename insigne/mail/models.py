"""Outgoing mail as rows: what to send, where it stands, and the mails the demo caught.

Mail is a side effect of a committed transaction: a service creates an
``OutgoingMail`` row and the sending task picks it up after the commit. The row
is the retry state (attempts, next attempt, last error), so a worker that
restarts or a second worker never sends a mail twice. A mail being sent carries
a lease (``lease_expires_at``): should its worker die, the mail becomes sendable
again by any worker once the lease is over, with the same ``Message-ID``.
"""

from __future__ import annotations

from email.utils import parseaddr

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MailStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    SENDING = "sending", _("En cours d'envoi")
    SENT = "sent", _("Envoyé")
    FAILED_TEMPORARY = "failed_temporary", _("Échec temporaire, nouvel essai prévu")
    FAILED = "failed", _("Abandonné après plusieurs essais")
    UNDELIVERABLE = "undeliverable", _("Adresse refusée")


# Mails still to send: the pump's partial index holds these rows only.
UNSENT = [MailStatus.PENDING.value, MailStatus.FAILED_TEMPORARY.value, MailStatus.SENDING.value]


class MailPriority(models.IntegerChoices):
    """Which mail leaves first when many wait: a volunteer waiting for an answer first."""

    REPLY = 0, _("Réponse attendue (badge, lien renvoyé)")
    BULK = 10, _("Envoi de masse (invitations)")


class OutgoingMail(models.Model):
    # "invitation", "badge", "resend", ...: chosen by the app that queues the mail.
    kind = models.CharField(_("type"), max_length=32)
    to = models.EmailField(_("destinataire"), max_length=254)
    subject = models.CharField(_("objet"), max_length=300)
    text_body = models.TextField(_("texte"))
    html_body = models.TextField(_("HTML"), blank=True)
    # What the mail is about, e.g. "invitation:12", so the owning app can react
    # to the outcome (signals in ``insigne.mail.signals``) without a foreign key here.
    related_key = models.CharField(_("objet lié"), max_length=64, blank=True, db_index=True)
    status = models.CharField(
        _("état"), max_length=20, choices=MailStatus.choices, default=MailStatus.PENDING
    )
    priority = models.PositiveSmallIntegerField(
        _("priorité"), choices=MailPriority.choices, default=MailPriority.REPLY
    )
    attempts = models.PositiveSmallIntegerField(_("essais"), default=0)
    next_attempt_at = models.DateTimeField(_("prochain essai"), null=True, blank=True)
    last_error = models.CharField(_("dernière erreur"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(_("fin du bail d'envoi"), null=True, blank=True)
    # First temporary failure of the current run of tries: the give-up horizon counts from it.
    failing_since = models.DateTimeField(_("en échec depuis"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    # A given-up or refused mail that staff dealt with (retried): no longer in the banner.
    handled_at = models.DateTimeField(_("traité le"), null=True, blank=True)

    class Meta:
        verbose_name = _("courriel sortant")
        verbose_name_plural = _("courriels sortants")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="mail_due_idx"),
            # The pump's claim: sendable mails, most urgent and oldest first. Partial, so
            # that it holds only the mails still to send (the sent ones are the many) and
            # the claim walks it in order, whatever the size of the table.
            models.Index(
                fields=["priority", "id"],
                name="mail_unsent_idx",
                condition=models.Q(status__in=UNSENT),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def message_id(self) -> str:
        """The same ``Message-ID`` at every try, so a resent copy is recognisable."""
        domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "insigne.invalid"
        stamp = int(self.created_at.timestamp()) if self.created_at else 0
        return f"<mail-{self.pk}.{stamp}@{domain}>"

    def related_id(self, prefix: str) -> int | None:
        """The id in ``related_key`` when it is ``"<prefix>:<id>"``, else None."""
        name, _sep, value = self.related_key.partition(":")
        return int(value) if name == prefix and value.isdigit() else None


class SendingSlot(models.Model):
    """Mails claimed for sending in one minute, all workers together: ``MAIL_RATE_PER_HOUR``.

    The pump adds to the current minute's slot in the transaction that claims a
    batch, under one lock, so the hourly cap is read from at most 61 small rows
    rather than counted over the mail table, and holds across workers.
    """

    minute = models.DateTimeField(primary_key=True)
    mails = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("créneau d'envoi")
        verbose_name_plural = _("créneaux d'envoi")

    def __str__(self) -> str:
        return f"{self.minute:%Y-%m-%d %H:%M} {self.mails}"


class OutgoingAttachment(models.Model):
    mail = models.ForeignKey(OutgoingMail, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    mimetype = models.CharField(max_length=100)
    content = models.BinaryField()

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename


class CaughtMail(models.Model):
    """A message received by the demo SMTP catcher (demo mode only)."""

    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    envelope_from = models.CharField(max_length=300)
    envelope_to = models.TextField()  # comma-separated recipients
    subject = models.CharField(max_length=300, blank=True)
    raw = models.BinaryField()

    class Meta:
        verbose_name = _("courriel reçu (démo)")
        verbose_name_plural = _("courriels reçus (démo)")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d %H:%M} {self.subject}"
