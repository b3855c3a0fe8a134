"""The published API description is valid OpenAPI 3.1 and the API answers as it says."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from insigne.claims import services
from tests.claims.helpers import invite

TOKEN = "jeton-de-test-0123456789abcdef"
ROW = {
    "identifiant_mission": "SC-API-1",
    "prenom": "Camille",
    "nom": "Démo",
    "email": "camille.api@exemple.test",
    "date_debut": "2026-01-01",
    "date_fin_prevue": "2026-06-30",
    "date_fin_effective": "2026-06-30",
    "structure": "Association Exemple",
    "domaine": "Solidarité",
}


@pytest.fixture
def spec(client):
    return client.get(reverse("openapi")).json()


def response_schema(spec, path: str, method: str, status: int) -> Draft202012Validator:
    """A validator for the JSON body the description promises for this response."""
    escaped = path.replace("~", "~0").replace("/", "~1")
    pointer = f"/paths/{escaped}/{method}/responses/{status}"
    response = spec["paths"][path][method]["responses"][str(status)]
    if "$ref" in response:
        pointer = response["$ref"].removeprefix("#")
    pointer += "/content/application~1json/schema"
    # OpenAPI 3.1 schemas are JSON Schema 2020-12; the whole description is the
    # resource, so "#/components/..." references resolve inside it.
    resource = DRAFT202012.create_resource({**spec, "$id": "urn:api"})
    registry = Registry().with_resource("urn:api", resource)
    return Draft202012Validator({"$ref": f"urn:api#{pointer}"}, registry=registry)


def assert_conforms(spec, path, method, response):
    validator = response_schema(spec, path, method, response.status_code)
    errors = [error.message for error in validator.iter_errors(response.json())]
    assert errors == []


def test_the_description_is_valid_openapi(spec):
    validate(spec)


@pytest.mark.django_db
def test_the_missions_api_answers_as_described(client, settings, spec):
    settings.INSIGNE_API_TOKEN = TOKEN
    auth = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}
    rows = [ROW, {**ROW, "identifiant_mission": "SC-API-2", "date_debut": "31/02/2026"}]
    imported = client.post(
        "/api/v1/missions", json.dumps(rows), content_type="application/json", **auth
    )
    assert imported.status_code == 200
    assert_conforms(spec, "/api/v1/missions", "post", imported)
    status = client.get("/api/v1/missions/SC-API-1", **auth)
    assert_conforms(spec, "/api/v1/missions/{identifiant_mission}", "get", status)
    for response in (
        client.get("/api/v1/missions/inconnue", **auth),
        client.get("/api/v1/missions/SC-API-1"),
        client.post("/api/v1/missions", "{", content_type="application/json", **auth),
    ):
        assert response.status_code in (400, 401, 404)
        path = (
            "/api/v1/missions"
            if response.request["REQUEST_METHOD"] == "POST"
            else ("/api/v1/missions/{identifiant_mission}")
        )
        assert_conforms(spec, path, response.request["REQUEST_METHOD"].lower(), response)


@pytest.mark.django_db
def test_the_verify_api_answers_as_described(client, spec, camille, badge_class):
    invitation, _ = invite(camille)
    credential = services.validate_claim(invitation)
    verdict = client.post("/api/v1/verify", credential.ob3_json, content_type="application/json")
    assert verdict.json()["status"] == "valid"
    assert_conforms(spec, "/api/v1/verify", "post", verdict)
    empty = client.post("/api/v1/verify", b"", content_type="application/octet-stream")
    assert empty.status_code == 400
    assert_conforms(spec, "/api/v1/verify", "post", empty)
