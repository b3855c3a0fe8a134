"""verify() on OB 2.0 signed assertions (a JWS checked with the issuer's CryptographicKey)."""

import json

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from insigne.openbadges import ob2
from insigne.openbadges.baking import bake_png
from insigne.openbadges.multibase import b64url_encode
from insigne.verifier.verify import verify
from tests.personas import badge_png
from tests.verifier.helpers import foreign_facts, json_route, local_server


@pytest.fixture
def server(settings):
    with local_server(settings) as running:
        yield running


@pytest.fixture(scope="module")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def jws(payload, key):
    header = b64url_encode(json.dumps({"alg": "RS256"}).encode())
    body = b64url_encode(json.dumps(payload).encode())
    signature = key.sign(f"{header}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{header}.{body}.{b64url_encode(signature)}"


def publish(server, key, owner=None):
    facts = foreign_facts(server.base)
    issuer = ob2.build_issuer(facts.issuer, ["key-1"])
    pem = key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()
    crypto_key = ob2.build_cryptographic_key(server.base, "key-1", pem)
    if owner:
        crypto_key["owner"] = owner
    server.routes["/ob2/keys/key-1"] = json_route(crypto_key)
    server.routes["/ob2/issuer"] = json_route(issuer)
    server.routes[f"/ob2/badges/{facts.badge.slug}"] = json_route(
        ob2.build_badge_class(facts.badge, facts.issuer)
    )
    server.routes["/ob2/revocations"] = json_route(ob2.build_revocation_list(server.base, []))
    assertion = ob2.build_assertion(facts)
    assertion["verification"] = {"type": "signed", "creator": crypto_key["id"]}
    return assertion


def failed(verdict):
    return [check.code for check in verdict.failed]


def test_it_accepts_a_signed_assertion_baked_in_a_png(db, server, rsa_key):
    token = jws(publish(server, rsa_key), rsa_key)
    verdict = verify(bake_png(badge_png(), "openbadges", token))
    assert verdict.status == "valid", verdict.checks
    assert verdict.summary.version == "ob2"
    assert {"signature", "key_binding"} <= set(verdict.codes())


def test_it_refuses_a_signature_by_another_key(db, server, rsa_key):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert failed(verify(jws(publish(server, rsa_key), other))) == ["signature"]


def test_it_refuses_a_key_owned_by_someone_else(db, server, rsa_key):
    assertion = publish(server, rsa_key, owner="https://autre.example/issuer")
    assert failed(verify(jws(assertion, rsa_key))) == ["key_binding"]


def test_it_asks_for_the_jws_when_given_a_signed_assertion_as_plain_json(db, server, rsa_key):
    assert failed(verify(json.dumps(publish(server, rsa_key)))) == ["signature"]
