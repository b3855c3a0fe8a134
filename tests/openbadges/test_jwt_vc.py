"""VC-JWT: header, registered claims from the credential, verification by kid."""

import json
import uuid

import pytest
from joserfc import jwt
from joserfc.errors import MissingClaimError
from joserfc.jwk import KeySet, OKPKey

from insigne.openbadges.issuance import issue
from insigne.openbadges.jose import jws, vcjwt
from insigne.openbadges.keys import IssuerKeys, jwks, new_key
from insigne.openbadges.multibase import b64url_encode
from insigne.openbadges.ob3 import build_credential
from tests.samples import SITE_URL, demo_facts


def make_keys():
    return IssuerKeys(keys=(new_key("key-1"),), site_url=SITE_URL)


def test_it_signs_the_credential_with_eddsa_and_the_jwk_method_as_kid():
    keys = make_keys()
    token = jws.read(issue(demo_facts(), keys).ob3_jwt)
    header, payload = token.header, token.payload
    assert header == {"alg": "EdDSA", "typ": "JWT", "kid": "did:web:badges.example.test#key-1-jwk"}
    assert payload["iss"] == "did:web:badges.example.test"
    assert payload["jti"] == payload["id"]
    assert payload["nbf"] == 1772443800  # 2026-03-02T09:30:00Z
    assert payload["sub"] == payload["credentialSubject"]["id"]
    assert payload["sub"].startswith("urn:uuid:")
    assert "exp" not in payload and "proof" not in payload
    assert "OpenBadgeCredential" in payload["type"]


def test_the_subject_uri_is_stable_and_says_nothing_of_the_person():
    facts = demo_facts()
    first = build_credential(facts)["credentialSubject"]["id"]
    assert build_credential(facts)["credentialSubject"]["id"] == first
    other = build_credential(demo_facts(public_id="demo0000000000000000000000000002"))
    assert other["credentialSubject"]["id"] != first
    assert uuid.UUID(first.removeprefix("urn:uuid:")).version == 5
    for personal in ("camille", "exemple", facts.salt):
        assert personal not in first.lower()


def test_joserfc_accepts_our_token_with_the_ob3_claims_essential():
    """A JOSE library on its own, key from our JWKS by kid, every OB 3.0 §8.2 claim required."""
    keys = make_keys()
    token = issue(demo_facts(), keys).ob3_jwt
    key_set = KeySet.import_key_set(jwks(keys))
    decoded = jwt.decode(token, key_set, algorithms=["EdDSA"])
    essential = {"essential": True}
    credential = decoded.claims
    claims = jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": credential["issuer"]["id"]},
        sub={"essential": True, "value": credential["credentialSubject"]["id"]},
        jti={"essential": True, "value": credential["id"]},
        nbf=essential,
        type=essential,
        credentialSubject=essential,
        issuer=essential,
        validFrom=essential,
    )
    claims.validate(credential)  # raises if any is missing or differs
    assert decoded.header["kid"] == keys.jwt_kid
    assert "vc" not in credential  # OB 3.0 §8.2: the payload is the credential itself
    # A token of ours without ``sub`` is refused by the same registry.
    body = {name: value for name, value in credential.items() if name != "sub"}
    private = OKPKey.import_key(keys.active.private_key)
    bare = jwt.encode(decoded.header, body, private, algorithms=["EdDSA"])
    with pytest.raises(MissingClaimError):
        claims.validate(jwt.decode(bare, key_set, algorithms=["EdDSA"]).claims)


def test_it_refuses_claims_that_disagree_with_the_credential():
    keys = make_keys()
    token = issue(demo_facts(), keys).ob3_jwt
    header, payload = jws.read(token).header, jws.read(token).payload
    payload["jti"] = "https://elsewhere.example/badge"
    encoded = ".".join(b64url_encode(json.dumps(part).encode()) for part in (header, payload))
    forged = f"{encoded}.{b64url_encode(keys.active.private_key.sign(encoded.encode()))}"
    assert [check.code for check in vcjwt.verify(forged, keys.resolve)] == ["jwt_claims"]


def test_it_refuses_another_algorithm():
    keys = make_keys()
    header = b64url_encode(json.dumps({"alg": "none"}).encode())
    token = f"{header}.{b64url_encode(b'{}')}."
    assert [check.code for check in vcjwt.verify(token, keys.resolve)] == ["jwt_algorithm"]


def test_it_refuses_a_critical_header_it_does_not_understand():
    """RFC 7515 §4.1.11: a verifier must refuse what a ``crit`` header says it cannot ignore."""
    keys = make_keys()
    payload = jws.read(issue(demo_facts(), keys).ob3_jwt).payload
    header = {"alg": "EdDSA", "kid": keys.verification_method, "crit": ["exp-policy"]}
    header["exp-policy"] = "strict"
    encoded = ".".join(b64url_encode(json.dumps(part).encode()) for part in (header, payload))
    token = f"{encoded}.{b64url_encode(keys.active.private_key.sign(encoded.encode()))}"
    assert [check.code for check in vcjwt.verify(token, keys.resolve)] == ["jwt_critical"]
    del header["crit"]
    encoded = ".".join(b64url_encode(json.dumps(part).encode()) for part in (header, payload))
    token = f"{encoded}.{b64url_encode(keys.active.private_key.sign(encoded.encode()))}"
    assert [check.code for check in vcjwt.verify(token, keys.resolve)] == ["signature"]


def test_it_refuses_a_key_of_another_type_than_the_algorithm():
    from cryptography.hazmat.primitives.asymmetric import ec

    keys = make_keys()
    token = issue(demo_facts(), keys).ob3_jwt
    other = ec.generate_private_key(ec.SECP256R1()).public_key()
    assert [check.code for check in vcjwt.verify(token, lambda kid: other)] == ["jwt_key_type"]
