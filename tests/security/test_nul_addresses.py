"""An address holding a NUL byte names no page: a 404 on every route, before any query
(PostgreSQL refuses a NUL in a query's text: such a page answered 500)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

PATHS = [
    "/passeport/partage/ab%00cd/",
    "/p/ab%00cd/",
    "/obtenir/ab%00cd/",
    "/obtenir/ab%00cd/apercu/",
    "/portefeuille/echanges/ab%00cd",
    "/api/v1/missions/ab%00cd",
    "/ob2/keys/ab%00cd",
    "/badges/ab%00cd",
    "/%00",
]


@pytest.mark.parametrize("path", PATHS)
def test_a_nul_in_the_address_is_a_404_before_any_query(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 404, path
    # The 404 a visitor gets on any unknown address: the page, or the API's JSON.
    expected = "Aucune ressource" if path.startswith("/api/") else "Page introuvable"
    assert expected in response.content.decode()
    assert not queries, [q["sql"] for q in queries]
