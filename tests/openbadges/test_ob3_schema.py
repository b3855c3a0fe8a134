"""Every credential we sign validates against the official OB 3.0 JSON Schema."""

import json
import random
from pathlib import Path

import jsonschema
import pytest

from insigne.openbadges.issuance import issue
from insigne.openbadges.keys import IssuerKeys, new_key
from tests.samples import SITE_URL, demo_facts, hostile_facts

SCHEMA_NAME = "ob_v3p0_achievementcredential_schema.json"
ROOT = Path(__file__).resolve().parents[2]
# The published schema beside the repository (as in CI), else the copy the
# verifier ships, which a test below proves identical whenever both exist.
SHARED_SCHEMA = ROOT.parent / "shared/standards/schemas" / SCHEMA_NAME
PACKAGED_SCHEMA = ROOT / "insigne/verifier/schemas" / SCHEMA_NAME
SCHEMA_PATH = SHARED_SCHEMA if SHARED_SCHEMA.exists() else PACKAGED_SCHEMA


def test_the_packaged_schema_is_the_published_one():
    if not SHARED_SCHEMA.exists():
        pytest.skip("the standards folder is not beside this checkout")
    packaged = json.loads(PACKAGED_SCHEMA.read_text())
    assert packaged == json.loads(SHARED_SCHEMA.read_text())


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text())
    return jsonschema.Draft201909Validator(
        schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    )


@pytest.fixture(scope="module")
def keys():
    return IssuerKeys(keys=(new_key("key-1"),), site_url=SITE_URL)


def test_the_demo_credential_validates_against_the_official_schema(validator, keys):
    document = json.loads(issue(demo_facts(), keys).ob3_json)
    assert list(validator.iter_errors(document)) == []
    assert isinstance(document["proof"], list)
    assert "validUntil" not in document


def test_hostile_credentials_validate_against_the_official_schema(validator, keys):
    rng = random.Random(3)
    for index in range(200):
        document = json.loads(issue(hostile_facts(rng, index), keys).ob3_json)
        errors = [error.message for error in validator.iter_errors(document)]
        assert errors == [], (index, errors)


def test_the_schema_check_catches_a_missing_issuer(validator, keys):
    document = json.loads(issue(demo_facts(), keys).ob3_json)
    del document["issuer"]
    assert list(validator.iter_errors(document)) != []
