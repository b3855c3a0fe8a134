"""The Passport: the badges a volunteer keeps in their optional account (FAQ §7).

A ``KeptBadge`` is either one of ours (a link to the issued ``Credential``, whose
signed texts stay the issuer's record) or an imported badge, whose original bytes
are kept exactly as received. Deleting the account deletes these rows, never a
``Credential``.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from insigne.badges.models import Credential

# The kind of allauth's mails in the outgoing mail table.
ACCOUNT_MAIL = "account"


def new_token() -> str:
    """A 128-bit random token for a shared link (unguessable, URL-safe)."""
    return secrets.token_urlsafe(16)


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Privé : vous seul le voyez")
    LINK = "link", _("Avec le lien : seules les personnes qui ont le lien le voient")
    PUBLIC = "public", _("Public : affiché sur votre profil")


class Source(models.TextChoices):
    ISSUED = "issued", _("Délivré sur ce site")
    FILE = "file", _("Fichier importé")
    TEXT = "text", _("Texte collé")
    URL = "url", _("Adresse web")


class KeptBadge(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kept_badges"
    )
    source = models.CharField(max_length=8, choices=Source.choices)
    # Ours: the issued credential (the issuer's record, never deleted from here).
    credential = models.ForeignKey(
        Credential, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Imported: the bytes exactly as received, their name and their SHA-256.
    original = models.BinaryField(blank=True, default=b"")
    original_name = models.CharField(max_length=200, blank=True)
    original_sha256 = models.CharField(max_length=64, blank=True)
    container = models.CharField(max_length=8, blank=True)  # json, jwt, png, svg, url
    # What the verifier read, for the list (the badge's own words, not proven but the issuer id).
    title = models.CharField(max_length=300, blank=True)
    issuer_name = models.CharField(max_length=300, blank=True)
    recipient_name = models.CharField(max_length=300, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    # The verifier's last verdict (``insigne.verifier.result.Status``).
    status = models.CharField(max_length=12, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    # Whether the badge names one of the owner's verified addresses (None: nothing to test).
    addressed_to_owner = models.BooleanField(null=True)
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    position = models.PositiveIntegerField(default=0)
    share_token = models.CharField(max_length=32, unique=True, default=new_token)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("badge conservé")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "credential"],
                condition=models.Q(credential__isnull=False),
                name="kept_issued_once",
            ),
            models.UniqueConstraint(
                fields=["owner", "original_sha256"],
                condition=~models.Q(original_sha256=""),
                name="kept_import_once",
            ),
        ]

    def __str__(self) -> str:
        return f"Badge conservé {self.pk}"


class Profile(models.Model):
    """The owner's public portfolio: off until they publish it."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="passport_profile"
    )
    slug = models.CharField(max_length=32, unique=True, default=new_token)
    display_name = models.CharField(_("nom affiché"), max_length=100, blank=True)
    published = models.BooleanField(_("profil public"), default=False)

    def __str__(self) -> str:
        return f"Profil {self.pk}"


class WalletOffer(models.Model):
    """A one-time offer of one issued credential to a wallet (Learner Credential Wallet's
    VC-API exchange, ``insigne/passport/wallet.py``). The exchange address carries a
    192-bit token; only its SHA-256 is stored. It works once, for a few minutes."""

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="+")
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("offre au portefeuille")

    def __str__(self) -> str:
        return f"Offre {self.pk}"
