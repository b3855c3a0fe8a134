"""The admin page of TOTP devices (django-otp), in French with the English through our catalogue.

django-otp writes this page's sections, help texts, search hint and QR code column in
English, unmarked for translation; its model and field names are set in
``insigne.platform.apps``. Its admin is registered again here as a subclass that only
names things: what the page does (its QR code views, what it hides) stays upstream's.
Help texts go through the admin's form (``Meta.help_texts``, which the admin also reads
for read-only fields): set on the model fields, they would call for a migration of
django-otp's app.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

SECTIONS = {
    "Identity": _("Identité"),
    "Timestamps": _("Dates"),
    "Configuration": _("Réglages"),
    "State": _("État"),
    "Throttling": _("Codes refusés"),
}


class TOTPDeviceForm(forms.ModelForm[TOTPDevice]):
    class Meta:
        model = TOTPDevice
        # The admin gives the fields of its sections; these are the editable ones.
        fields = ["user", "name", "confirmed", "key", "step", "t0", "digits", "tolerance"]
        fields += ["drift", "throttling_failure_timestamp", "throttling_failure_count"]
        help_texts = {
            "user": _("Le compte du personnel qui se connecte avec cet appareil."),
            "name": _("Un nom pour reconnaître l'appareil (« téléphone de Camille »)."),
            "confirmed": _("L'appareil est prêt : son code est demandé à la connexion."),
            "created_at": _("Date d'enregistrement de l'appareil."),
            "last_used_at": _("Dernière connexion avec un code de cet appareil."),
            "key": _("Clé secrète en hexadécimal, 40 octets au plus."),
            "step": _("Durée de validité d'un code, en secondes."),
            "t0": _("Instant Unix à partir duquel les pas de temps sont comptés."),
            "digits": _("Nombre de chiffres d'un code."),
            "tolerance": _("Pas de temps acceptés avant ou après le code attendu."),
            "drift": _("Avance ou retard connu de l'horloge de l'appareil, en pas de temps."),
            "last_t": _("Un code n'est accepté qu'à un pas de temps postérieur à celui-ci."),
            "throttling_failure_timestamp": _(
                "Date du dernier code refusé ; vide si le dernier code était bon."
            ),
            "throttling_failure_count": _("Codes refusés à la suite."),
        }


class FrenchTOTPDeviceAdmin(TOTPDeviceAdmin):  # type: ignore[misc]
    form = TOTPDeviceForm
    search_help_text = _("Rechercher par nom d'utilisateur ou adresse électronique du compte")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return [
            (SECTIONS.get(title, title) if title else None, options)
            for title, options in super().get_fieldsets(request, obj)
        ]

    @admin.display(description=_("Code QR"))
    def qrcode_link(self, device: TOTPDevice) -> SafeString | str:
        if device.pk is None:  # a device being added has no QR code yet
            return ""
        href = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
        return format_html('<a href="{}">{}</a>', href, _("Afficher le code QR"))


admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, FrenchTOTPDeviceAdmin)
