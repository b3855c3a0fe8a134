from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

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
