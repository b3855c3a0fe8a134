from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from insigne.badges.forms import VisibilityForm
from insigne.badges.models import Visibility
from insigne.platform.text import clean_display_text

NAME_MAX = 300


def clean_name(value: str) -> str:
    """Normalise a name typed by the volunteer, as the import does (``clean_display_text``)."""
    return clean_display_text(value)


class NameField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=NAME_MAX, strip=True, **kwargs)

    def clean(self, value: Any) -> str:
        cleaned = clean_name(str(super().clean(value)))
        if not cleaned:
            raise forms.ValidationError(_("Ce champ ne peut pas être vide."), code="required")
        return cleaned


class ClaimForm(forms.Form):
    """What the volunteer may correct: the spelling of names and the host's display name."""

    given_name = NameField(
        label=_("Prénom"),
        help_text=_("Tel qu'il doit apparaître sur le badge."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    family_name = NameField(
        label=_("Nom"),
        help_text=_("Tel qu'il doit apparaître sur le badge."),
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    host_name = NameField(
        label=_("Organisme d'accueil"),
        help_text=_("Vous pouvez corriger la façon dont son nom est écrit."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )


class ValidateForm(VisibilityForm):
    """Validation: the confirmation, and who may see the badge page (link only unless chosen)."""

    confirm = forms.BooleanField(
        label=_(
            "Je confirme que ces informations sont exactes. "
            "Je comprends qu'une fois validé, mon badge ne pourra plus être modifié."
        ),
        error_messages={"required": _("Cochez la case pour confirmer avant de valider.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visibility"].required = False  # no answer: the default, link only

    def clean_visibility(self) -> str:
        return str(self.cleaned_data.get("visibility") or Visibility.LINK)


class ResendForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse électronique"),
        help_text=_("Celle que vous avez donnée pour votre mission de Service Civique."),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": _("Saisissez une adresse électronique valide, par exemple nom@exemple.fr."),
            "required": _("Saisissez votre adresse électronique."),
        },
    )
