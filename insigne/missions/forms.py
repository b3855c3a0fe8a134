"""The staff upload form: one CSV file, size-checked before it is read."""

from __future__ import annotations

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
