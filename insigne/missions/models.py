"""Mission records as the Agency knows them, and the trace of every import.

A mission row is the Agency's truth: imports upsert it by ``external_id``. The
volunteer's identity lives on the mission (one record per mission in the
Agency's system too); what the volunteer validates is copied onto the
credential, so an import never changes an issued badge.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Domain(models.TextChoices):
    """The nine official Service Civique domains."""

    SOLIDARITE = "solidarite", _("Solidarité")
    SANTE = "sante", _("Santé")
    EDUCATION = "education", _("Éducation pour tous")
    CULTURE = "culture", _("Culture et loisirs")
    SPORT = "sport", _("Sport")
    ENVIRONNEMENT = "environnement", _("Environnement")
    MEMOIRE = "memoire", _("Mémoire et citoyenneté")
    INTERNATIONAL = "international", _("Développement international et action humanitaire")
    URGENCE = "urgence", _("Intervention d'urgence en cas de crise")


class EndReason(models.TextChoices):
    TERM = "terme", _("Terme de la mission")
    EARLY = "rupture_anticipee", _("Rupture anticipée")


class Mission(models.Model):
    external_id = models.CharField(_("identifiant de mission"), max_length=64, unique=True)
    given_name = models.CharField(_("prénom"), max_length=300)
    family_name = models.CharField(_("nom"), max_length=300)
    email = models.EmailField(_("adresse électronique"), max_length=254, db_index=True)
    start_date = models.DateField(_("date de début"))
    planned_end_date = models.DateField(_("date de fin prévue"))
    actual_end_date = models.DateField(_("date de fin effective"), null=True, blank=True)
    end_reason = models.CharField(
        _("motif de fin"), max_length=32, choices=EndReason.choices, default=EndReason.TERM
    )
    host_name = models.CharField(_("structure d'accueil"), max_length=300)
    host_siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    host_agrement = models.CharField(_("numéro d'agrément"), max_length=64, blank=True)
    domain = models.CharField(_("domaine"), max_length=32, choices=Domain.choices)
    commune = models.CharField(_("commune"), max_length=200, blank=True)
    departement = models.CharField(_("département"), max_length=3, blank=True)
    title = models.CharField(_("intitulé de la mission"), max_length=300, blank=True)

    eligible = models.BooleanField(_("éligible"), default=False)
    ineligibility_reason = models.CharField(
        _("motif de non-éligibilité"), max_length=64, blank=True
    )
    email_undeliverable = models.BooleanField(_("adresse en échec"), default=False)
    # ``csv_format.row_digest`` of the import row the mission was last written from;
    # cleared by any other change of those fields (see ``missions.services``).
    import_digest = models.BigIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mission")
        indexes = [
            models.Index(fields=["eligible", "actual_end_date"], name="mission_invitable_idx"),
            models.Index(fields=["family_name", "given_name"], name="mission_name_idx"),
            # The Passport's "Synchroniser" looks badges up by address, whatever its case.
            models.Index(Lower("email"), name="mission_email_lower_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.external_id} — {self.given_name} {self.family_name}"


class MissionImport(models.Model):
    """One import run: where it came from, what it did, and every rejected row."""

    source = models.CharField(max_length=16)  # "csv", "upload", "api"
    filename = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    # Rows that would have changed a mission whose badge is already issued: counted in
    # ``unchanged`` too (the mission is left as it is) and listed in ``warnings``.
    unchanged_issued = models.PositiveIntegerField(default=0)
    # [{"line": 12, "field": "date_debut", "reason": "...", "raw": {...}}, ...]
    errors = models.JSONField(default=list)
    # Same shape; what was imported (or kept) but deserves a look: unknown columns,
    # rows left alone because the badge is already issued.
    warnings = models.JSONField(default=list)
    # Why the whole file was refused (unreadable, a required column missing); empty otherwise.
    failure = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.source}, {self.created_at:%Y-%m-%d %H:%M})"
