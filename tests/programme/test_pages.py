"""The programme pages: background imports, campaigns, tokens, the funnel, the LinkedIn redirect."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from insigne.claims import services
from insigne.integrations.models import ApiToken
from insigne.missions.csv_format import rows_from_objects, validate_rows
from insigne.missions.services import import_missions
from insigne.platform import roles
from insigne.programme.imports import safe_cell
from insigne.programme.models import BackgroundImport, Campaign, CountKind, DailyCount
from tests.claims.helpers import invite
from tests.missions.helpers import csv_bytes, row

pytestmark = pytest.mark.django_db


# --- background imports --------------------------------------------------------------------


def test_an_upload_is_imported_in_the_background_with_an_outlook(
    login, settings, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(dt.datetime(2026, 7, 1, 10, 0, tzinfo=dt.UTC), tick=False)
    settings.DAILY_INVITATIONS_ENDED_FROM = dt.date(2026, 1, 1)
    client = login(roles.perm(roles.MANAGE_IMPORTS))
    rows = [
        row(identifiant_mission="ENDED", date_debut="2025-09-01", date_fin_effective="2026-04-30"),
        row(
            identifiant_mission="FUTURE",
            date_debut="2026-01-10",
            date_fin_prevue="2026-07-20",
            date_fin_effective="2026-07-20",
        ),
        row(
            identifiant_mission="OLD",
            date_debut="2024-01-01",
            date_fin_prevue="2024-07-31",
            date_fin_effective="2024-07-31",
        ),
        row(
            identifiant_mission="SHORT",
            date_fin_effective="2025-10-31",
            motif_fin="rupture_anticipee",
        ),
        row(identifiant_mission="BAD", date_debut="31/02/2026"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("programme_imports"),
            {"file": SimpleUploadedFile("lot.csv", csv_bytes(rows), "text/csv")},
        )
    job = BackgroundImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("programme_import", args=[job.pk])
    assert (job.status, job.rows_done, job.percent) == ("done", 5, 100)
    assert bytes(job.data) == b""  # the file is not kept once imported
    assert job.result.created == 4 and job.result.rejected == 1
    assert job.outlook["missions"] == 4 and job.outlook["eligible"] == 3
    assert job.outlook["next_run"] == 1  # ENDED: at the next daily run
    assert job.outlook["backfill"] == 1  # OLD: before the opening, a campaign's
    assert job.outlook["upcoming"] == [["2026-07-21", 1]]  # FUTURE: the day after its end

    progress = client.get(reverse("programme_import_progress", args=[job.pk])).json()
    assert progress == {
        "status": "done",
        "status_label": "Terminé",
        "rows_done": 5,
        "rows_total": 5,
        "percent": 100,
        "finished": True,
    }
    page = client.get(reverse("programme_import", args=[job.pk])).content.decode()
    assert "3 missions éligibles au badge" in page
    assert "seront invitées" in page or "sera invitée au prochain envoi quotidien" in page
    assert "21/07/2026" in page or "2026-07-21" in page
    assert reverse("programme_rejected_csv", args=[job.result.pk]) in page
    listing = client.get(reverse("programme_imports")).content.decode()
    assert "lot.csv" in listing


def test_an_unreadable_file_fails_its_job_with_the_reason(
    login, django_capture_on_commit_callbacks
):
    client = login(roles.perm(roles.MANAGE_IMPORTS))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("programme_imports"),
            {"file": SimpleUploadedFile("x.csv", b"nom;prenom\nA;B\n", "text/csv")},
        )
    job = BackgroundImport.objects.get()
    assert job.status == "failed" and "identifiant_mission" in job.failure


def test_a_file_whose_rows_are_all_rejected_has_its_page_and_a_zero_outlook(
    login, django_capture_on_commit_callbacks
):
    client = login(roles.perm(roles.MANAGE_IMPORTS))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("programme_imports"),
            {"file": SimpleUploadedFile("x.csv", csv_bytes([row(date_debut="demain")]))},
        )
    job = BackgroundImport.objects.get()
    assert (job.status, job.result.rejected) == ("done", 1)
    assert job.outlook["missions"] == job.outlook["eligible"] == 0
    page = client.get(reverse("programme_import", args=[job.pk]))
    assert page.status_code == 200
    assert re.search(r"\b0 missions? éligibles? au badge", page.content.decode())


def test_rejected_rows_download_as_csv_safe_from_formulas(login):
    result = import_missions(
        validate_rows(rows_from_objects([row(date_debut="demain"), {"=HYPERLINK(1)": "x"}])), "api"
    )
    response = login(roles.perm(roles.MANAGE_IMPORTS)).get(
        reverse("programme_rejected_csv", args=[result.pk])
    )
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == ["ligne", "colonne", "motif"]
    assert lines[1][:2] == ["1", "date_debut"]
    assert any(line[1] == "'=HYPERLINK(1)" for line in lines[1:])
    assert not any(cell.startswith(("=", "+", "-", "@")) for line in lines for cell in line)


@pytest.mark.parametrize("value", ["=1+1", "+33 6", "-2", "@SUM(A1)", "\t=x", "%0A"])
def test_a_cell_that_would_be_a_formula_is_quoted(value):
    assert safe_cell(value) == "'" + value


# --- campaigns -----------------------------------------------------------------------------


def test_a_campaign_is_prepared_counted_started_paused_resumed(login, camille, time_machine):
    time_machine.move_to(dt.datetime(2026, 7, 2, 8, 0, tzinfo=dt.UTC), tick=False)
    client = login(roles.perm(roles.MANAGE_CAMPAIGNS))
    reversed_dates = client.post(
        reverse("programme_campaigns"),
        {"name": "x", "ended_from": "31/12/2026", "ended_until": "01/01/2026", "per_hour": "10"},
    )
    assert reversed_dates.status_code == 400
    assert "dates inversées" in reversed_dates.content.decode()
    assert not Campaign.objects.exists()

    created = client.post(
        reverse("programme_campaigns"),
        {
            "name": "Été 2026",
            "ended_from": "01/06/2026",
            "ended_until": "30/06/2026",
            "per_hour": "10",
        },
    )
    campaign = Campaign.objects.get()
    assert created["Location"] == reverse("programme_campaign", args=[campaign.pk])
    page = client.get(created["Location"]).content.decode()
    assert "inviterait 1 volontaire" in page
    for action, status in (("start", "running"), ("pause", "paused"), ("resume", "running")):
        client.post(reverse("programme_campaign_action", args=[campaign.pk, action]))
        campaign.refresh_from_db()
        assert campaign.status == status
    refused = client.post(
        reverse("programme_campaign_action", args=[campaign.pk, "resume"]), follow=True
    )
    assert "pas en pause" in refused.content.decode()
    assert (
        client.post(reverse("programme_campaign_action", args=[campaign.pk, "boom"])).status_code
        == 404
    )


# --- tokens --------------------------------------------------------------------------------


def test_a_token_is_shown_once_then_listed_and_revoked(login):
    client = login(roles.perm(roles.MANAGE_API_TOKENS))
    response = client.post(
        reverse("integrations_tokens"),
        {
            "name": "SI Agence",
            "scopes": ["missions:write", "missions:read"],
            "expires_on": "01/01/2027",
        },
    )
    page = response.content.decode()
    token = ApiToken.objects.get()
    secret = page.split('<code id="new-token">')[1].split("</code>")[0]
    assert secret.startswith(token.prefix) and len(secret) > 40
    assert token.scopes == ["missions:read", "missions:write"]
    again = client.get(reverse("integrations_tokens")).content.decode()
    assert secret not in again and token.prefix in again
    client.post(reverse("integrations_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    api = Client().get("/api/v2/missions/X", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 401


def test_a_token_form_refuses_a_past_expiry_and_no_scope(login):
    response = login(roles.perm(roles.MANAGE_API_TOKENS)).post(
        reverse("integrations_tokens"), {"name": "x", "expires_on": "01/01/2020"}
    )
    assert response.status_code == 400
    assert "dans le futur" in response.content.decode()
    assert not ApiToken.objects.exists()


# --- counters and the funnel ---------------------------------------------------------------


@pytest.fixture
def credential(camille, badge_class):
    invitation, _ = invite(camille)
    return services.validate_claim(invitation)


def test_visits_and_linkedin_clicks_are_counted_per_day_only(client, credential):
    url = reverse("badge", args=[credential.public_id])
    client.get(url)
    client.get(url)
    click = client.get(reverse("programme_linkedin", args=[credential.public_id]))
    assert click.status_code == 302
    assert click["Location"].startswith("https://www.linkedin.com/profile/add?")
    counts = {c.kind: c.count for c in DailyCount.objects.all()}
    assert counts == {CountKind.BADGE_VIEW: 2, CountKind.LINKEDIN_CLICK: 1}
    assert [f.name for f in DailyCount._meta.concrete_fields] == ["id", "kind", "day", "count"]


def test_no_linkedin_redirect_for_a_revoked_or_hidden_badge(client, credential):
    from insigne.badges.models import Visibility
    from insigne.badges.services import revoke_credential, set_visibility

    set_visibility(credential, Visibility.HIDDEN)
    assert client.get(reverse("programme_linkedin", args=[credential.public_id])).status_code == 404
    set_visibility(credential, Visibility.LINK)
    revoke_credential(credential, "erreur")
    assert client.get(reverse("programme_linkedin", args=[credential.public_id])).status_code == 404
    assert client.get(reverse("programme_linkedin", args=["inconnu"])).status_code == 404
    assert not DailyCount.objects.filter(kind=CountKind.LINKEDIN_CLICK).exists()


def test_the_funnel_by_month_domain_and_departement_and_its_csv(login, credential, sacha, client):
    client.get(reverse("badge", args=[credential.public_id]))
    staff = login(roles.perm(roles.VIEW_FIGURES))
    page = staff.get(reverse("programme_dashboard")).content.decode()
    assert 'id="funnel-data"' in page and "chart.umd.min.js" in page
    assert "<table" in page
    data = json.loads(
        page.split('id="funnel-data" type="application/json">')[1].split("</script>")[0]
    )
    series = {s["label"]: sum(s["data"]) for s in data["series"]}
    assert series["Importées"] == 2 and series["Éligibles"] == 1
    assert series["Invitées"] == 1 and series["Badges émis"] == 1
    assert series["Visites des pages de badge"] == 1

    by_domain = staff.get(reverse("programme_dashboard_csv"), {"par": "domaine"})
    lines = list(csv.reader(io.StringIO(by_domain.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][:4] == ["Domaine", "Importées", "Éligibles", "Invitées"]
    assert lines[1][:4] == ["Solidarité", "2", "1", "1"]
    assert lines[-1][0] == "Total"
    by_dep = staff.get(reverse("programme_dashboard_csv"), {"par": "departement"})
    assert by_dep.content.decode("utf-8-sig").splitlines()[1].startswith("69;2;1;1")
    unknown = staff.get(reverse("programme_dashboard"), {"par": "n'importe"})
    assert unknown.status_code == 200  # falls back to months
