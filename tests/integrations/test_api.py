"""/api/v2: scoped tokens, the same import as the CSV file, credentials since a date, revoke."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.test import Client
from django.utils import timezone

from insigne.badges.models import Credential
from insigne.integrations.models import ApiToken, Scope
from insigne.integrations.tokens import create_token, revoke_token
from insigne.missions.models import Mission
from insigne.platform.models import AuditEntry
from tests.integrations.conftest import bearer
from tests.missions.helpers import issue_badge, row
from tests.personas import make_mission

pytestmark = pytest.mark.django_db

CALLS = {
    Scope.MISSIONS_WRITE: ("post", "/api/v2/missions", []),
    Scope.MISSIONS_READ: ("get", "/api/v2/missions/SC-1", None),
    Scope.CREDENTIALS_READ: ("get", "/api/v2/credentials?since=2026-01-01", None),
    Scope.CREDENTIALS_REVOKE: ("post", "/api/v2/credentials/abc/revoke", {"reason": "erreur"}),
}


def call(method: str, url: str, body: object, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    if method == "post":
        return Client().post(
            url, json.dumps(body), content_type="application/json", headers=headers
        )
    return Client().get(url, headers=headers)


@pytest.mark.parametrize("scope", list(CALLS))
def test_each_operation_needs_its_scope(make_token, scope):
    method, url, body = CALLS[scope]
    others = make_token([s for s in Scope.values if s != scope])
    refused = call(method, url, body, bearer(others))
    assert refused.status_code == 403
    assert refused.json()["error"] == "scope_missing"
    assert scope in refused.json()["message"]

    allowed = call(method, url, body, bearer(make_token([scope])))
    assert allowed.status_code in (200, 404)
    assert allowed.json().get("error") != "scope_missing"


@pytest.mark.parametrize("scope", list(CALLS))
def test_no_unknown_expired_or_revoked_token_gets_in(make_token, scope):
    method, url, body = CALLS[scope]
    expired = create_token("vieux", [scope], timezone.now() - dt.timedelta(seconds=1)).secret
    revoked = create_token("révoqué", [scope], timezone.now() + dt.timedelta(days=1))
    revoke_token(revoked.token)
    for headers in ({}, bearer("ins_inconnu"), bearer(expired), bearer(revoked.secret)):
        response = call(method, url, body, headers)
        assert response.status_code == 401, headers
        assert response.json()["error"] == "token_refused"
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Mission.objects.exists()


def test_a_token_is_stored_as_its_hash_only_and_its_last_use_is_noted(make_token):
    secret = make_token([Scope.MISSIONS_READ])
    token = ApiToken.objects.get()
    assert len(secret) >= 4 + 43  # 256 random bits, URL-safe
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in json.dumps(list(ApiToken.objects.values()), default=str)
    assert token.last_used_at is None
    Client().get("/api/v2/missions/SC-1", headers=bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_missions_are_imported_with_the_csv_rules_and_per_row_errors(make_token):
    body = [
        row(),
        row(identifiant_mission="SC-2", date_debut="31/02/2026"),
        row(identifiant_mission="SC-3", prenom=12),
        {"identifiant_mission": "SC-4", "inconnu": "x"},
    ]
    response = call("post", "/api/v2/missions", body, bearer(make_token([Scope.MISSIONS_WRITE])))
    assert response.status_code == 200
    summary = response.json()
    assert (summary["read"], summary["created"], summary["rejected"]) == (4, 1, 3)
    by_line = {(e["line"], e["field"]) for e in summary["errors"]}
    assert {(2, "date_debut"), (3, "prenom"), (4, "inconnu")} <= by_line
    assert Mission.objects.get().external_id == "SC-2026-0001"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{", 400, "invalid_json"),
        (b'{"a": 1}', 400, "list_expected"),
        (b"[" * 100 + b"]" * 100, 400, "json_too_deep"),
        (json.dumps([{}] * 5001).encode(), 413, "too_many_rows"),
    ],
)
def test_a_bad_body_is_a_json_4xx_with_a_stable_code(make_token, body, status, code):
    response = Client().post(
        "/api/v2/missions",
        body,
        content_type="application/json",
        headers=bearer(make_token([Scope.MISSIONS_WRITE])),
    )
    assert response.status_code == status
    assert response.json()["error"] == code
    assert response.json()["message"]


def test_a_mission_status_reads_where_it_stands(make_token, camille):
    headers = bearer(make_token([Scope.MISSIONS_READ]))
    found = Client().get(f"/api/v2/missions/{camille.external_id}", headers=headers)
    assert found.status_code == 200
    assert found.json()["eligible"] is True and found.json()["invited"] is False
    missing = Client().get("/api/v2/missions/SC-NONE", headers=headers)
    assert missing.status_code == 404
    assert missing.json()["error"] == "mission_not_found"


def _credential(external_id: str, issued: dt.datetime) -> Credential:
    credential = issue_badge(make_mission(external_id))
    Credential.objects.filter(pk=credential.pk).update(
        issued_at=issued, public_id=f"pub-{external_id}"
    )
    credential.refresh_from_db()
    return credential


def test_credentials_since_a_date_are_paged_without_gap_or_repeat(make_token):
    base = dt.datetime(2026, 7, 1, tzinfo=dt.UTC)
    old = _credential("OLD", base - dt.timedelta(days=30))
    recent = [_credential(f"NEW-{i}", base + dt.timedelta(hours=i)) for i in range(5)]
    Credential.objects.filter(pk=old.pk).update(revoked_at=base + dt.timedelta(days=2))
    headers = bearer(make_token([Scope.CREDENTIALS_READ]))
    seen, after = [], 0
    while True:
        page = (
            Client()
            .get(
                "/api/v2/credentials",
                {"since": "2026-07-01T00:00:00Z", "limit": 2, "after": after},
                headers=headers,
            )
            .json()
        )
        seen += [item["id"] for item in page["items"]]
        assert len(page["items"]) <= 2
        if page["next_after"] is None:
            break
        after = page["next_after"]
    assert seen == ["pub-OLD"] + [c.public_id for c in recent]
    revoked = (
        Client()
        .get("/api/v2/credentials", {"since": "2026-07-02T00:00:00+02:00"}, headers=headers)
        .json()["items"]
    )
    assert revoked[0]["id"] == "pub-OLD" and revoked[0]["revoked_at"]
    assert revoked[0]["identifiant_mission"] == "OLD"


def test_since_must_be_an_iso_date(make_token):
    response = Client().get(
        "/api/v2/credentials",
        {"since": "0.5"},
        headers=bearer(make_token([Scope.CREDENTIALS_READ])),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert response.json()["details"][0]["loc"][-1] == "since"


def test_revoke_is_published_once_and_says_so(make_token, client):
    credential = _credential("REV", dt.datetime(2026, 7, 1, tzinfo=dt.UTC))
    headers = bearer(make_token([Scope.CREDENTIALS_REVOKE]))
    url = f"/api/v2/credentials/{credential.public_id}/revoke"
    first = call("post", url, {"reason": "Erreur de structure"}, headers)
    assert first.status_code == 200
    assert first.json()["changed"] is True
    assert first.json()["credential"]["revoked_at"]
    credential.refresh_from_db()
    assert credential.revocation_reason == "Erreur de structure"
    again = call("post", url, {"reason": "autre"}, headers)
    assert again.json()["changed"] is False
    credential.refresh_from_db()
    assert credential.revocation_reason == "Erreur de structure"
    assert call("post", url, {"reason": ""}, headers).status_code == 400
    missing = call("post", "/api/v2/credentials/nope/revoke", {"reason": "x"}, headers)
    assert missing.status_code == 404 and missing.json()["error"] == "credential_not_found"


def test_correct_goes_through_the_correction_service(make_token):
    credential = _credential("COR", dt.datetime(2026, 7, 1, tzinfo=dt.UTC))
    headers = bearer(make_token([Scope.CREDENTIALS_REVOKE]))
    url = f"/api/v2/credentials/{credential.public_id}/correct"
    empty = call("post", url, {"reason": "faute"}, headers)
    assert empty.status_code == 400 and empty.json()["error"] == "correction_empty"
    same = call("post", url, {"reason": "faute", "host_name": credential.host_name}, headers)
    assert same.status_code == 400 and same.json()["error"] == "nothing_corrected"

    response = call("post", url, {"reason": "faute", "host_name": "Association Juste"}, headers)
    assert response.status_code == 200, response.content
    body = response.json()
    new = Credential.objects.get(public_id=body["credential"]["id"])
    assert new.host_name == "Association Juste"
    assert body["replaced"]["revoked_at"]
    credential.refresh_from_db()
    assert credential.replaced_by_id == new.pk and credential.revoked_at is not None
    entry = AuditEntry.objects.get(action="reissue")
    assert entry.actor_name.startswith("api:")

    again = call("post", url, {"reason": "faute", "host_name": "Autre"}, headers)
    assert again.status_code == 409


def test_each_token_is_rate_limited(make_token, settings):
    settings.API_RATE_PER_MINUTE = 3
    headers = bearer(make_token([Scope.MISSIONS_READ]))
    statuses = [
        Client().get("/api/v2/missions/SC-1", headers=headers).status_code for _ in range(4)
    ]
    assert statuses == [404, 404, 404, 429]
    limited = Client().get("/api/v2/missions/SC-1", headers=headers)
    assert limited.json()["error"] == "rate_limited" and limited["Retry-After"] == "60"
    # another token has its own allowance
    other = Client().get("/api/v2/missions/SC-1", headers=bearer(make_token([Scope.MISSIONS_READ])))
    assert other.status_code == 404


def test_the_description_is_served_and_valid_openapi():
    from openapi_spec_validator import validate

    response = Client().get("/api/v2/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    validate(spec)
    assert set(spec["paths"]) == {
        "/api/v2/missions",
        "/api/v2/missions/{identifiant_mission}",
        "/api/v2/credentials",
        "/api/v2/credentials/{credential_id}/revoke",
        "/api/v2/credentials/{credential_id}/correct",
    }


def test_v1_is_unchanged(settings):
    settings.INSIGNE_API_TOKEN = "jeton-v1-0123456789"
    response = Client().get("/api/v1/missions/SC-1", headers=bearer("jeton-v1-0123456789"))
    assert response.status_code == 404 and response.json()["error"] == "not_found"
