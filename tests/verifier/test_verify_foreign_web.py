"""verify() on another issuer's badges whose keys, status lists and hosted assertions are
served over HTTP, by a local server on 127.0.0.1 (allow-listed for plain http)."""

import json

import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from insigne.openbadges import ob2
from insigne.openbadges.jose import vcjwt as jwt
from insigne.openbadges.keys import IssuerKeys, did_document, jwks, new_key
from insigne.openbadges.multibase import b64url_encode
from insigne.openbadges.ob3 import build_credential, did_web
from insigne.openbadges.statuslist import build_status_list_credential, encode_status_list
from insigne.platform.messages import describe_fr
from insigne.verifier.verify import verify
from tests.verifier.helpers import (
    foreign_facts,
    json_route,
    local_server,
    public_bytes,
    sign,
    with_issuer,
)

INDEX = 7


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel("2026-07-01T12:00:00Z", tick=False):
        yield


@pytest.fixture
def server(settings):
    with local_server(settings) as running:
        yield running


@pytest.fixture
def keys(server):
    return IssuerKeys(keys=(new_key("key-1"),), site_url=server.base)


def publish_did_web(server, keys, revoked=()):
    """The issuer's did.json and its signed status list, as our own views build them."""
    server.routes["/.well-known/did.json"] = json_route(did_document(keys))
    status = build_status_list_credential(
        server.base, encode_status_list(revoked), "2026-07-01T00:00:00Z"
    )
    signed = sign(status, keys.active.private_key, keys.verification_method)
    server.routes["/ob3/status/1"] = json_route(signed, content_type="application/ld+json")


def did_web_badge(server, keys):
    document = build_credential(foreign_facts(server.base, status_index=INDEX))
    return sign(document, keys.active.private_key, keys.verification_method)


def failed(verdict):
    return [check.code for check in verdict.failed]


def test_it_accepts_a_did_web_badge_and_reads_its_status_list(db, server, keys):
    publish_did_web(server, keys)
    verdict = verify(json.dumps(did_web_badge(server, keys)))
    assert verdict.status == "valid", verdict.checks
    assert verdict.summary.issuer_id == did_web(server.base)
    assert "/ob3/status/1" in server.hits


def test_it_says_revoked_when_the_status_bit_is_set(db, server, keys):
    publish_did_web(server, keys, revoked=[INDEX])
    verdict = verify(json.dumps(did_web_badge(server, keys)))
    assert verdict.status == "revoked"
    assert failed(verdict) == ["revoked"]


def test_it_refuses_a_status_list_signed_by_someone_else(db, server, keys):
    publish_did_web(server, keys)
    intruder = Ed25519PrivateKey.generate()
    forged = json.loads(server.routes["/ob3/status/1"][2])
    forged = sign(forged, intruder, keys.verification_method)
    server.routes["/ob3/status/1"] = json_route(forged)
    assert failed(verify(json.dumps(did_web_badge(server, keys)))) == ["status_unreachable"]


def test_it_refuses_a_key_missing_from_the_did_document(db, server, keys):
    other = IssuerKeys(keys=(new_key("key-9"),), site_url=server.base)
    publish_did_web(server, other)
    assert "key_unknown" in failed(verify(json.dumps(did_web_badge(server, keys))))


def test_it_says_so_when_the_did_document_is_unreachable(db, server, keys):
    assert failed(verify(json.dumps(did_web_badge(server, keys))))[0] == "key_unreachable"


def test_it_accepts_a_jwt_whose_kid_is_a_jwks_url_of_the_issuers_site(db, server):
    key = Ed25519PrivateKey.generate()
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(public_bytes(key)), "kid": "k1"}
    server.routes["/jwks.json"] = json_route({"keys": [jwk]})
    document = build_credential(foreign_facts(server.base))
    del document["credentialStatus"]
    document = with_issuer(document, f"{server.base}/issuer")
    verdict = verify(jwt.sign(document, key, f"{server.base}/jwks.json#k1"))
    assert verdict.status == "valid", verdict.checks


def test_it_refuses_a_jwks_url_on_another_site_than_the_issuers(db, server):
    key = Ed25519PrivateKey.generate()
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(public_bytes(key)), "kid": "k1"}
    server.routes["/jwks.json"] = json_route({"keys": [jwk]})
    document = build_credential(foreign_facts(server.base))
    del document["credentialStatus"]
    document = with_issuer(document, "https://emetteur-usurpe.example/issuer")
    assert failed(verify(jwt.sign(document, key, f"{server.base}/jwks.json#k1"))) == ["key_binding"]


def test_our_own_jwks_serves_the_same_purpose(db, server, keys):
    server.routes["/.well-known/jwks.json"] = json_route(jwks(keys))
    document = with_issuer(build_credential(foreign_facts(server.base)), f"{server.base}/issuer")
    del document["credentialStatus"]
    kid = f"{server.base}/.well-known/jwks.json#{keys.verification_method}"
    token = jwt.sign(document, keys.active.private_key, kid)
    assert verify(token).status == "valid"


# --- OB 2.0 hosted ------------------------------------------------------------------


def publish_ob2(server, revoked=()):
    facts = foreign_facts(server.base)
    assertion = ob2.build_assertion(facts)
    server.routes[f"/ob2/assertions/{facts.public_id}"] = json_route(assertion)
    server.routes[f"/ob2/badges/{facts.badge.slug}"] = json_route(
        ob2.build_badge_class(facts.badge, facts.issuer)
    )
    server.routes["/ob2/issuer"] = json_route(ob2.build_issuer(facts.issuer, ["key-1"]))
    revocations = [ob2.Revocation(public_id, "Erreur") for public_id in revoked]
    server.routes["/ob2/revocations"] = json_route(
        ob2.build_revocation_list(server.base, revocations)
    )
    return facts, assertion


def test_it_accepts_a_foreign_hosted_assertion(db, server):
    _facts, assertion = publish_ob2(server)
    verdict = verify(json.dumps(assertion), expected_email="camille.exemple@example.org")
    assert verdict.status == "valid", verdict.checks
    assert verdict.recipient_match is True
    assert verdict.summary.issuer_name == "Autre Émetteur"
    assert verdict.summary.achievement_name == "Engagement de Service Civique"


def test_it_accepts_a_foreign_assertion_given_by_its_url(db, server):
    _facts, assertion = publish_ob2(server)
    verdict = verify(assertion["id"])
    assert (verdict.status, verdict.container) == ("valid", "url")


def test_it_says_revoked_on_410_gone(db, server):
    facts, assertion = publish_ob2(server)
    server.routes[f"/ob2/assertions/{facts.public_id}"] = json_route({"revoked": True}, 410)
    assert verify(json.dumps(assertion)).status == "revoked"


def test_it_says_revoked_when_the_issuer_lists_it(db, server):
    _facts, assertion = publish_ob2(server, revoked=[foreign_facts(server.base).public_id])
    assert verify(json.dumps(assertion)).status == "revoked"


def test_it_refuses_a_hosted_assertion_that_differs_from_the_published_one(db, server):
    _facts, assertion = publish_ob2(server)
    tampered = assertion | {"issuedOn": "2019-01-01T00:00:00Z"}
    assert failed(verify(json.dumps(tampered))) == ["hosted"]


def test_it_refuses_an_assertion_hosted_outside_the_issuers_origins(db, server):
    facts, assertion = publish_ob2(server)
    issuer = ob2.build_issuer(facts.issuer, ["key-1"])
    issuer["id"] = "https://emetteur.example/issuer"
    issuer["verification"] = {"allowedOrigins": "emetteur.example"}
    server.routes["/ob2/issuer"] = json_route(issuer)
    assert failed(verify(json.dumps(assertion))) == ["key_binding"]


def test_it_refuses_a_missing_badge_class(db, server):
    facts, assertion = publish_ob2(server)
    del server.routes[f"/ob2/badges/{facts.badge.slug}"]
    assert failed(verify(json.dumps(assertion))) == ["badge_class"]


def test_it_refuses_an_assertion_missing_required_fields(db):
    assertion = {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "x"}
    verdict = verify(json.dumps(assertion))
    assert failed(verdict) == ["shape"]
    assert "recipient" in describe_fr(verdict.failed[0].reason, verdict.failed[0].params)
