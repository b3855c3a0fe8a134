from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from insigne.platform.messages import MESSAGES, describe

REASON_REQUIRED: Any = MESSAGES["reason_required"]


class DateKind:
    END = "end"
    START = "start"


class SupportSearchForm(forms.Form):
    """What a volunteer writing to support gives: names, dates, place (FAQ §6)."""

    name = forms.CharField(label=_("Nom ou prénom"), required=False, max_length=300)
    email = forms.CharField(
        label=_("Adresse électronique"),
        help_text=_("L'adresse entière, majuscules ou non."),
        required=False,
        max_length=254,
    )
    external_id = forms.CharField(
        label=_("Identifiant de mission"),
        help_text=_("L'identifiant entier."),
        required=False,
        max_length=64,
    )
    place = forms.CharField(
        label=_("Commune, département ou organisme"),
        help_text=_(
            "Sans souci des accents ni des tirets : « clermont ferrand », « rhone », « 69 »."
        ),
        required=False,
        max_length=200,
    )
    date_kind = forms.ChoiceField(
        label=_("La période porte sur"),
        choices=[
            (DateKind.END, _("la fin de mission")),
            (DateKind.START, _("le début de mission")),
        ],
        initial=DateKind.END,
        required=False,
    )
    date_from = forms.DateField(
        label=_("Du"),
        required=False,
        error_messages={"invalid": _("Saisissez une date valide, par exemple 30/06/2026.")},
    )
    date_until = forms.DateField(
        label=_("Au"),
        required=False,
        error_messages={"invalid": _("Saisissez une date valide, par exemple 30/06/2026.")},
    )

    CRITERIA = ("name", "email", "external_id", "place", "date_from", "date_until")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_until")
        if start and end and start > end:
            self.add_error(
                "date_until", describe("date_range_reversed", {"start": start, "end": end})
            )
        return data

    def has_criteria(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.get(name) for name in self.CRITERIA)


class ChangeAddressForm(forms.Form):
    email = forms.EmailField(
        label=_("Nouvelle adresse électronique"),
        error_messages={"invalid": _("Saisissez une adresse électronique valide.")},
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de la révocation"),
        help_text=_("Affiché sur la page du badge et écrit au journal."),
        max_length=300,
        error_messages={"required": REASON_REQUIRED},
    )


class ReissueForm(forms.Form):
    """Corrected facts of a badge; an empty field keeps what the badge says."""

    given_name = forms.CharField(label=_("Prénom corrigé"), required=False, max_length=300)
    family_name = forms.CharField(label=_("Nom corrigé"), required=False, max_length=300)
    host_name = forms.CharField(
        label=_("Organisme d'accueil corrigé"), required=False, max_length=300
    )
    reason = forms.CharField(
        label=_("Motif de la correction"),
        help_text=_("Envoyé au volontaire, affiché sur l'ancien badge et écrit au journal."),
        max_length=300,
        error_messages={"required": REASON_REQUIRED},
    )
