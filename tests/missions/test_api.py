"""The missions API: bearer token, JSON import summary, mission status."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone

from insigne.claims.models import Invitation
from insigne.missions import api
from insigne.missions.models import Mission, MissionImport
from tests.missions.helpers import issue_badge, row

pytestmark = pytest.mark.django_db
TOKEN = "jeton-de-test-0123456789"
URL = "/api/v1/missions"


@pytest.fixture(autouse=True)
def token(settings) -> None:
    settings.INSIGNE_API_TOKEN = TOKEN


def post(body: object, token: str | None = TOKEN, client: Client | None = None):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return (client or Client()).post(
        URL, json.dumps(body), content_type="application/json", headers=headers
    )


def test_no_token_is_401_with_a_json_error() -> None:
    response = post([row()], token=None)
    assert response.status_code == 401
    assert response.json()["error"] == "token_missing"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Mission.objects.exists()


def test_a_wrong_token_is_403() -> None:
    response = post([row()], token="jeton-de-test-0123456780")
    assert (response.status_code, response.json()["error"]) == (403, "token_invalid")
    assert not Mission.objects.exists()


def test_a_basic_authorization_header_is_not_a_token() -> None:
    response = Client().post(
        URL, "[]", content_type="application/json", headers={"Authorization": f"Basic {TOKEN}"}
    )
    assert response.status_code == 401


def test_the_api_is_closed_without_a_configured_token(settings) -> None:
    settings.INSIGNE_API_TOKEN = ""
    response = post([row()], token="")
    assert (response.status_code, response.json()["error"]) == (403, "api_closed")
    assert post([row()], token="anything").status_code == 403


def test_a_good_token_imports_and_returns_the_summary() -> None:
    response = post([row(), row(identifiant_mission="SC-2", date_debut="31/02/2026")])
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("read", "created", "updated", "unchanged", "rejected")} == {
        "read": 2,
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
    }
    (error,) = body["errors"]
    assert (error["line"], error["field"], error["reason"]) == (
        2,
        "date_debut",
        "date impossible « 31/02/2026 »",
    )
    assert MissionImport.objects.get(pk=body["import_id"]).source == "api"
    again = post([row()]).json()
    assert (again["unchanged"], again["created"]) == (1, 0)


def test_it_needs_no_csrf_token_because_the_bearer_token_authenticates() -> None:
    response = post([row()], client=Client(enforce_csrf_checks=True))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ("pas du json", 400, "invalid_json"),
        ('{"identifiant_mission": "X"}', 400, "list_expected"),
    ],
)
def test_it_refuses_bodies_that_are_not_a_list(body: str, status: int, code: str) -> None:
    response = Client().post(
        URL, body, content_type="application/json", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert (response.status_code, response.json()["error"]) == (status, code)


def test_it_caps_the_number_of_missions_per_request(monkeypatch) -> None:
    monkeypatch.setattr(api, "MAX_ROWS", 3)
    response = post([row(identifiant_mission=f"SC-{i}") for i in range(4)])
    assert (response.status_code, response.json()["error"]) == (413, "too_many_rows")
    assert not Mission.objects.exists()


def test_get_requires_the_token_too() -> None:
    Mission.objects.create(**_mission_fields())
    assert Client().get(f"{URL}/SC-2026-0001").status_code == 401


def status(external_id: str) -> tuple[int, dict[str, object]]:
    response = Client().get(f"{URL}/{external_id}", headers={"Authorization": f"Bearer {TOKEN}"})
    return response.status_code, response.json()


def test_get_unknown_mission_is_404() -> None:
    assert status("SC-inconnue") == (
        404,
        {"error": "not_found", "message": "Aucune mission avec cet identifiant."},
    )


def test_get_status_follows_the_journey() -> None:
    post([row(date_fin_effective="2026-01-15", motif_fin="rupture_anticipee")])
    code, body = status("SC-2026-0001")
    assert code == 200
    assert (body["eligible"], body["reason"], body["invited"], body["issued"]) == (
        False,
        "rupture_avant_6_mois",
        False,
        False,
    )
    assert body["reason_label"] == "La mission a été interrompue avant 6 mois."
    post([row()])
    mission = Mission.objects.get()
    Invitation.objects.create(mission=mission, sent_at=timezone.now())
    _, body = status("SC-2026-0001")
    assert (body["eligible"], body["invited"], body["claimed"], body["issued"]) == (
        True,
        True,
        False,
        False,
    )
    Invitation.objects.all().delete()
    credential = issue_badge(mission)
    Invitation.objects.filter(credential=credential).update(validated_at=timezone.now())
    _, body = status("SC-2026-0001")
    assert (body["invited"], body["claimed"], body["issued"], body["revoked"]) == (
        True,
        True,
        True,
        False,
    )
    assert body["issued_at"] == credential.issued_at.isoformat()


def _mission_fields() -> dict[str, object]:
    return {
        "external_id": "SC-2026-0001",
        "given_name": "Camille",
        "family_name": "Exemple",
        "email": "camille.exemple@example.org",
        "start_date": "2025-09-01",
        "planned_end_date": "2026-04-30",
        "host_name": "Association Démo",
        "domain": "solidarite",
    }
