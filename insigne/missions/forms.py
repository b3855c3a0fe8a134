"""The staff upload form: one CSV file, size-checked before it is read."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# 100,000 missions take about 20 MB; the cap keeps one upload from filling the memory.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV des missions"),
        help_text=_("Séparateur ; ou , — encodage UTF-8 ou Windows-1252 — 50 Mo au plus."),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 50 Mo : découpez-le en plusieurs."))
        return upload
