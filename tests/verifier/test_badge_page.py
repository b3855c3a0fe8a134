import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from insigne.claims import services
from insigne.openbadges.baking import unbake_png, unbake_svg
from tests.claims.helpers import invite

pytestmark = pytest.mark.django_db


@pytest.fixture
def credential(camille, badge_class):
    invitation, _ = invite(camille)
    return services.validate_claim(invitation)


def test_the_page_shows_the_badge_and_what_it_attests(client, credential):
    page = client.get(reverse("badge", args=[credential.public_id])).content.decode()
    assert "Badge authentique" in page
    assert "Volontaire du Service Civique" in page
    assert "Camille Démo" in page
    assert "Association Exemple" in page
    assert "Travail en équipe" in page
    assert "30 juin 2026" in page  # evidence: the end date of the mission
    assert "n'expire pas" in page
    assert reverse("badge_png", args=[credential.public_id]) in page


def test_machines_asking_for_json_get_the_signed_bytes(client, credential):
    response = client.get(
        reverse("badge", args=[credential.public_id]), HTTP_ACCEPT="application/ld+json"
    )
    assert response["Content-Type"] == "application/ld+json"
    assert response.content.decode() == credential.ob3_json
    assert json.loads(response.content)["id"].endswith(credential.public_id)


def test_the_linkedin_link_has_the_certification_fields_and_no_expiry(client, credential, settings):
    settings.LINKEDIN_ORGANIZATION_ID = "12345"
    page = client.get(reverse("badge", args=[credential.public_id])).content.decode()
    href = page.split('id="linkedin-add" href="')[1].split('"')[0].replace("&amp;", "&")
    # Through our counting redirect (no personal data kept), on to LinkedIn's form.
    assert href == reverse("programme_linkedin", args=[credential.public_id])
    href = client.get(href)["Location"]
    query = parse_qs(urlsplit(href).query)
    assert query["startTask"] == ["CERTIFICATION_NAME"]
    assert query["organizationId"] == ["12345"]
    assert "organizationName" not in query
    assert query["certId"] == [credential.public_id]
    assert query["certUrl"] == [f"https://badges.example.test/badges/{credential.public_id}"]
    assert not {"expirationYear", "expirationMonth"} & set(query)


def test_the_png_download_carries_the_signed_credential(client, credential):
    response = client.get(reverse("badge_png", args=[credential.public_id]))
    assert response["Content-Type"] == "image/png"
    assert unbake_png(response.content)["openbadgecredential"] == credential.ob3_json


def test_the_svg_download_carries_the_signed_credential_and_cannot_run_scripts(client, credential):
    response = client.get(reverse("badge_svg", args=[credential.public_id]))
    assert response["Content-Type"] == "image/svg+xml"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert unbake_svg(response.content.decode())["openbadgecredential"] == credential.ob3_json


def test_an_unknown_badge_is_a_french_404(client, credential):
    response = client.get(reverse("badge", args=["inconnu"]))
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_a_revoked_badge_says_so(client, credential):
    from django.utils import timezone

    credential.revoked_at = timezone.now()
    credential.revocation_reason = "Badge délivré par erreur."
    credential.save()
    page = client.get(reverse("badge", args=[credential.public_id])).content.decode()
    assert "Ce badge a été révoqué" in page
    assert "Badge authentique" not in page


def test_the_json_forms_and_the_achievement_resolve(client, credential):
    ob3 = client.get(reverse("badge_ob3_json", args=[credential.public_id]))
    assert ob3.content.decode() == credential.ob3_json
    jwt = client.get(reverse("badge_ob3_jwt", args=[credential.public_id]))
    assert jwt.content.decode() == credential.ob3_jwt
    achievement_id = json.loads(credential.ob3_json)["credentialSubject"]["achievement"]["id"]
    achievement = client.get(urlsplit(achievement_id).path).json()
    assert achievement["id"] == achievement_id
    assert achievement["type"] == ["Achievement"]
    assert achievement["name"] == "Volontaire du Service Civique"


def test_a_tampered_stored_credential_is_not_called_authentic(client, credential):
    credential.ob3_json = credential.ob3_json.replace("Camille", "Camilla")
    credential.save()
    page = client.get(reverse("badge", args=[credential.public_id])).content.decode()
    assert "Badge authentique" not in page
    assert "n'a pas pu être vérifié" in page
