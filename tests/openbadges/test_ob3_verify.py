"""verify_ob3 accepts our credentials in both forms and refuses each forgery by code."""

import json

import pytest

from insigne.openbadges.checks import passed
from insigne.openbadges.issuance import issue, preview, verify_ob3
from insigne.openbadges.keys import IssuerKeys, new_key
from tests.samples import SITE_URL, demo_facts


@pytest.fixture(scope="module")
def keys():
    return IssuerKeys(keys=(new_key("key-1"),), site_url=SITE_URL)


@pytest.fixture(scope="module")
def issued(keys):
    return issue(demo_facts(), keys)


def codes(checks):
    return [check.code for check in checks if not check.ok]


def test_it_accepts_our_json_and_our_jwt(keys, issued):
    assert passed(verify_ob3(issued.ob3_json, keys.resolve))
    assert passed(verify_ob3(json.loads(issued.ob3_json), keys.resolve))
    assert passed(verify_ob3(issued.ob3_jwt, keys.resolve))


def test_the_preview_is_the_signed_credential_without_its_proof(issued):
    signed = json.loads(issued.ob3_json)
    del signed["proof"]
    assert preview(demo_facts()) == signed


def test_it_refuses_a_tampered_field(keys, issued):
    document = json.loads(issued.ob3_json)
    document["credentialSubject"]["name"] = "Quelqu'un d'autre"
    assert codes(verify_ob3(document, keys.resolve)) == ["signature"]


def test_it_refuses_a_signature_by_another_key_under_our_key_id(keys):
    impostor = IssuerKeys(keys=(new_key("key-1"),), site_url=SITE_URL)
    forged = issue(demo_facts(), impostor)
    assert codes(verify_ob3(forged.ob3_json, keys.resolve)) == ["signature"]
    assert codes(verify_ob3(forged.ob3_jwt, keys.resolve)) == ["signature"]


def test_it_refuses_a_key_the_issuer_does_not_publish(keys, issued):
    document = json.loads(issued.ob3_json)
    document["proof"][0]["verificationMethod"] = "did:web:evil.example#key-1"
    assert codes(verify_ob3(document, keys.resolve)) == ["key_unknown"]


def test_it_refuses_an_undefined_term(keys, issued):
    document = json.loads(issued.ob3_json)
    document["credentialSubject"]["note"] = "ajouté après la signature"
    assert codes(verify_ob3(document, keys.resolve)) == ["undefined_term"]


def test_it_refuses_an_unknown_context(keys, issued):
    document = json.loads(issued.ob3_json)
    document["@context"].append("https://evil.example/context.json")
    assert codes(verify_ob3(document, keys.resolve)) == ["unknown_context"]
    document["@context"] = ["https://www.w3.org/ns/credentials/v2"]
    assert codes(verify_ob3(document, keys.resolve)) == ["unknown_context"]


def test_it_refuses_control_characters(keys, issued):
    document = json.loads(issued.ob3_json)
    document["name"] += "\u0007"
    assert codes(verify_ob3(document, keys.resolve)) == ["control_character"]


def test_it_refuses_a_document_without_our_proof(keys, issued):
    document = json.loads(issued.ob3_json)
    del document["proof"]
    assert codes(verify_ob3(document, keys.resolve)) == ["proof_missing"]


def test_it_refuses_a_tampered_jwt_payload(keys, issued):
    header, payload, signature = issued.ob3_jwt.split(".")
    assert codes(verify_ob3(f"{header}.{payload[:-4]}AAAA.{signature}", keys.resolve)) in (
        ["signature"],
        ["jwt_malformed"],
    )
    assert codes(verify_ob3("not.a-jwt", keys.resolve)) == ["jwt_malformed"]


def test_it_refuses_text_that_is_not_json(keys):
    assert codes(verify_ob3("{nope", keys.resolve)) == ["malformed"]
