"""Names normalised at import (CSV and JSON API: one validation path) and in the claim
form; the preview shows exactly what will be signed."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from insigne.claims import services
from insigne.claims.forms import ClaimForm
from insigne.missions.csv_format import MissionRow, RejectedRow, rows_from_objects, validate_rows
from insigne.platform.text import clean_display_text
from tests.claims.helpers import invite, open_link
from tests.missions.helpers import row
from tests.personas import make_mission

TABLE = [
    # (typed or imported, stored and signed)
    ("Camille", "Camille"),
    ("  Camille   Démo ", "Camille Démo"),
    ("Cami\u0301lle", "Cam\u00edlle"),  # NFC: i + combining acute -> í
    ("e\u0301", "é"),
    ("\u202eelliM\u202c", "elliM"),  # right-to-left override, pop
    ("\u202aA\u202b\u202c\u202d", "A"),  # embeddings and overrides, U+202A–U+202E
    ("\u2066Zoé\u2069 \u2067x\u2068", "Zoé x"),  # isolates, U+2066–U+2069
    ("Ca\u200bmille", "Camille"),  # zero-width space
    ("\u200eCamille\u200f", "Camille"),  # direction marks
    ("\ufeffCamille", "Camille"),  # byte order mark
    ("Ca\u00admille", "Camille"),  # soft hyphen
    ("Ca\u2060mi\u2064lle", "Camille"),  # word joiner, invisible plus
    ("\u061cمحمد", "محمد"),  # Arabic letter mark
    ("\u200dCamille\u200c", "Camille"),  # a joiner at an edge spells nothing
    ("می\u200cخواهم", "می\u200cخواهم"),  # Persian: the non-joiner is spelling
    ("👩🏽\u200d🚀", "👩🏽\u200d🚀"),  # one emoji, kept whole
    ("O'Brien <b>", "O'Brien <b>"),  # markup is text, escaped by templates
    ("Ca\x07mille\x7f", "Camille"),  # control characters
    ("Ca\ue000mille", "Camille"),  # private use
]


@pytest.mark.parametrize(("raw", "clean"), TABLE)
def test_clean_display_text(raw: str, clean: str) -> None:
    assert clean_display_text(raw) == clean


@pytest.mark.parametrize(("raw", "clean"), TABLE)
def test_the_claim_form_stores_the_same_form(raw: str, clean: str) -> None:
    form = ClaimForm({"given_name": raw, "family_name": raw, "host_name": raw})
    if clean_display_text(raw).strip():
        assert form.is_valid(), form.errors
        assert form.cleaned_data == {"given_name": clean, "family_name": clean, "host_name": clean}


@pytest.mark.parametrize(("raw", "clean"), [t for t in TABLE if "\x07" not in t[0]])
def test_the_import_and_the_api_store_the_same_form(raw: str, clean: str) -> None:
    # The JSON API's objects go through the same validation as CSV rows.
    (result,) = validate_rows(rows_from_objects([row(prenom=raw, nom=raw, structure=raw)]))
    assert isinstance(result, MissionRow), result
    fields = result.fields
    assert (fields["given_name"], fields["family_name"], fields["host_name"]) == (clean,) * 3


def test_control_characters_still_reject_an_imported_row() -> None:
    (result,) = validate_rows(rows_from_objects([row(nom="Ca\x07mille")]))
    assert isinstance(result, RejectedRow)


def test_a_name_of_invisible_characters_only_is_rejected() -> None:
    (result,) = validate_rows(rows_from_objects([row(nom="\u200b\u202e")]))
    assert isinstance(result, RejectedRow)
    assert "valeur obligatoire manquante" in json.dumps(
        result.errors[0].as_dict(), ensure_ascii=False
    )


@pytest.mark.django_db(transaction=True)
def test_the_preview_shows_exactly_what_will_be_signed(client, badge_class):
    # A record stored before normalisation, with an override and a zero-width space.
    mission = make_mission("M-BIDI", given_name="\u202eelliM", host_name="Asso\u200b Exemple")
    invitation, token = invite(mission)
    open_link(client, token)
    preview = client.get(reverse("claim_preview")).content.decode()
    assert "\u202e" not in preview and "\u200b" not in preview
    assert "elliM Démo" in preview and "Asso Exemple" in preview
    credential = services.validate_claim(invitation)
    signed = json.loads(credential.ob3_json)
    assert signed["credentialSubject"]["name"] == "elliM Démo"
    assert (credential.given_name, credential.host_name) == ("elliM", "Asso Exemple")
