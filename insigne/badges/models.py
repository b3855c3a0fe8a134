"""Badge classes and issued credentials.

A ``Credential`` stores exactly the bytes that were signed (OB 3.0 JSON with its
Data Integrity proof, the VC-JWT, the OB 2.0 assertion); pages and downloads
serve those stored texts, and baked images are made from them on request.
"""

from __future__ import annotations

import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _


class BadgeClass(models.Model):
    """The badge a programme awards (OB 3.0 ``Achievement``, OB 2.0 ``BadgeClass``)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("titre"), max_length=200)
    # Rendered with the mission's fields: {given_name}, {family_name}, {host_name},
    # {domain}, {start_date}, {end_date}, {months}, {title}.
    description_template = models.TextField(_("modèle de description"))
    criteria = models.TextField(_("critères d'obtention"))
    # [{"name": ..., "description": ..., "framework": "ESCO", "code": ..., "url": ...}]
    competencies = models.JSONField(_("compétences"), default=list)
    image = models.BinaryField(_("image PNG"))
    image_svg = models.TextField(_("image SVG"), blank=True)
    # SHA-256 of both images, set on every save: pages name the images by it (ETag,
    # in-memory copy) and read the blob itself only when it changed.
    image_digest = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("modèle de badge")
        verbose_name_plural = _("modèles de badge")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.image_digest = image_digest(bytes(self.image), self.image_svg)
        update_fields = kwargs.get("update_fields")
        if isinstance(update_fields, list | tuple | set | frozenset) and (
            set(IMAGE_COLUMNS) & set(update_fields)
        ):
            kwargs["update_fields"] = {*update_fields, "image_digest"}
        super().save(*args, **kwargs)  # type: ignore[arg-type]


# The medal's columns: rows read to sign or show a badge leave them out
# (``.defer(*IMAGE_COLUMNS)``) and take the images from ``presenter.medal``.
IMAGE_COLUMNS = ("image", "image_svg")


def image_digest(png: bytes, svg: str) -> str:
    digest = hashlib.sha256(png)
    digest.update(b"\0")
    digest.update(svg.encode("utf-8"))
    return digest.hexdigest()


class Visibility(models.TextChoices):
    """Who sees a badge page (its name, host organisation and dates): the holder decides.

    Verification by file works whatever the choice: the signed badge carries its proof.
    """

    PUBLIC = "public", _("Publique : visible par tous et par les moteurs de recherche")
    LINK = "link", _("Accessible par le lien seulement : hors des moteurs de recherche")
    HIDDEN = "hidden", _("Masquée : la page n'est visible que par moi")


class Credential(models.Model):
    public_id = models.CharField(max_length=32, unique=True)
    badge_class = models.ForeignKey(BadgeClass, on_delete=models.PROTECT)
    # What the volunteer validated (the record may change later; the badge does not).
    given_name = models.CharField(max_length=300)
    family_name = models.CharField(max_length=300)
    host_name = models.CharField(max_length=300)
    recipient_salt = models.CharField(max_length=64)
    issued_at = models.DateTimeField()
    ob3_json = models.TextField()
    ob3_jwt = models.TextField()
    ob2_json = models.TextField()
    status_index = models.PositiveIntegerField(unique=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(max_length=300, blank=True)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaces"
    )
    # When the relay accepted the latest badge mail (delivery attempts: mail.OutgoingMail).
    mailed_at = models.DateTimeField(null=True, blank=True)
    # Link-only by default: shared links work, search engines do not list the page.
    visibility = models.CharField(
        _("visibilité de la page"), max_length=8, choices=Visibility, default=Visibility.LINK
    )
    # The verifier's verdict on the signed bytes, kept since they never change
    # (``insigne.verifier.stored``): ``verdict_key`` names what it was computed
    # from (issuer keys, revocation, replacement); any change makes it stale.
    verdict = models.JSONField(null=True, blank=True, editable=False)
    verdict_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("badge émis")
        verbose_name_plural = _("badges émis")
        indexes = [
            # The status list and the OB 2.0 revocation list read the revoked only.
            models.Index(
                fields=["revoked_at", "status_index"],
                condition=models.Q(revoked_at__isnull=False),
                name="credential_revoked",
            ),
        ]

    def __str__(self) -> str:
        return f"Badge {self.public_id}"


# Status-list slots of corrected (reissued) badges start here; first issues use the
# invitation's id (below it). See ``insigne.badges.services.allocate_status_index``.
REISSUE_INDEX_BASE = 1 << 22


class StatusSlot(models.Model):
    """One status-list index given to a reissued credential (``REISSUE_INDEX_BASE + id``)."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("emplacement de liste de statut")
        verbose_name_plural = _("emplacements de liste de statut")

    def __str__(self) -> str:
        return str(self.index)

    @property
    def index(self) -> int:
        return REISSUE_INDEX_BASE + self.pk
