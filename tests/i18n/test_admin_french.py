"""The admin speaks French: app headings and model names, singular and plural."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.utils import translation

pytestmark = pytest.mark.django_db

# Names that stay as they are in French too (acronyms, product names) or come from a
# component that does not mark them for translation.
UNTRANSLATABLE = {"TOTP devices", "Axes"}


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
