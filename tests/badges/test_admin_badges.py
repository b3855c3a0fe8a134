import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from insigne.badges.models import BadgeClass, Credential
from insigne.claims import services
from tests.claims.helpers import invite
from tests.personas import badge_png

pytestmark = pytest.mark.django_db

FIELDS = {
    "slug": "autre-badge",
    "name": "Autre badge",
    "description_template": "{given_name} a servi {months} mois.",
    "criteria": "Six mois de mission.",
    "competencies": "[]",
}


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("chef", "chef@exemple.test", "pw"))
    return client


def add(admin_client, **files):
    data = {**FIELDS, **files}
    return admin_client.post(reverse("admin:credentials_badgeclass_add"), data)


def test_a_png_upload_is_stored(admin_client):
    response = add(admin_client, png_file=SimpleUploadedFile("b.png", badge_png()))
    assert response.status_code == 302
    assert bytes(BadgeClass.objects.get(slug="autre-badge").image) == badge_png()


def test_a_gif_named_png_is_refused_in_french(admin_client):
    gif = SimpleUploadedFile("b.png", b"GIF89a" + b"\x00" * 100)
    page = add(admin_client, png_file=gif).content.decode()
    assert "seuls PNG et SVG" in page
    assert not BadgeClass.objects.filter(slug="autre-badge").exists()


def test_an_svg_is_scrubbed_of_scripts_and_external_references(admin_client):
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<script>alert(1)</script><image xlink:href="https://tracker.example/x.png"/>'
        b'<circle r="4" onclick="steal()"/></svg>'
    )
    response = add(
        admin_client,
        png_file=SimpleUploadedFile("b.png", badge_png()),
        svg_file=SimpleUploadedFile("b.svg", svg),
    )
    assert response.status_code == 302
    stored = BadgeClass.objects.get(slug="autre-badge").image_svg
    assert "<script" not in stored
    assert "tracker.example" not in stored
    assert "onclick" not in stored


def test_revocation_asks_a_reason_and_is_published(admin_client, camille, badge_class):
    invitation, _ = invite(camille)
    credential = services.validate_claim(invitation)
    url = reverse("admin:credentials_credential_changelist")
    selection = {"action": "revoke", "_selected_action": [credential.pk]}
    asked = admin_client.post(url, selection)
    assert "Motif de révocation" in asked.content.decode()
    admin_client.post(url, {**selection, "reason": "Délivré par erreur"})
    credential.refresh_from_db()
    assert credential.revocation_reason == "Délivré par erreur"
    assert credential.revoked_at is not None
    gone = admin_client.get(reverse("ob2_assertion", args=[credential.public_id]))
    assert gone.status_code == 410
    assert (
        "Ce badge a été révoqué"
        in admin_client.get(reverse("badge", args=[credential.public_id])).content.decode()
    )
    assert Credential.objects.count() == 1
