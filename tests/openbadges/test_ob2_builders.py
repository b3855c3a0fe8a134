"""OB 2.0 hosted documents: ids, recipient hash, evidence, and every term in the v2 context."""

import dataclasses
import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pyld import jsonld as pyld

from insigne.openbadges import ob2
from insigne.openbadges.facts import BadgeFacts, Competency, CredentialFacts
from insigne.openbadges.rdf.jsonld import check_safe, document_loader
from tests.samples import DEMO_ISSUER

SITE = "https://badges.example.test"
GOLDEN = Path(__file__).with_name("test_ob2_assertion.golden.json")
ISSUER = DEMO_ISSUER
BADGE = BadgeFacts(
    slug="volontaire-service-civique",
    name="Volontaire du Service Civique",
    description="Mission de Service Civique d'au moins six mois.",
    criteria="Avoir accompli une mission de Service Civique d'au moins six mois.",
    competencies=(
        Competency(
            name="travailler en équipe",
            description="",
            framework="ESCO",
            code="S1.8.1",
            url="http://data.europa.eu/esco/skill/S1.8.1",
        ),
    ),
    image_url=f"{SITE}/ob2/badges/volontaire-service-civique/image.png",
)
CAMILLE = CredentialFacts(
    public_id="c4m1ll3",
    issued_at=datetime(2026, 7, 1, 8, 30, tzinfo=UTC),
    given_name="Camille",
    family_name="Démo",
    email="Camille.Demo@Example.org",
    salt="5a1t",
    host_name="Association Démo",
    domain="Solidarité",
    start_date=date(2026, 1, 1),
    end_date=date(2026, 6, 30),
    mission_title="Accompagnement scolaire",
    commune="Lyon",
    status_index=7,
    badge=BADGE,
    issuer=ISSUER,
)


def _expanded_types(doc: dict) -> list[str]:
    expanded = pyld.expand(doc, {"documentLoader": document_loader})
    return expanded[0]["@type"]


def test_the_assertion_matches_its_golden_file() -> None:
    assert ob2.build_assertion(CAMILLE) == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_the_recipient_is_the_salted_hash_of_the_lowercased_email() -> None:
    recipient = ob2.build_assertion(CAMILLE)["recipient"]

    expected = hashlib.sha256(b"camille.demo@example.org5a1t").hexdigest()
    assert recipient == {
        "type": "email",
        "hashed": True,
        "salt": "5a1t",
        "identity": f"sha256${expected}",
    }


def test_the_assertion_is_hosted_at_its_own_id_and_never_expires() -> None:
    assertion = ob2.build_assertion(CAMILLE)

    assert assertion["id"] == f"{SITE}/ob2/assertions/c4m1ll3"
    assert assertion["verification"] == {"type": "hosted"}
    assert assertion["badge"] == f"{SITE}/ob2/badges/volontaire-service-civique"
    assert assertion["image"] == f"{SITE}/badges/c4m1ll3/badge-ob2.png"
    assert "expires" not in assertion


def test_the_evidence_gives_dates_host_and_domain() -> None:
    (evidence,) = ob2.build_assertion(CAMILLE)["evidence"]

    assert "du 1er janvier 2026 au 30 juin 2026" in evidence["narrative"]
    assert "« Association Démo » (Lyon)" in evidence["narrative"]
    assert "« Solidarité »" in evidence["narrative"]
    # The town is not an audience, the domain not a genre (OB 2.0 Evidence).
    assert set(evidence) == {"type", "name", "narrative"}


def test_the_badge_class_aligns_each_competency() -> None:
    badge_class = ob2.build_badge_class(BADGE, ISSUER)

    assert badge_class["issuer"] == f"{SITE}/ob2/issuer"
    assert badge_class["criteria"]["narrative"] == BADGE.criteria
    assert badge_class["alignment"] == [
        {
            "targetName": "travailler en équipe",
            "targetUrl": "http://data.europa.eu/esco/skill/S1.8.1",
            "targetFramework": "ESCO",
            "targetCode": "S1.8.1",
        }
    ]


def test_the_issuer_lists_every_key_and_the_revocation_list() -> None:
    profile = ob2.build_issuer(ISSUER, ["k1", "k2"])

    assert profile["publicKey"] == [f"{SITE}/ob2/keys/k1", f"{SITE}/ob2/keys/k2"]
    assert profile["revocationList"] == f"{SITE}/ob2/revocations"
    assert profile["verification"] == {
        "startsWith": f"{SITE}/ob2/assertions/",
        "allowedOrigins": "badges.example.test",
    }


@pytest.mark.parametrize(
    ("site", "origins"),
    [
        ("https://badges.example.test", ["badges.example.test"]),
        ("https://badges.example.test:8443/insigne", []),
        ("http://127.0.0.1:8100", []),
    ],
)
def test_the_verification_policy_is_one_1edtech_validator_accepts(site, origins) -> None:
    """validator-core compares the assertion id's host:port with the allowed origins, the
    issuer id's own by default, and refuses an ``allowedOrigins`` with a port or an IP:
    such a site names none and the default (this site, port included) applies."""
    issuer = dataclasses.replace(ISSUER, site_url=site)
    profile = ob2.build_issuer(issuer, ["k1"])
    policy = profile["verification"]
    assertion_id = ob2.assertion_url(site, "c4m1ll3")

    assert assertion_id.startswith(policy["startsWith"])
    allowed = [policy["allowedOrigins"]] if "allowedOrigins" in policy else []
    assert allowed == origins
    default = urlsplit(profile["id"]).netloc
    assert urlsplit(assertion_id).netloc in (allowed or [default])


def test_the_revocation_list_gives_id_and_reason() -> None:
    doc = ob2.build_revocation_list(SITE, [ob2.Revocation("c4m1ll3", "Dates erronées")])

    assert doc["revokedAssertions"] == [
        {"id": f"{SITE}/ob2/assertions/c4m1ll3", "revocationReason": "Dates erronées"}
    ]


@pytest.mark.parametrize(
    ("doc", "rdf_type"),
    [
        (ob2.build_assertion(CAMILLE), "Assertion"),
        (ob2.build_badge_class(BADGE, ISSUER), "BadgeClass"),
        (ob2.build_issuer(ISSUER, ["k1"]), "Issuer"),
        (ob2.build_cryptographic_key(SITE, "k1", "-----BEGIN PUBLIC KEY-----"), "Key"),
        (ob2.build_revocation_list(SITE, [ob2.Revocation("x", "r")]), "RevocationList"),
    ],
)
def test_every_term_is_defined_by_the_v2_context(doc: dict, rdf_type: str) -> None:
    check_safe(doc)

    assert _expanded_types(doc)[0].rsplit("#", 1)[-1] == rdf_type
    assert doc["@context"] == "https://w3id.org/openbadges/v2"


def test_the_narrative_is_the_personal_description_naming_the_volunteer() -> None:
    personal = BadgeFacts(**{**BADGE.__dict__, "description": "Camille Démo a servi six mois."})
    facts = CredentialFacts(**{**CAMILLE.__dict__, "badge": personal})

    assert ob2.build_assertion(facts)["narrative"] == "Camille Démo a servi six mois."
    assert ob2.build_assertion(CAMILLE)["narrative"].startswith("Badge délivré à Camille Démo. ")
