"""Mission records as the Agency knows them, and the trace of every import.

A mission row is the Agency's truth: imports upsert it by ``external_id``. The
volunteer's identity lives on the mission (one record per mission in the
Agency's system too); what the volunteer validates is copied onto the
credential, so an import never changes an issued badge.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from insigne.platform import bulk
from insigne.platform.departements import departements
from insigne.platform.text import fold


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
    # Looked up as LOWER(email) only (index ``mission_email_lower_idx``): no plain index.
    email = models.EmailField(_("adresse électronique"), max_length=254)
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
    # Folded (``insigne.platform.text.fold``) copies the support search compares:
    # names as recorded and as signed on the badge; commune, département, host.
    search_name = models.TextField(_("nom (recherche)"), blank=True, editable=False)
    search_place = models.TextField(_("lieu (recherche)"), blank=True, editable=False)
    # The import that created the mission, and the last one that changed it (an earlier
    # change's import is not kept: one column, not a history; support's changes are in
    # the audit log). Null for a mission made otherwise (demo, tests).
    created_by_import = models.ForeignKey(
        "MissionImport",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_by_import = models.ForeignKey(
        "MissionImport",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        indexes = [
            models.Index(fields=["eligible", "actual_end_date"], name="mission_invitable_idx"),
            models.Index(fields=["family_name", "given_name"], name="mission_name_idx"),
            # The Passport's "Synchroniser" looks badges up by address, whatever its case.
            models.Index(Lower("email"), name="mission_email_lower_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.external_id} — {self.given_name} {self.family_name}"

    def save(self, *args: object, **kwargs: object) -> None:
        """Keep the folded search columns in step (bulk writers call :func:`search_columns`)."""
        badge_names = self.search_name.partition(BADGE_NAMES)[2]
        columns = search_columns(
            self.given_name, self.family_name, self.host_name, self.commune, self.departement
        )
        signed = BADGE_NAMES + badge_names if badge_names else ""
        self.search_name = columns["search_name"] + signed
        self.search_place = columns["search_place"]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_name", "search_place"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]


def note_badge_names(*signed: tuple[Mission, str, str]) -> None:
    """Make each mission findable by the names as signed on its badge (issue, correction).

    ``signed``: ``(mission, given name, family name)``, one per badge. The names as
    recorded are the caller's missions', read with the invitations it issues for:
    one UPDATE for them all, no read.
    """
    texts: dict[int, str] = {}
    for mission, given_name, family_name in signed:
        record = search_columns(mission.given_name, mission.family_name, "", "", "")
        names = record["search_name"] + BADGE_NAMES + fold(f"{given_name} {family_name}")
        texts[mission.pk] = mission.search_name = names
    if texts:
        Mission.objects.filter(pk__in=texts).update(
            search_name=bulk.each_own(texts, models.TextField())
        )


# Separates the names as recorded from the names as signed on the badge in ``search_name``
# (a folded text holds only letters, digits and spaces, never a newline).
BADGE_NAMES = "\n"


# Names, communes, host organisations and départements repeat across a mission file:
# their folded forms are kept for the most recent ones (bounded memory), as the
# import's reader keeps their normal forms.
_fold = functools.lru_cache(maxsize=16384)(fold)


def search_columns(
    given_name: str,
    family_name: str,
    host_name: str,
    commune: str,
    departement: str,
    badge_names: tuple[str, ...] = (),
) -> dict[str, str]:
    """The folded search columns of a mission, for ``save()`` and for bulk writers.

    ``search_name``: the names as recorded, then (after a newline) the names as
    signed on the badge, which the volunteer may have corrected.
    ``search_place``: commune, host organisation, département code and name.
    Set-based imports fill both with this function; the search folds what the
    agent typed with the same :func:`~insigne.platform.text.fold`.
    """
    name = _fold(f"{given_name} {family_name}")
    if badge_names:
        name += BADGE_NAMES + _fold(" ".join(badge_names))
    place = " ".join(
        filter(
            None,
            (
                _fold(commune),
                _fold(host_name),
                _fold(departement),
                _fold(departements().get(departement.strip().upper(), "")),
            ),
        )
    )
    return {"search_name": name, "search_place": place}


class MissionImport(models.Model):
    """One import run: where it came from, what it did, and every rejected row.

    Recorded when the run starts (the missions it writes point to it), completed when
    it ends: ``finished_at`` is empty while it runs, and stays so if it was interrupted.
    """

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
        verbose_name = _("import de missions")
        verbose_name_plural = _("imports de missions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.source}, {self.created_at:%Y-%m-%d %H:%M})"

    @property
    def origin(self) -> str:
        """Where the rows came from, as the console names it: the API, or the file and how."""
        if self.source == "api":
            return str(_("API"))
        if self.source == "upload":
            user = self.uploaded_by.get_username() if self.uploaded_by else "—"
            return _("%(name)s (déposé par %(user)s)") % {"name": self.filename, "user": user}
        return _("%(name)s (commande)") % {"name": self.filename}
