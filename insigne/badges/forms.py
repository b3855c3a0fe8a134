"""The holder's choice of who sees their badge page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from insigne.badges.models import Visibility


class VisibilityForm(forms.Form):
    visibility = forms.ChoiceField(
        label=_("Qui peut voir la page de mon badge ?"),
        choices=Visibility.choices,
        initial=Visibility.LINK,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez qui peut voir la page de votre badge."),
            "invalid_choice": _("Choisissez l'une des trois possibilités proposées."),
        },
    )
