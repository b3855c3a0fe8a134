"""Our canonical form is byte-identical to pyld's RDFC-1.0 output."""

import copy
import dataclasses
import random

import pytest

from insigne.openbadges.ob3 import build_credential
from insigne.openbadges.proof import proof_options
from insigne.openbadges.rdf.canon import canonicalize, canonicalize_known
from insigne.openbadges.rdf.jsonld import canonicalize_generic
from insigne.openbadges.statuslist import build_status_list_credential, encode_status_list
from tests.samples import DEMO_BADGE, demo_facts, hostile_facts


@pytest.mark.parametrize("seed", range(4))
def test_it_matches_pyld_on_thousands_of_hostile_credentials(seed):
    rng = random.Random(seed)
    for index in range(500):
        credential = build_credential(hostile_facts(rng, index))
        ours = canonicalize_known(credential)
        assert ours is not None, index
        assert ours == canonicalize_generic(credential, safe=False), index


def test_it_matches_pyld_on_proof_options():
    options = proof_options("did:web:badges.example.test%3A8443#key-2", "2026-01-01T00:00:00Z")
    for context in (
        build_credential(demo_facts())["@context"],
        ["https://www.w3.org/ns/credentials/v2"],
    ):
        config = {"@context": context, **options}
        assert canonicalize_known(config) == canonicalize_generic(config, safe=False)


def test_it_matches_pyld_on_the_status_list_credential():
    encoded = encode_status_list([0, 7, 130_000])
    document = build_status_list_credential(
        "https://badges.example.test", encoded, "2026-01-01T00:00:00Z"
    )
    assert canonicalize_known(document) == canonicalize_generic(document, safe=False)


def test_it_falls_back_to_pyld_when_two_blank_nodes_look_alike():
    twin = DEMO_BADGE.competencies[0]
    badge = dataclasses.replace(DEMO_BADGE, competencies=(twin, twin))
    credential = build_credential(dataclasses.replace(demo_facts(), badge=badge))
    assert canonicalize_known(credential) is None
    assert canonicalize(credential) == canonicalize_generic(credential)


def test_it_falls_back_to_pyld_on_a_shape_it_does_not_know():
    credential = build_credential(demo_facts())
    variants = []
    for mutate in (
        lambda d: d["credentialSubject"].update(activityStartDate="2025-09-01"),
        lambda d: d.update(validFrom=12),
        lambda d: d["issuer"].update(id="relative/issuer"),
        lambda d: d.update(
            {"@context": [*d["@context"], "https://w3id.org/security/data-integrity/v2"]}
        ),
        lambda d: d["credentialSubject"]["achievement"].update(type=["Achievement", "Other"]),
        lambda d: d["issuer"].pop("type"),
        lambda d: d["evidence"][0].update(type=[]),
    ):
        variant = copy.deepcopy(credential)
        mutate(variant)
        variants.append(variant)
    assert [canonicalize_known(variant) for variant in variants] == [None] * len(variants)


def test_it_writes_a_duplicate_value_once_like_pyld():
    credential = build_credential(demo_facts())
    credential["issuer"]["type"] = ["Profile", "Profile"]
    assert canonicalize_known(credential) == canonicalize_generic(credential)
