"""did.json, jwks.json and the signed revocation status list."""

import datetime as dt

from insigne.badges.keys import issuer_keys
from insigne.openbadges.checks import passed
from insigne.openbadges.proof import verify
from insigne.openbadges.statuslist import MINIMUM_BITS, is_set


def test_did_json_publishes_the_issuer_key(client):
    response = client.get("/.well-known/did.json")
    assert response.status_code == 200
    document = response.json()
    assert document["id"] == "did:web:badges.example.test"
    keys = issuer_keys()
    assert document["assertionMethod"] == [keys.verification_method, keys.jwt_kid]


def test_jwks_json_publishes_the_same_key(client):
    keys = client.get("/.well-known/jwks.json").json()["keys"]
    assert [key["kid"] for key in keys] == [
        issuer_keys().jwt_kid,
        issuer_keys().verification_method,
    ]
    assert keys[0]["kty"] == "OKP" and keys[0]["crv"] == "Ed25519"
    assert keys[0]["x"] == keys[1]["x"]


def test_browser_verifiers_on_other_origins_may_read_them(client):
    for path in ("/.well-known/did.json", "/.well-known/jwks.json", "/.well-known/controller.json"):
        assert client.get(path)["Access-Control-Allow-Origin"] == "*", path


def test_the_controller_document_is_served_at_its_own_id(client):
    response = client.get("/.well-known/controller.json")
    assert response.status_code == 200
    document = response.json()
    assert document["id"] == "https://badges.example.test/.well-known/controller.json"
    (method,) = document["verificationMethod"]
    assert issuer_keys().resolve(method["id"]) == issuer_keys().active.public_key


def make_credential(badge_class, number, revoked):
    from django.utils import timezone

    from insigne.badges.models import Credential
    from insigne.claims.models import Invitation
    from tests.personas import make_mission

    mission = make_mission(f"M-STATUS-{number}")
    credential = Credential.objects.create(
        public_id=f"status{number}",
        badge_class=badge_class,
        issued_at=timezone.now(),
        status_index=number,
        revoked_at=timezone.now() if revoked else None,
    )
    Invitation.objects.create(mission=mission, credential=credential)
    return credential


def test_the_status_list_sets_the_bits_of_revoked_credentials(client, badge_class):
    for number, revoked in ((3, True), (4, False), (70_000, True)):
        make_credential(badge_class, number, revoked)
    document = client.get("/ob3/status/1", headers={"Accept": "application/ld+json"}).json()
    subject = document["credentialSubject"]
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert subject["statusPurpose"] == "revocation"
    encoded = subject["encodedList"]
    assert encoded.startswith("u")
    assert is_set(encoded, 3) and is_set(encoded, 70_000)
    assert not is_set(encoded, 4) and not is_set(encoded, MINIMUM_BITS - 1)
    assert passed(verify(document, issuer_keys().resolve))
    assert dt.datetime.fromisoformat(document["validFrom"].replace("Z", "+00:00"))


def test_a_hostile_list_is_refused_before_it_inflates():
    import gzip

    import pytest

    from insigne.openbadges import statuslist as status
    from insigne.openbadges.multibase import b64url_encode

    bomb = "u" + b64url_encode(gzip.compress(bytes(status.MAX_LIST_BYTES + 1)))
    with pytest.raises(ValueError, match="too large"):
        is_set(bomb, 0)
    with pytest.raises(ValueError, match="gzip"):
        is_set("u" + b64url_encode(b"not gzip at all"), 0)
