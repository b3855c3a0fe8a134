"""VC-JWT: header, registered claims from the credential, verification by kid."""

import json

from insigne.openbadges.issuance import issue
from insigne.openbadges.jose import vcjwt as jwt
from insigne.openbadges.keys import IssuerKeys, new_key
from insigne.openbadges.multibase import b64url_encode
from tests.samples import SITE_URL, demo_facts


def make_keys():
    return IssuerKeys(keys=(new_key("key-1"),), site_url=SITE_URL)


def test_it_signs_the_credential_with_eddsa_and_the_verification_method_as_kid():
    keys = make_keys()
    header, payload, _, _ = jwt.decode(issue(demo_facts(), keys).ob3_jwt)
    assert header == {"alg": "EdDSA", "typ": "JWT", "kid": "did:web:badges.example.test#key-1"}
    assert payload["iss"] == "did:web:badges.example.test"
    assert payload["jti"] == payload["id"]
    assert payload["nbf"] == 1772443800  # 2026-03-02T09:30:00Z
    assert "sub" not in payload and "exp" not in payload and "proof" not in payload
    assert "OpenBadgeCredential" in payload["type"]


def test_it_refuses_claims_that_disagree_with_the_credential():
    keys = make_keys()
    token = issue(demo_facts(), keys).ob3_jwt
    header, payload, _, _ = jwt.decode(token)
    payload["jti"] = "https://elsewhere.example/badge"
    encoded = ".".join(b64url_encode(json.dumps(part).encode()) for part in (header, payload))
    forged = f"{encoded}.{b64url_encode(keys.active.private_key.sign(encoded.encode()))}"
    assert [check.code for check in jwt.verify(forged, keys.resolve)] == ["jwt_claims"]


def test_it_refuses_another_algorithm():
    keys = make_keys()
    header = b64url_encode(json.dumps({"alg": "none"}).encode())
    token = f"{header}.{b64url_encode(b'{}')}."
    assert [check.code for check in jwt.verify(token, keys.resolve)] == ["jwt_algorithm"]
