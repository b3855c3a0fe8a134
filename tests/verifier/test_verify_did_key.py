"""verify() on another issuer's OB 3.0 badges identified by did:key (no network at all)."""

import json

import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from insigne.openbadges.baking import bake_png
from insigne.openbadges.jose import vcjwt as jwt
from insigne.openbadges.multibase import b64url_encode
from insigne.openbadges.ob3 import build_credential
from insigne.platform.messages import describe_fr
from insigne.verifier.verify import verify
from tests.personas import badge_png
from tests.verifier.helpers import did_key, foreign_facts, sign, with_issuer

NOW = "2026-07-01T12:00:00Z"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(scope="module")
def key():
    return Ed25519PrivateKey.generate()


@pytest.fixture
def unsigned(key):
    did, _method = did_key(key)
    document = build_credential(foreign_facts("https://autre-emetteur.example"))
    del document["credentialStatus"]  # this issuer publishes no status list
    return with_issuer(document, did)


def failed(verdict):
    return [check.code for check in verdict.failed]


def test_it_accepts_a_foreign_did_key_badge(db, key, unsigned):
    verdict = verify(json.dumps(sign(unsigned, key, did_key(key)[1])))
    assert verdict.status == "valid", verdict.checks
    assert verdict.summary.issuer_name == "Autre Émetteur"
    assert verdict.summary.issuer_id.startswith("did:key:z6Mk")


def test_it_accepts_a_foreign_did_key_jwt_baked_in_a_png(db, key, unsigned):
    token = jwt.sign(unsigned, key, did_key(key)[1])
    verdict = verify(bake_png(badge_png(), "openbadgecredential", token))
    assert verdict.status == "valid", verdict.checks


def test_it_refuses_a_key_that_is_not_the_issuers(db, key, unsigned):
    intruder = Ed25519PrivateKey.generate()
    verdict = verify(json.dumps(sign(unsigned, intruder, did_key(intruder)[1])))
    assert verdict.status == "invalid"
    assert failed(verdict) == ["key_binding"]


def test_it_refuses_a_signature_by_another_key_under_the_issuers_name(db, key, unsigned):
    intruder = Ed25519PrivateKey.generate()
    verdict = verify(json.dumps(sign(unsigned, intruder, did_key(key)[1])))
    assert failed(verdict) == ["signature"]


def test_it_refuses_a_tampered_field(db, key, unsigned):
    signed = sign(unsigned, key, did_key(key)[1])
    signed["credentialSubject"]["achievement"]["name"] = "Prix Nobel"
    assert failed(verify(json.dumps(signed))) == ["signature"]


def test_it_refuses_an_undefined_term(db, key, unsigned):
    # Our signer refuses such a document, so the term is added after signing.
    signed = sign(unsigned, key, did_key(key)[1]) | {"grade": "excellent"}
    verdict = verify(json.dumps(signed))
    assert "undefined_term" in failed(verdict)
    assert verdict.status == "invalid"


def test_it_refuses_a_wrong_context(db, key, unsigned):
    context = ["https://www.w3.org/ns/credentials/v2", "https://exemple.test/ctx"]
    signed = sign(unsigned, key, did_key(key)[1]) | {"@context": context}
    verdict = verify(json.dumps(signed))
    assert "unknown_context" in failed(verdict)
    assert verdict.status == "invalid"


def test_it_refuses_an_expired_badge(db, key, unsigned):
    signed = sign(unsigned | {"validUntil": "2026-06-30T00:00:00Z"}, key, did_key(key)[1])
    verdict = verify(json.dumps(signed))
    assert failed(verdict) == ["valid_until"]
    assert "expiré" in describe_fr(verdict.failed[0].reason, verdict.failed[0].params)


def test_it_refuses_a_badge_not_yet_valid(db, key, unsigned):
    signed = sign(unsigned | {"validFrom": "2026-09-01T00:00:00Z"}, key, did_key(key)[1])
    assert failed(verify(json.dumps(signed))) == ["valid_from"]


def test_it_refuses_a_badge_outside_the_json_schema(db, key, unsigned):
    del unsigned["credentialSubject"]["achievement"]["criteria"]  # required by the schema
    signed = sign(unsigned, key, did_key(key)[1])
    verdict = verify(json.dumps(signed))
    assert "schema" in failed(verdict)
    schema = next(c for c in verdict.failed if c.code == "schema")
    # The field is named in the technical details (the sentence is for people).
    assert "credentialSubject" in str(schema.params["where"])


def vc_claim_jwt(document, key, kid, **claims):
    header = b64url_encode(json.dumps({"alg": "EdDSA", "kid": kid}).encode())
    body = b64url_encode(json.dumps({"vc": document, **claims}).encode())
    signature = b64url_encode(key.sign(f"{header}.{body}".encode()))
    return f"{header}.{body}.{signature}"


def test_it_accepts_a_jwt_with_the_credential_in_a_vc_claim(db, key, unsigned):
    did, method = did_key(key)
    token = vc_claim_jwt(unsigned, key, method, iss=did, jti=unsigned["id"])
    verdict = verify(token)
    assert verdict.status == "valid", verdict.checks


def test_it_refuses_a_vc_claim_jwt_whose_claims_disagree(db, key, unsigned):
    token = vc_claim_jwt(unsigned, key, did_key(key)[1], jti="urn:uuid:autre")
    assert failed(verify(token)) == ["jwt_claims"]


def test_it_refuses_a_vc_claim_jwt_signed_by_a_stranger(db, key, unsigned):
    intruder = Ed25519PrivateKey.generate()
    assert failed(verify(vc_claim_jwt(unsigned, intruder, did_key(intruder)[1]))) == ["key_binding"]


def test_it_refuses_a_foreign_badge_posing_under_our_address(db, key, unsigned):
    posing = unsigned | {"id": "https://badges.example.test/badges/verify0001"}
    verdict = verify(json.dumps(sign(posing, key, did_key(key)[1])))
    assert failed(verdict) == ["issuer_mismatch"]
    assert verdict.summary.issuer_is_us is False
