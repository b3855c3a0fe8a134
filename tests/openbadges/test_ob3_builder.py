"""The OB 3.0 builder: URL scheme, recipient hash, evidence, optional fields, cleaning."""

import dataclasses
import hashlib

from insigne.openbadges.ob3 import build_credential, did_web, identity_hash
from tests.samples import DEMO_BADGE, DEMO_ISSUER, demo_facts


def test_it_places_every_id_under_the_site_url():
    credential = build_credential(demo_facts(public_id="abc123", index=42))
    site = "https://badges.example.test"
    assert credential["id"] == f"{site}/badges/abc123"
    assert credential["issuer"]["id"] == "did:web:badges.example.test"
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["id"] == f"{site}/ob3/achievements/service-civique"
    status = credential["credentialStatus"]
    assert status["statusListCredential"] == f"{site}/ob3/status/1"
    assert status["statusListIndex"] == "42"
    assert status["statusPurpose"] == "revocation"


def test_it_encodes_the_port_and_path_in_the_did_web():
    assert did_web("http://127.0.0.1:8000") == "did:web:127.0.0.1%3A8000"
    assert did_web("https://example.test:8443/sc") == "did:web:example.test%3A8443:sc"


def test_it_hashes_the_lowercased_email_with_the_salt():
    expected = hashlib.sha256(b"camille@example.org" + b"s4lt").hexdigest()
    assert identity_hash("Camille@Example.ORG", "s4lt") == f"sha256${expected}"
    identity = build_credential(demo_facts())["credentialSubject"]["identifier"][0]
    assert identity["hashed"] is True
    assert identity["identityType"] == "emailAddress"
    assert identity["salt"] == demo_facts().salt


def test_it_describes_the_mission_as_evidence():
    evidence = build_credential(demo_facts())["evidence"][0]
    assert evidence["name"] == "Accompagnement des personnes âgées isolées"
    assert "du 1er septembre 2025 au 28 février 2026" in evidence["narrative"]
    assert "« Association Exemple Solidaire » (Lyon)" in evidence["narrative"]
    assert "« Solidarité »" in evidence["narrative"]
    # OB 3.0 Evidence: the town is not an ``audience``, the domain not a ``genre``.
    assert set(evidence) == {"type", "name", "narrative"}


def test_it_leaves_out_empty_optional_facts():
    issuer = dataclasses.replace(DEMO_ISSUER, url="", email="", image_url="")
    badge = dataclasses.replace(DEMO_BADGE, competencies=(), image_url="")
    facts = dataclasses.replace(demo_facts(), issuer=issuer, badge=badge, commune="")
    credential = build_credential(facts)
    assert set(credential["issuer"]) == {"id", "type", "name"}
    achievement = credential["credentialSubject"]["achievement"]
    assert "alignment" not in achievement and "image" not in achievement
    assert "(" not in credential["evidence"][0]["narrative"]  # no town, no empty parentheses


def test_it_strips_control_characters_from_every_string():
    facts = dataclasses.replace(
        demo_facts(), given_name="Ca\x00mi\x1bl\x7fle", mission_title="A\nB\x85C\x9f"
    )
    credential = build_credential(facts)
    assert credential["credentialSubject"]["name"] == "Camille Exemple"
    assert credential["evidence"][0]["name"] == "A B C"


def test_it_builds_the_same_credential_from_the_same_facts():
    assert build_credential(demo_facts()) == build_credential(demo_facts())
