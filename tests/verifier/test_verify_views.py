"""The public 'Vérifier un badge' page, a stored badge's verification page and the JSON API."""

import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from insigne.badges.presenter import baked_png, baked_svg
from insigne.verifier import views as verify_views
from tests.verifier.helpers import issue_ours

EMAIL = "m-verify@exemple.test"


@pytest.fixture(autouse=True)
def fresh_limits(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def credential(db):
    return issue_ours()


def post(client, **data):
    return client.post(reverse("verify_upload"), data)


def test_the_page_offers_a_labelled_form_and_a_live_result_region(client):
    page = client.get(reverse("verify_upload")).content.decode()
    assert 'aria-live="polite"' in page
    assert 'type="file"' in page and 'for="id_badge_file"' in page
    assert 'for="id_badge_text"' in page and 'for="id_email"' in page
    assert 'enctype="multipart/form-data"' in page


def test_it_verifies_an_uploaded_png(client, credential):
    upload = SimpleUploadedFile("badge.png", baked_png(credential), content_type="image/png")
    response = post(client, badge_file=upload)
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["verdict"].status == "valid"
    assert "Badge authentique et valide" in page
    assert "Camille Démo" in page
    assert "Émetteur officiel de ce site (Agence du Service Civique)" in page
    assert "Réussi :" in page and "✓" in page


def test_it_verifies_an_uploaded_svg_and_checks_the_email(client, credential):
    upload = SimpleUploadedFile("badge.svg", baked_svg(credential).encode(), "image/svg+xml")
    response = post(client, badge_file=upload, email=EMAIL)
    assert response.context["verdict"].recipient_match is True
    assert "Badge authentique et valide, délivré à cette adresse" in response.content.decode()


def test_it_verifies_pasted_json_and_says_when_the_email_does_not_match(client, credential):
    response = post(client, badge_text=credential.ob3_json, email="autre@exemple.test")
    page = response.content.decode()
    assert response.context["verdict"].status == "valid"
    # One verdict at the top, that already says the address does not match (never green).
    assert "Badge authentique, mais pas délivré à cette adresse" in page
    assert "fr-alert--success" not in page
    assert "Échec :" in page


def test_it_verifies_a_pasted_jwt(client, credential):
    assert post(client, badge_text=credential.ob3_jwt).context["verdict"].status == "valid"


def test_it_shows_a_revoked_badge_as_revoked(client, credential):
    credential.revoked_at = timezone.now()
    credential.save()
    response = post(client, badge_text=credential.ob3_json)
    assert "Badge révoqué par son émetteur" in response.content.decode()


def test_it_shows_a_tampered_badge_as_invalid_with_the_failed_check(client, credential):
    document = json.loads(credential.ob3_json)
    document["credentialSubject"]["name"] = "Quelqu'un d'autre"
    page = post(client, badge_text=json.dumps(document)).content.decode()
    assert "Badge non authentique" in page
    assert 'data-code="signature"' in page


def test_it_explains_an_unreadable_file(client, db):
    upload = SimpleUploadedFile("badge.png", b"\x89PNG\r\n\x1a\n\x00\x00", "image/png")
    response = post(client, badge_file=upload)
    assert response.context["verdict"].status == "unreadable"
    assert "Badge illisible" in response.content.decode()


def test_it_asks_for_exactly_one_input_with_the_error_linked(client, db):
    response = post(client, email="pas-une-adresse")
    page = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert"' in page and 'aria-describedby="form-errors"' in page
    assert 'aria-invalid="true"' in page and 'id="id_email-error"' in page


def test_it_refuses_a_file_over_two_mebibytes(client, db):
    upload = SimpleUploadedFile("badge.png", b"\x89PNG" + b"0" * (2 * 1024 * 1024), "image/png")
    response = post(client, badge_file=upload)
    assert response.status_code == 400
    assert "2 Mio" in response.content.decode()


def test_it_enforces_csrf_on_the_page(db, credential):
    strict = Client(enforce_csrf_checks=True)
    assert post(strict, badge_text=credential.ob3_json).status_code == 403
    strict.get(reverse("verify_upload"))
    token = strict.cookies["csrftoken"].value
    response = post(strict, badge_text=credential.ob3_json, csrfmiddlewaretoken=token)
    assert response.status_code == 200


def test_it_rate_limits_each_client(client, credential, monkeypatch):
    monkeypatch.setattr(verify_views, "PAGE_LIMIT", (2, 60))
    statuses = [post(client, badge_text=credential.ob3_json).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    data = {"badge_text": credential.ob3_json}
    other = client.post(reverse("verify_upload"), data, REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 200


def test_the_badge_verification_page_verifies_the_stored_credential(client, credential):
    response = client.get(reverse("verify_badge", args=[credential.public_id]))
    assert response.status_code == 200
    assert response.context["verdict"].status == "valid"
    assert reverse("badge", args=[credential.public_id]) in response.content.decode()


def test_the_badge_verification_page_answers_404_for_an_unknown_badge(client, db):
    assert client.get(reverse("verify_badge", args=["inconnu"])).status_code == 404


def test_the_api_returns_the_verdict_with_codes_without_csrf(db, credential):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        reverse("api_verify") + f"?email={EMAIL}",
        credential.ob3_json,
        content_type="application/json",
    )
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "valid"
    assert body["recipient_match"] is True
    assert body["summary"]["recipient_name"] == "Camille Démo"
    assert {"signature", "key_binding", "status"} <= {c["code"] for c in body["checks"]}


def test_the_api_accepts_a_multipart_image(client, credential):
    upload = SimpleUploadedFile("badge.png", baked_png(credential), "image/png")
    body = client.post(reverse("api_verify"), {"file": upload}).json()
    assert (body["status"], body["container"]) == ("valid", "png")


def test_the_api_refuses_an_empty_call_and_get(client, db):
    assert client.post(reverse("api_verify"), b"", content_type="text/plain").status_code == 400
    assert client.get(reverse("api_verify")).status_code == 405


def test_the_api_is_rate_limited(client, credential, monkeypatch):
    monkeypatch.setattr(verify_views, "API_LIMIT", (1, 60))
    url = reverse("api_verify")
    client.post(url, credential.ob3_jwt, content_type="application/jwt")
    response = client.post(url, credential.ob3_jwt, content_type="application/jwt")
    assert response.status_code == 429
    assert response.json()["error"] == "rate_limited"
