"""Uploading a mission file on the background import page, and each import's report.

The file is stored, then imported by its task once the request's transaction commits
(run here at once, as the worker would); the job's page and the import's report at
``/console/imports/<pk>/`` show what it did. ``/console/imports/``, the former page that
imported during the request, only redirects there.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from insigne.missions.models import Mission, MissionImport
from insigne.platform import roles
from insigne.programme.forms import MAX_UPLOAD_BYTES
from insigne.programme.models import BackgroundImport
from tests.missions.helpers import HEADER, csv_bytes, row
from tests.personas import make_staff

pytestmark = pytest.mark.django_db
UPLOAD_URL = "/console/programme/imports/"


@pytest.fixture
def staff_client() -> Client:
    client = Client()
    client.force_login(make_staff("agent", roles.PROGRAMME_MANAGER))
    return client


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Post a file to the upload page, then run the import task it queued."""

    def post(client: Client, data: bytes, name: str = "missions.csv", **extra: object):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                UPLOAD_URL, {"file": SimpleUploadedFile(name, data, "text/csv"), **extra}
            )

    return post


def test_the_urls_are_named() -> None:
    assert reverse("programme_imports") == UPLOAD_URL
    assert reverse("programme_import_result", args=[7]) == "/console/imports/7/"


def test_the_former_upload_page_redirects_to_the_background_one(staff_client: Client) -> None:
    response = Client().get("/console/imports/")
    assert (response.status_code, response["Location"]) == (302, UPLOAD_URL)
    assert staff_client.head("/console/imports/").status_code == 302


def test_the_former_upload_page_imports_nothing(staff_client: Client) -> None:
    response = staff_client.post(
        "/console/imports/", {"file": SimpleUploadedFile("m.csv", csv_bytes([row()]))}
    )
    assert response.status_code == 405
    assert not BackgroundImport.objects.exists() and not Mission.objects.exists()


@pytest.mark.parametrize("url", [UPLOAD_URL, "/console/imports/1/"])
def test_anonymous_visitors_are_sent_to_the_login_page(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_non_staff_user_cannot_upload(client: Client, upload) -> None:
    client.force_login(User.objects.create_user("volontaire"))
    response = upload(client, csv_bytes([row()]))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not BackgroundImport.objects.exists() and not Mission.objects.exists()


def test_staff_without_the_import_right_can_neither_upload_nor_read_a_report(upload) -> None:
    support = Client()
    support.force_login(make_staff("support"))  # the support agent's role: no imports
    assert upload(support, csv_bytes([row()])).status_code == 403
    assert not BackgroundImport.objects.exists() and not Mission.objects.exists()
    report = MissionImport.objects.create(source="api", rejected=1, errors=[{"line": 1}])
    assert support.get(reverse("programme_import_result", args=[report.pk])).status_code == 403


def test_staff_upload_imports_and_shows_the_rejected_rows(staff_client: Client, upload) -> None:
    data = csv_bytes([row(), row(identifiant_mission="SC-2", nom="<b>Gras</b>", siret="12")])
    response = upload(staff_client, data)
    job = BackgroundImport.objects.get()
    result = MissionImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("programme_import", args=[job.pk])
    assert job.result == result
    assert (result.source, result.filename, result.uploaded_by.username) == (
        "upload",
        "missions.csv",
        "agent",
    )
    report_url = reverse("programme_import_result", args=[result.pk])
    assert f'href="{report_url}"' in staff_client.get(response["Location"]).content.decode()
    page = staff_client.get(report_url).content.decode()
    assert "1 créée" in page and "1 rejetée" in page
    assert "le SIRET doit compter 14 chiffres" in page
    assert "&lt;b&gt;Gras&lt;/b&gt;" in page and "<b>Gras</b>" not in page
    assert reverse("programme_rejected_csv", args=[result.pk]) in page


def test_the_list_shows_past_imports(staff_client: Client, upload) -> None:
    upload(staff_client, csv_bytes([row()]), "janvier.csv")
    upload(staff_client, b"nom\nX\n", "mauvais.csv")
    page = staff_client.get(UPLOAD_URL).content.decode()
    assert page.index("mauvais.csv") < page.index("janvier.csv")
    assert "Échoué" in page and "Terminé" in page and 'class="fr-upload"' in page


def test_a_refused_file_says_why(staff_client: Client, upload) -> None:
    header = [c for c in HEADER if c != "email"]
    response = upload(staff_client, (";".join(header) + "\n").encode())
    reason = "Colonne obligatoire absente de l&#x27;en-tête : email"
    assert reason in staff_client.get(response["Location"]).content.decode()
    report = staff_client.get(
        reverse("programme_import_result", args=[MissionImport.objects.get().pk])
    ).content.decode()
    assert "Fichier refusé : aucune mission importée" in report and reason in report


def test_a_file_in_an_unknown_encoding_is_refused_in_french(staff_client: Client, upload) -> None:
    response = upload(staff_client, b"\x81\x8d\x8f\x90\x9d;x\n")
    page = staff_client.get(response["Location"])
    assert page.status_code == 200
    assert "Encodage non reconnu : enregistrez le fichier en UTF-8" in page.content.decode()
    assert BackgroundImport.objects.get().status == "failed" and not Mission.objects.exists()


def test_unreadable_bytes_reject_their_row_only(staff_client: Client, upload) -> None:
    data = csv_bytes([row()]) + csv_bytes([row(identifiant_mission="SC-X")])[
        len(";".join(HEADER)) + 1 :
    ].replace(b"Camille", b"\x81\x8d")
    upload(staff_client, data)
    result = MissionImport.objects.get()
    assert (result.created, result.rejected) == (1, 1)
    report = staff_client.get(reverse("programme_import_result", args=[result.pk]))
    assert "octets illisibles en UTF-8 comme en Windows-1252" in report.content.decode()


def test_the_form_requires_a_file(staff_client: Client) -> None:
    response = staff_client.post(UPLOAD_URL, {})
    assert response.status_code == 400
    assert "fr-error-text" in response.content.decode()
    assert not BackgroundImport.objects.exists()


def test_a_file_over_50_mb_is_refused_in_french_and_nothing_is_stored(
    staff_client: Client, upload
) -> None:
    response = upload(staff_client, csv_bytes([row()]) + b"\n" * MAX_UPLOAD_BYTES)
    assert response.status_code == 413
    assert "Le fichier dépasse 50 Mo : découpez-le en plusieurs." in response.content.decode()
    assert not BackgroundImport.objects.exists() and not Mission.objects.exists()


def test_the_upload_needs_the_csrf_token(upload) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_staff("agent", roles.PROGRAMME_MANAGER))
    assert upload(client, csv_bytes([row()])).status_code == 403
    assert not BackgroundImport.objects.exists()
    token = client.get(UPLOAD_URL).cookies["csrftoken"].value
    response = upload(client, csv_bytes([row()]), csrfmiddlewaretoken=token)
    assert response.status_code == 302
    assert Mission.objects.count() == 1


def test_a_report_says_when_its_import_has_not_finished(staff_client: Client, upload) -> None:
    upload(staff_client, csv_bytes([row()]))
    done = MissionImport.objects.get()
    running = MissionImport.objects.create(source="upload", filename="gros.csv")
    notice = "Import pas encore terminé, ou interrompu : ces chiffres ne sont pas définitifs."
    for result, shown in ((running, True), (done, False)):
        page = staff_client.get(reverse("programme_import_result", args=[result.pk]))
        assert (notice in page.content.decode()) is shown
