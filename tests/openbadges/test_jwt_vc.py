"""VC-JWT: header, registered claims from the credential, verification by kid."""

import json

from insigne.openbadges.issuance import issue
from insigne.openbadges.jose import jws
from insigne.openbadges.jose import vcjwt as jwt
from insigne.openbadges.keys import IssuerKeys, new_key
from insigne.openbadges.multibase import b64url_encode
from tests.samples import SITE_URL, demo_facts


def make_keys():
    return IssuerKeys(keys=(new_key("key-1"),), site_url=SITE_URL)


def test_it_signs_the_credential_with_eddsa_and_the_verification_method_as_kid():
    keys = make_keys()
    token = jws.read(issue(demo_facts(), keys).ob3_jwt)
    header, payload = token.header, token.payload
    assert header == {"alg": "EdDSA", "typ": "JWT", "kid": "did:web:badges.example.test#key-1"}
    assert payload["iss"] == "did:web:badges.example.test"
    assert payload["jti"] == payload["id"]
    assert payload["nbf"] == 1772443800  # 2026-03-02T09:30:00Z
    assert "sub" not in payload and "exp" not in payload and "proof" not in payload
    assert "OpenBadgeCredential" in payload["type"]


def test_it_refuses_claims_that_disagree_with_the_credential():
    keys = make_keys()
    token = issue(demo_facts(), keys).ob3_jwt
    header, payload = jws.read(token).header, jws.read(token).payload
    payload["jti"] = "https://elsewhere.example/badge"
    encoded = ".".join(b64url_encode(json.dumps(part).encode()) for part in (header, payload))
    forged = f"{encoded}.{b64url_encode(keys.active.private_key.sign(encoded.encode()))}"
    assert [check.code for check in jwt.verify(forged, keys.resolve)] == ["jwt_claims"]


def test_it_refuses_another_algorithm():
    keys = make_keys()
    header = b64url_encode(json.dumps({"alg": "none"}).encode())
    token = f"{header}.{b64url_encode(b'{}')}."
    assert [check.code for check in jwt.verify(token, keys.resolve)] == ["jwt_algorithm"]


def test_it_refuses_a_critical_header_it_does_not_understand():
    """RFC 7515 §4.1.11: a verifier must refuse what a ``crit`` header says it cannot ignore."""
    keys = make_keys()
    payload = jws.read(issue(demo_facts(), keys).ob3_jwt).payload
    header = {"alg": "EdDSA", "kid": keys.verification_method, "crit": ["exp-policy"]}
    header["exp-policy"] = "strict"
    encoded = ".".join(b64url_encode(json.dumps(part).encode()) for part in (header, payload))
    token = f"{encoded}.{b64url_encode(keys.active.private_key.sign(encoded.encode()))}"
    assert [check.code for check in jwt.verify(token, keys.resolve)] == ["jwt_critical"]
    del header["crit"]
    encoded = ".".join(b64url_encode(json.dumps(part).encode()) for part in (header, payload))
    token = f"{encoded}.{b64url_encode(keys.active.private_key.sign(encoded.encode()))}"
    assert [check.code for check in jwt.verify(token, keys.resolve)] == ["signature"]


def test_it_refuses_a_key_of_another_type_than_the_algorithm():
    from cryptography.hazmat.primitives.asymmetric import ec

    keys = make_keys()
    token = issue(demo_facts(), keys).ob3_jwt
    other = ec.generate_private_key(ec.SECP256R1()).public_key()
    assert [check.code for check in jwt.verify(token, lambda kid: other)] == ["jwt_key_type"]
