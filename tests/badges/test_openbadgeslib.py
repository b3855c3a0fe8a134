"""openbadgeslib, a third-party Open Badges 3.0 library, verifies our badges end to end.

It resolves our ``did:web`` itself, checks the Data Integrity proof of the baked PNG
and the VC-JWT, and, with its default ``verify_status_list=True``, fetches our status
list and requires it to be a VC-JWT signed by the badge's issuer. Its fetches reach
this site through the test client, with no Accept header, as its HTTPS downloader
sends none; nothing of our own code checks anything here.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.test import Client
from openbadgeslib.ob3 import OB3VerificationError, OB3Verifier
from openbadgeslib.verify import verify_badge

from insigne.badges.presenter import baked_png
from insigne.badges.services import revoke_credential
from insigne.claims.issuing import issue_credential
from insigne.claims.models import Invitation
from insigne.openbadges.jose import jws

pytestmark = pytest.mark.django_db(transaction=True)
SITE = "https://badges.example.test"
ISSUED_AT = dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)


class Site:
    """openbadgeslib's ``download``: GET on this site, as its downloader does it."""

    def __init__(self) -> None:
        self.client = Client()
        self.fetched: list[str] = []

    def __call__(self, url: str) -> bytes:
        parts = urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}" == SITE, url
        self.fetched.append(parts.path)
        response = self.client.get(parts.path)
        assert response.status_code == 200, url
        return bytes(response.content)


@pytest.fixture
def credential(badge_class, camille):
    invitation = Invitation.objects.create(mission=camille)
    return issue_credential(invitation, ISSUED_AT)


def test_it_verifies_the_baked_png_with_its_revocation_status(credential) -> None:
    site = Site()
    subject = jws.read(credential.ob3_jwt).payload["sub"]

    result = verify_badge(
        baked_png(credential),
        "3",
        resolve_did=True,
        expected_recipient=subject,
        check_status=True,
        download=site,
    )

    assert result.valid and result.trusted, result.reason
    assert result.proof_format == "ldp"
    assert result.issuer_did == "did:web:badges.example.test"
    assert "/.well-known/did.json" in site.fetched and "/ob3/status/1" in site.fetched


def test_it_verifies_the_vc_jwt_with_its_claims_and_status(credential) -> None:
    site = Site()
    verifier = OB3Verifier.for_issuer_did("did:web:badges.example.test", download=site)

    badge = verifier.verify(credential.ob3_jwt, check_status=True, download=site)

    assert badge.id == f"{SITE}/badges/{credential.public_id}"
    assert badge.recipient_id == jws.read(credential.ob3_jwt).payload["sub"]


def test_it_sees_the_revocation_in_both_forms(credential) -> None:
    revoke_credential(credential, "Dates erronées")
    site = Site()

    result = verify_badge(
        baked_png(credential), "3", resolve_did=True, check_status=True, download=site
    )
    assert not result.valid
    assert "status 'revocation' is set" in str(result.reason)
    verifier = OB3Verifier.for_issuer_did("did:web:badges.example.test", download=site)
    with pytest.raises(OB3VerificationError, match="status 'revocation' is set"):
        verifier.verify(credential.ob3_jwt, check_status=True, download=site)


def test_a_json_ld_client_still_gets_the_data_integrity_list(client, credential) -> None:
    response = client.get("/ob3/status/1", headers={"Accept": "application/ld+json"})
    assert response["Content-Type"] == "application/json"
    assert response.json()["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    for accept in ("*/*", "text/html,application/xhtml+xml,*/*;q=0.8"):
        assert "proof" in client.get("/ob3/status/1", headers={"Accept": accept}).json()
    token = client.get("/ob3/status/1", headers={"Accept": "application/vc+jwt"})
    assert token["Content-Type"] == "application/vc+jwt"
    assert "Accept" in token["Vary"]
    assert token["Access-Control-Allow-Origin"] == "*"
    payload = jws.read(token.content.decode()).payload
    assert payload["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert payload["iss"] == "did:web:badges.example.test"
