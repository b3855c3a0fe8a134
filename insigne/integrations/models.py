"""Tokens of the integrator API: what an administrator handed out, stored as a hash."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    MISSIONS_WRITE = "missions:write", _("Envoyer des missions")
    MISSIONS_READ = "missions:read", _("Lire l'état des missions")
    CREDENTIALS_READ = "credentials:read", _("Lister les badges émis et révoqués")
    CREDENTIALS_REVOKE = "credentials:revoke", _("Révoquer et corriger des badges")


class ApiToken(models.Model):
    """One integrator's token. Only the SHA-256 of the 256-bit secret is kept.

    ``prefix`` (the secret's first characters) lets staff and the integrator tell
    tokens apart; it does not let anyone use one.
    """

    name = models.CharField(_("nom"), max_length=100)
    prefix = models.CharField(_("début du jeton"), max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("droits"), default=list)
    expires_at = models.DateTimeField(_("expire le"))
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def scope_labels(self) -> list[str]:
        return [str(Scope(scope).label) for scope in self.scopes if scope in Scope.values]
