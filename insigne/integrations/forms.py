from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from insigne.integrations.models import Scope

MAX_VALIDITY_DAYS = 730


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du jeton"),
        max_length=100,
        help_text=_("Le système qui l'utilise, par exemple « SI de l'Agence — production »."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Droits"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ne donnez que les droits dont ce système a besoin."),
    )
    expires_on = forms.DateField(
        label=_("Expire le"),
        help_text=_("Format JJ/MM/AAAA ; deux ans au plus."),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )

    def clean_expires_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if day <= today:
            raise forms.ValidationError(_("La date d'expiration doit être dans le futur."))
        if day > today + dt.timedelta(days=MAX_VALIDITY_DAYS):
            raise forms.ValidationError(_("Un jeton vaut deux ans au plus."))
        return day

    def expires_at(self) -> dt.datetime:
        day: dt.date = self.cleaned_data["expires_on"]
        return dt.datetime.combine(day, dt.time.max, tzinfo=timezone.get_current_timezone())
