"""Addresses naming a badge by an id it cannot have: a 404, before any query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from insigne.openbadges.addresses import PATHS

pytestmark = pytest.mark.django_db

# Not a public id: a NUL byte (PostgreSQL refuses it in a query), others outside its
# alphabet, and one longer than any.
HOSTILE = ["ab%00cd", "%00", "ab%20cd", "a%27b", "%C3%A9t%C3%A9", "x" * 33]
ROUTES = [p for p in PATHS.values() if "{public_id}" in p] + [
    "badges/{public_id}/visibilite/",
    "badges/{public_id}/linkedin",
    "verifier/badge/{public_id}",
    "passeport/portefeuille/{public_id}/",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_an_impossible_id_is_a_404_on_every_route(client, hostile):
    for route in ROUTES:
        path = "/" + route.format(public_id=hostile, language="fr")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 404, path
        assert not [q for q in queries if "credential" in q["sql"]], path  # no badge looked up
