"""The admin speaks French: app headings and model names, singular and plural."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

# Names that stay as they are in French too (acronyms, product names) or come from a
# component that does not mark them for translation.
UNTRANSLATABLE = {"Axes"}


def headings(client) -> list[str]:
    page = client.get("/admin/").content.decode()
    found = re.findall(r"<(?:caption|th)[^>]*>\s*<a[^>]*>([^<]+)</a>", page)
    return [re.sub(r"\s+", " ", text).strip() for text in found]


def test_the_admin_index_is_in_french(client):
    client.force_login(User.objects.create_superuser("chef", "chef@exemple.test", "pw"))
    shown = headings(client)
    for expected in (
        "Badges émis",
        "Modèles de badge",
        "Courriels sortants",
        "Courriels reçus (démo)",
        "Résultats de tâches",
        "Tâches en arrière-plan",
        "Courriels",
    ):
        assert expected in shown
    english = {"Caught mails", "Task Results", "Credentials", "Mail", "Tasks Database Backend"}
    assert not english & set(shown)


@pytest.mark.parametrize(
    "model", [m for m in admin.site._registry if m.__module__.startswith("insigne.")]
)
def test_each_of_our_models_has_its_french_plural(model):
    """Django's default plural adds an "s": "Badge émiss". Each of ours says its own."""
    assert "verbose_name_plural" in model._meta.original_attrs, model._meta.label


def test_english_comes_through_the_catalogue(client):
    client.force_login(User.objects.create_superuser("chef", "chef@exemple.test", "pw"))
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        shown = headings(client)
    assert "Issued badges" in shown and "Outgoing emails" in shown


# The TOTP device pages of the admin (django-otp): list, form, QR code page. What each
# shows in French, its English, and django-otp's own English that must not show.
OTP_FRENCH = [
    "Double authentification (TOTP)",
    "appareil TOTP",
    "Compte",
    "Nom de l'appareil",
    "Enregistré le",
    "Dernière utilisation",
    "Confirmé",
    "Code QR",
    "Afficher le code QR",
    "Rechercher par nom d'utilisateur ou adresse électronique du compte",
    "Identité",
    "Réglages",
    "Codes refusés",
    "Clé secrète",
    "Durée de validité d'un code, en secondes.",
    "Date d'enregistrement de l'appareil.",
    "Codes refusés d'affilée",
    "Code QR à scanner avec l'application d'authentification",
]
OTP_ENGLISH = [
    "Two-factor authentication (TOTP)",
    "TOTP device",
    "Account",
    "Device name",
    "Registered on",
    "Last used",
    "Confirmed",
    "QR code",
    "Show the QR code",
    "Search by the account's username or email address",
    "Identity",
    "Settings",
    "Refused codes",
    "Secret key",
    "How long a code is valid, in seconds.",
    "When the device was registered.",
    "Codes refused in a row",
    "QR code to scan with the authentication app",
]
UPSTREAM_ENGLISH = [
    "Created at",
    "Last used at",
    "Timestamps",
    "Throttling",
    ">qrcode</a>",
    "Search by user",
    "The human-readable name of this device.",
    "The time step in seconds.",
    "The date and time when this device was initially created in the system.",
    "Install <a",
]


def otp_pages(client, language: str) -> str:
    chef = User.objects.create_superuser("chef", "chef@exemple.test", "pw")
    client.force_login(chef)
    device = TOTPDevice.objects.create(user=chef, name="téléphone", confirmed=False)
    client.cookies["django_language"] = language
    with translation.override(language):
        urls = [
            reverse("admin:index"),
            reverse("admin:otp_totp_totpdevice_changelist"),
            reverse("admin:otp_totp_totpdevice_add"),
            reverse("admin:otp_totp_totpdevice_change", args=[device.pk]),
            reverse("admin:otp_totp_totpdevice_config", args=[device.pk]),
        ]
        pages = [client.get(url) for url in urls]
    assert [page.status_code for page in pages] == [200] * len(urls)
    return html.unescape("\n".join(page.content.decode() for page in pages))


def test_the_totp_device_pages_are_in_french(client):
    shown = otp_pages(client, "fr")
    assert [text for text in OTP_FRENCH if text not in shown] == []
    assert [text for text in OTP_ENGLISH + UPSTREAM_ENGLISH if text in shown] == []


def test_the_totp_device_pages_are_in_english_through_the_catalogue(client):
    shown = otp_pages(client, "en")
    assert [text for text in OTP_ENGLISH if text not in shown] == []
    assert [text for text in OTP_FRENCH + UPSTREAM_ENGLISH if text in shown] == []
