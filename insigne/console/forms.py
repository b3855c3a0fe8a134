from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SupportSearchForm(forms.Form):
    """What a volunteer writing to support gives: names, dates, place (FAQ §6)."""

    name = forms.CharField(label=_("Nom ou prénom"), required=False, max_length=300)
    email = forms.CharField(label=_("Adresse électronique"), required=False, max_length=254)
    place = forms.CharField(
        label=_("Commune, département ou organisme"), required=False, max_length=200
    )
    ended_from = forms.DateField(label=_("Fin de mission après le"), required=False)
    ended_until = forms.DateField(label=_("Fin de mission avant le"), required=False)

    def has_criteria(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())


class ChangeAddressForm(forms.Form):
    email = forms.EmailField(
        label=_("Nouvelle adresse électronique"),
        error_messages={"invalid": _("Saisissez une adresse électronique valide.")},
    )
