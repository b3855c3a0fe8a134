"""The staff upload page at /console/imports/ and the per-import detail page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from insigne.missions.models import Mission, MissionImport
from tests.missions.helpers import HEADER, csv_bytes, row

pytestmark = pytest.mark.django_db
LIST_URL = "/console/imports/"


@pytest.fixture
def staff_client() -> Client:
    client = Client()
    client.force_login(User.objects.create_user("agent", is_staff=True))
    return client


def upload(client: Client, data: bytes, name: str = "missions.csv"):  # type: ignore[no-untyped-def]
    return client.post(LIST_URL, {"file": SimpleUploadedFile(name, data, "text/csv")})


def test_the_urls_are_named() -> None:
    assert reverse("mission_import_list") == LIST_URL
    assert reverse("mission_import_detail", args=[7]) == "/console/imports/7/"


@pytest.mark.parametrize("url", [LIST_URL, "/console/imports/1/"])
def test_anonymous_visitors_are_sent_to_the_login_page(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_non_staff_user_cannot_upload(client: Client) -> None:
    client.force_login(User.objects.create_user("volontaire"))
    response = upload(client, csv_bytes([row()]))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not Mission.objects.exists()


def test_staff_upload_imports_and_shows_the_rejected_rows(staff_client: Client) -> None:
    data = csv_bytes([row(), row(identifiant_mission="SC-2", nom="<b>Gras</b>", siret="12")])
    response = upload(staff_client, data)
    result = MissionImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/console/imports/{result.pk}/"
    assert (result.source, result.filename, result.uploaded_by.username) == (
        "upload",
        "missions.csv",
        "agent",
    )
    page = staff_client.get(response["Location"]).content.decode()
    assert "1 créée" in page and "1 rejetée" in page
    assert "le SIRET doit compter 14 chiffres" in page
    assert "&lt;b&gt;Gras&lt;/b&gt;" in page and "<b>Gras</b>" not in page


def test_the_list_shows_past_imports(staff_client: Client) -> None:
    upload(staff_client, csv_bytes([row()]), "janvier.csv")
    upload(staff_client, b"nom\nX\n", "mauvais.csv")
    page = staff_client.get(LIST_URL).content.decode()
    assert page.index("mauvais.csv") < page.index("janvier.csv")
    assert "Fichier refusé" in page and 'class="fr-upload"' in page


def test_a_refused_file_says_why(staff_client: Client) -> None:
    header = [c for c in HEADER if c != "email"]
    response = upload(staff_client, (";".join(header) + "\n").encode())
    page = staff_client.get(response["Location"]).content.decode()
    assert "Fichier refusé : aucune mission importée" in page
    assert "Colonne obligatoire absente de l&#x27;en-tête : email" in page


def test_the_form_requires_a_file(staff_client: Client) -> None:
    response = staff_client.post(LIST_URL, {})
    assert response.status_code == 200
    assert "fr-error-text" in response.content.decode()
    assert not MissionImport.objects.exists()


def test_the_upload_needs_the_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.create_user("agent", is_staff=True))
    assert upload(client, csv_bytes([row()])).status_code == 403
    page = client.get(LIST_URL)
    token = page.cookies["csrftoken"].value
    response = client.post(
        LIST_URL,
        {"file": SimpleUploadedFile("m.csv", csv_bytes([row()])), "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert Mission.objects.count() == 1
