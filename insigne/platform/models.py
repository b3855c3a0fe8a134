"""Counters of the rate limiter (``insigne.platform.ratelimit``) and the staff audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RateCounter(models.Model):
    """Hits of one key in its current window; the row goes once the window is over."""

    # SHA-256 of "scope:key", truncated: the address or e-mail itself is never stored.
    bucket = models.CharField(max_length=32, unique=True)
    window_start = models.BigIntegerField()  # Unix seconds of the window's first hit
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("compteur de limite de débit")
        verbose_name_plural = _("compteurs de limite de débit")

    def __str__(self) -> str:
        return f"{self.bucket}@{self.window_start}: {self.count}"


class AuditEntry(models.Model):
    """One staff action (``insigne.platform.audit``): never changed once written."""

    at = models.DateTimeField(_("date"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as written when the action happened, even if the account is deleted later.
    actor_name = models.CharField(_("nom de l'auteur"), max_length=150)
    action = models.CharField(_("action"), max_length=40)
    target = models.CharField(_("objet"), max_length=64, db_index=True)
    mission_id = models.PositiveBigIntegerField(_("mission"), null=True, blank=True, db_index=True)
    before = models.JSONField(_("avant"), default=dict, blank=True)
    after = models.JSONField(_("après"), default=dict, blank=True)
    reason = models.CharField(_("motif"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("entrée du journal des actions")
        verbose_name_plural = _("journal des actions")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target}"
