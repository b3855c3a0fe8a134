"""The "Vérifier un badge" form: a file or pasted text, and optionally an email."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from insigne.verifier.inputs import MAX_INPUT_BYTES

ACCEPTED_FILES = ".png,.svg,.json,.jsonld,.jwt,.txt,image/png,image/svg+xml,application/json"


class BadgeFileForm(forms.Form):
    """The badge file field, as every page that takes a badge file asks for it."""

    badge_file = forms.FileField(
        label=_("Fichier du badge"),
        help_text=_("Image PNG ou SVG du badge, ou fichier JSON. 2 Mio au plus."),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_FILES}),
    )


class VerifyForm(BadgeFileForm):
    badge_text = forms.CharField(
        label=_("Ou collez l'adresse, l'identifiant ou le contenu du badge"),
        help_text=_(
            "L'adresse de la page du badge (avec ou sans https://), l'identifiant affiché "
            "sur LinkedIn, l'adresse d'une assertion Open Badges 2.0, le JSON du badge ou "
            "son jeton JWT."
        ),
        required=False,
        max_length=MAX_INPUT_BYTES,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label=_("Adresse électronique du titulaire (facultatif)"),
        help_text=_(
            "Pour vérifier que le badge a bien été délivré à cette adresse. "
            "Format attendu : nom@domaine.fr"
        ),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def clean_badge_file(self) -> Any:
        upload = self.cleaned_data.get("badge_file")
        if upload and upload.size > MAX_INPUT_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 2 Mio."), code="too_large")
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        has_file = bool(cleaned.get("badge_file"))
        has_text = bool((cleaned.get("badge_text") or "").strip())
        if "badge_file" not in self.errors and has_file == has_text:
            message = (
                _("Déposez un fichier ou collez le contenu du badge, pas les deux.")
                if has_file
                else _("Déposez un fichier de badge ou collez son contenu.")
            )
            raise forms.ValidationError(message, code="one_input")
        return cleaned

    def badge_data(self) -> tuple[bytes | str, str]:
        """The badge to verify and its file name (empty for pasted text)."""
        upload = self.cleaned_data.get("badge_file")
        if upload:
            return upload.read(), str(upload.name or "")
        return str(self.cleaned_data["badge_text"]), ""
