"""The proof options' canonical form is filled in from a template: it must equal pyld's."""

import datetime as dt
import random

import pytest

from insigne.openbadges import proof
from insigne.openbadges.ob3 import OB3_CONTEXT
from insigne.openbadges.rdf.jsonld import canonicalize_generic

METHOD = "did:web:badges.example.test#key-1"


def options(created: str) -> dict:
    return {"@context": list(OB3_CONTEXT), **proof.proof_options(METHOD, created)}


@pytest.mark.parametrize("seed", range(5))
def test_the_filled_template_equals_the_generic_canonical_form(seed):
    rng = random.Random(seed)
    for _ in range(40):
        moment = dt.datetime(2000, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
            seconds=rng.randrange(0, 80 * 365 * 86400), microseconds=rng.randrange(0, 10**6)
        )
        for created in (moment.strftime("%Y-%m-%dT%H:%M:%SZ"), moment.isoformat()[:-6] + "Z"):
            config = options(created)
            assert proof._known_options(config) == canonicalize_generic(config)


@pytest.mark.parametrize(
    "created", ["2026-07-01T10:00:00+02:00", "2026-07-01", "not a date", '2026"x']
)
def test_other_dates_take_the_canonicaliser(created):
    assert proof._known_options(options(created)) is None


def test_extra_options_take_the_canonicaliser():
    config = options("2026-07-01T10:00:00Z") | {"expires": "2030-01-01T00:00:00Z"}
    assert proof._known_options(config) is None
