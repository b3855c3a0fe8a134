"""The programme's forms: the mission file to import, a backfill campaign."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# 100,000 missions take about 20 MB; the cap keeps one upload from filling the memory.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


TOO_LARGE = _("Le fichier dépasse 50 Mo : découpez-le en plusieurs.")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV des missions"),
        help_text=_("Séparateur ; ou , — encodage UTF-8 ou Windows-1252 — 50 Mo au plus."),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(TOO_LARGE)
        return upload

    @classmethod
    def too_large(cls) -> UploadForm:
        """The unbound form with the size error, for a body refused before it is read."""
        form = cls(data={})
        form.is_valid()
        form.errors.clear()
        form.add_error("file", TOO_LARGE)
        return form


DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Nom de la campagne"), max_length=200)
    ended_from = forms.DateField(
        label=_("Missions terminées à partir du"),
        help_text=_("Format JJ/MM/AAAA"),
        input_formats=DATE_FORMATS,
    )
    ended_until = forms.DateField(
        label=_("Missions terminées jusqu'au"),
        help_text=_("Format JJ/MM/AAAA, date incluse"),
        input_formats=DATE_FORMATS,
    )
    per_hour = forms.IntegerField(
        label=_("Courriels par heure"),
        min_value=1,
        max_value=100_000,
        help_text=_("La limite du relais de messagerie pour cette campagne."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: dt.date | None = data.get("ended_from")
        end: dt.date | None = data.get("ended_until")
        if start and end and start > end:
            self.add_error(
                "ended_until", _("La fin de la période doit suivre son début (dates inversées ?).")
            )
        for name in ("ended_from", "ended_until"):
            day = data.get(name)
            if day and not (dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31)):
                self.add_error(name, _("Date hors de la période du programme."))
        return data
