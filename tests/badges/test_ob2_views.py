"""OB 2.0 hosted endpoints: stored bytes as JSON-LD, 410 when revoked, 404 when unknown."""

import io
import json

import openbadges_bakery
import pytest
from django.utils import timezone

from insigne.badges.keys import issuer_keys
from insigne.badges.models import Credential
from insigne.openbadges import baking
from tests.personas import stored_credential

SITE = "https://badges.example.test"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rfc3986")
STORED = (
    '{"@context":"https://w3id.org/openbadges/v2","type":"Assertion",'
    f'"id":"{SITE}/ob2/assertions/abc123","narrative":"Badge délivré à Camille Démo."}}'
)


@pytest.fixture
def credential(badge_class, camille) -> Credential:
    return stored_credential(
        badge_class,
        camille,
        ob3_json='{"type":["VerifiableCredential","OpenBadgeCredential"]}',
        ob3_jwt="eyJhbGciOiJFZERTQSJ9.e30.c2ln",
        ob2_json=STORED,
    )


def _revoke(credential: Credential, reason: str = "Dates erronées") -> None:
    credential.revoked_at = timezone.now()
    credential.revocation_reason = reason
    credential.save()


def test_it_serves_the_stored_assertion_bytes_as_json_ld(client, credential) -> None:
    response = client.get("/ob2/assertions/abc123")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert response.content == STORED.encode()
    assert "max-age" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_revoked_assertion_is_gone_with_its_reason(client, credential) -> None:
    _revoke(credential)

    response = client.get("/ob2/assertions/abc123")

    # OB 2.0 hosted verification: the context, the assertion's id, revoked and the reason.
    assert response.status_code == 410
    assert response["Content-Type"] == "application/ld+json"
    assert json.loads(response.content) == {
        "@context": "https://w3id.org/openbadges/v2",
        "id": f"{SITE}/ob2/assertions/abc123",
        "revoked": True,
        "revocationReason": "Dates erronées",
    }


def test_an_unknown_assertion_is_not_found(client, db) -> None:
    assert client.get("/ob2/assertions/nope").status_code == 404


def test_the_assertion_is_read_only(client, credential) -> None:
    assert client.post("/ob2/assertions/abc123").status_code == 405


def test_the_baked_png_carries_the_stored_assertion(client, credential) -> None:
    response = client.get("/badges/abc123/badge-ob2.png")

    assert response["Content-Type"] == "image/png"
    assert openbadges_bakery.unbake(io.BytesIO(response.content)) == STORED
    assert baking.unbake_png(response.content) == {"openbadges": STORED}


def test_a_revoked_badge_has_no_baked_png(client, credential) -> None:
    _revoke(credential)

    assert client.get("/badges/abc123/badge-ob2.png").status_code == 410


def test_the_badge_class_is_served_with_its_criteria_and_alignments(client, badge_class) -> None:
    response = client.get("/ob2/badges/service-civique")

    assert response["Content-Type"] == "application/ld+json"
    doc = response.json()
    assert doc["id"] == f"{SITE}/ob2/badges/service-civique"
    assert doc["issuer"] == f"{SITE}/ob2/issuer"
    assert doc["image"] == f"{SITE}/ob3/achievements/service-civique/image.png"
    assert [a["targetName"] for a in doc["alignment"]] == [
        "Travail en équipe",
        "Sens de l'engagement",
    ]
    assert doc["alignment"][0]["targetUrl"] == f"{SITE}/ob3/achievements/service-civique#c1"
    assert client.get("/ob2/badges/unknown").status_code == 404


def test_the_issuer_lists_each_published_key(client, db) -> None:
    profile = client.get("/ob2/issuer").json()

    key_ids = [key.key_id for key in issuer_keys().keys]
    assert profile["publicKey"] == [f"{SITE}/ob2/keys/{key_id}" for key_id in key_ids]
    key = client.get(profile["publicKey"][0].removeprefix(SITE)).json()
    assert key["owner"] == f"{SITE}/ob2/issuer"
    assert key["publicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")
    assert client.get("/ob2/keys/unknown").status_code == 404


def test_the_revocation_list_names_only_revoked_assertions(client, credential) -> None:
    assert client.get("/ob2/revocations").json()["revokedAssertions"] == []
    _revoke(credential, "Remplacé par un badge corrigé")

    doc = json.loads(client.get("/ob2/revocations").content)

    assert doc["revokedAssertions"] == [
        {"id": f"{SITE}/ob2/assertions/abc123", "revocationReason": "Remplacé par un badge corrigé"}
    ]
