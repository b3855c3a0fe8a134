"""The volunteer's timeline names the import that created the mission and the last that
changed it: origin and date, linked to the import's report for staff with the import right."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.test import Client
from django.urls import reverse

from insigne.missions.csv_format import rows_from_objects, validate_rows
from insigne.missions.models import Mission
from insigne.missions.services import import_csv, import_missions
from insigne.platform import roles
from tests.missions.helpers import csv_bytes, row
from tests.personas import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(time_machine):
    """Uploaded on 1 July 2026 at noon (Paris), then changed by the API on 3 July."""
    chef = make_staff("chef", roles.PROGRAMME_MANAGER)
    time_machine.move_to(dt.datetime(2026, 7, 1, 10, 0, tzinfo=dt.UTC), tick=False)
    upload = import_csv(csv_bytes([row()]), "upload", "lot-juillet.csv", uploaded_by=chef)
    time_machine.move_to(dt.datetime(2026, 7, 3, 9, 30, tzinfo=dt.UTC), tick=False)
    api = import_missions(validate_rows(rows_from_objects([row(commune="Lyon")])), "api")
    return Mission.objects.get(), upload, api


def timeline_of(client: Client, mission: Mission, language: str = "fr") -> str:
    client.cookies["django_language"] = language
    page = client.get(reverse("console_mission", args=[mission.pk])).content.decode()
    return html.unescape(page.split('id="timeline-caption"')[1].split("</table>")[0])


def signed_in(role: str) -> Client:
    client = Client()
    client.force_login(make_staff("agent", role))
    return client


def test_staff_with_the_import_right_follow_each_import_to_its_report(imported):
    mission, upload, api = imported
    client = signed_in(roles.PROGRAMME_MANAGER)
    shown = timeline_of(client, mission)
    upload_url = reverse("programme_import_result", args=[upload.pk])
    api_url = reverse("programme_import_result", args=[api.pk])
    assert (
        f'<td>01/07/2026 12:00</td><td>Mission importée</td><td><a class="fr-link" '
        f'href="{upload_url}">lot-juillet.csv (déposé par chef) — import n° {upload.pk} '
        "du 01/07/2026 12:00</a></td>"
    ) in shown
    assert (
        f'<td>03/07/2026 11:30</td><td>Mission modifiée par un import</td><td><a class="fr-link" '
        f'href="{api_url}">API — import n° {api.pk} du 03/07/2026 11:30</a></td>'
    ) in shown
    assert client.get(upload_url).status_code == 200


def test_support_agents_read_the_imports_without_a_link(imported):
    mission, upload, api = imported
    client = signed_in(roles.SUPPORT_AGENT)
    shown = timeline_of(client, mission)
    assert f"lot-juillet.csv (déposé par chef) — import n° {upload.pk} du 01/07/2026" in shown
    assert f"API — import n° {api.pk} du 03/07/2026 11:30" in shown
    assert "/console/imports/" not in shown and "<a " not in shown
    report = reverse("programme_import_result", args=[upload.pk])
    assert client.get(report).status_code == 403


def test_the_imports_read_in_english_through_the_catalogue(imported):
    mission, upload, api = imported
    shown = timeline_of(signed_in(roles.PROGRAMME_MANAGER), mission, "en")
    assert f"lot-juillet.csv (uploaded by chef) — import no. {upload.pk} on 01/07/2026" in shown
    assert "Mission updated by an import" in shown
    assert f"API — import no. {api.pk} on 03/07/2026 11:30" in shown
    assert "Mission modifiée" not in shown and "déposé par" not in shown


def test_a_mission_no_import_wrote_says_so_plainly(client, camille):
    client.force_login(make_staff("chef", roles.PROGRAMME_MANAGER))
    shown = timeline_of(client, camille)
    assert "<td>Mission importée</td><td></td>" in shown
    assert "import n°" not in shown and "Mission modifiée par un import" not in shown
