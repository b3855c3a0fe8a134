"""What the programme team drives: background imports, backfill campaigns, daily counters.

Each model also carries the staff permissions of its pages (``Meta.permissions``;
``insigne.platform.access.requires`` checks them).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from insigne.missions.models import MissionImport


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échoué")


class BackgroundImport(models.Model):
    """A mission file uploaded by staff, imported by a task; the page polls its progress.

    The file's bytes are kept in the database until the task has read them (every
    web process and worker sees them, wherever it runs), then erased: what stays
    is the import's summary (``result``) and its rejected rows.
    """

    filename = models.CharField(_("fichier"), max_length=255)
    size = models.PositiveBigIntegerField(_("taille (octets)"), default=0)
    data = models.BinaryField(default=bytes)
    status = models.CharField(
        _("état"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    # Rows read so far, and an estimate of the total (the file's line count).
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    result = models.OneToOneField(
        MissionImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="background"
    )
    failure = models.TextField(blank=True)
    # What became of the imported missions: eligible, and when they will be invited
    # (``insigne.programme.imports.invitation_outlook``).
    outlook = models.JSONField(default=dict)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import en arrière-plan")
        verbose_name_plural = _("imports en arrière-plan")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"

    @property
    def percent(self) -> int:
        return _percent(self.rows_done, self.rows_total, self.status == ImportStatus.DONE)


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    RUNNING = "running", _("En cours")
    PAUSED = "paused", _("En pause")
    FINISHED = "finished", _("Terminée")


class Campaign(models.Model):
    """A backfill: invite the missions that ended in a period, at most ``per_hour`` an hour.

    All of its state is here, so a campaign survives any restart: the workers'
    tick (``insigne.programme.campaigns.tick``) reads it, invites, and writes it
    back. ``window_start`` opens the current hour window and ``window_sent``
    counts what it used (reserved before inviting, corrected after: a worker that
    dies mid-tick can only make the hour send fewer, never more).
    """

    name = models.CharField(_("nom"), max_length=200)
    ended_from = models.DateField(_("fin de mission à partir du"))
    ended_until = models.DateField(_("fin de mission jusqu'au"))
    per_hour = models.PositiveIntegerField(
        _("courriels par heure"), validators=[MinValueValidator(1), MaxValueValidator(100_000)]
    )
    status = models.CharField(
        _("état"), max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    # Missions to invite when the campaign started (what the page promised).
    planned = models.PositiveIntegerField(default=0)
    invited = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField(null=True, blank=True)
    window_sent = models.PositiveIntegerField(default=0)
    # A worker ticking this campaign holds it until then; another one skips it.
    lease_until = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("campagne de rattrapage")
        verbose_name_plural = _("campagnes de rattrapage")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_from__lte=models.F("ended_until")),
                name="campaign_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def percent(self) -> int:
        return _percent(self.invited, self.planned, self.status == CampaignStatus.FINISHED)


class CountKind(models.TextChoices):
    BADGE_VIEW = "badge_view", _("Visites de pages de badge")
    LINKEDIN_CLICK = "linkedin_click", _("Clics « Ajouter à LinkedIn »")


class DailyCount(models.Model):
    """How many times something happened on one day: a number, never who or which badge."""

    kind = models.CharField(max_length=32, choices=CountKind.choices)
    day = models.DateField(default=dt.date.today)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("compteur quotidien")
        verbose_name_plural = _("compteurs quotidiens")
        constraints = [
            models.UniqueConstraint(fields=["kind", "day"], name="daily_count_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.day}: {self.count}"


def _percent(done: int, total: int, finished: bool) -> int:
    """A progress bar's value: 100 only once finished, never 100 before."""
    if finished:
        return 100
    return min(99, done * 100 // total) if total else 0
