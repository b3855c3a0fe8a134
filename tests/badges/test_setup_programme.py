from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from insigne.badges import programme
from insigne.badges.models import BadgeClass
from insigne.badges.programme import NAME, SLUG
from insigne.openbadges.images import check_badge_image
from tests.claims.helpers import invite, open_link

pytestmark = pytest.mark.django_db


def test_the_programme_exists_once_the_database_is_migrated():
    badge_class = BadgeClass.objects.get(slug=SLUG)
    assert badge_class.name == NAME
    assert check_badge_image(bytes(badge_class.image)).media_type == "image/png"
    call_command("check", "--database", "default", stdout=StringIO())


def test_the_system_check_fails_while_the_programme_is_missing():
    BadgeClass.objects.all().delete()
    with pytest.raises(SystemCheckError, match="insigne.E001"):
        call_command("check", "--database", "default", stdout=StringIO(), stderr=StringIO())
    call_command("setup_programme", stdout=StringIO())
    call_command("check", "--database", "default", stdout=StringIO())


def test_no_claim_page_fails_when_the_programme_was_deleted(client, camille):
    BadgeClass.objects.all().delete()
    _, token = invite(camille)
    open_link(client, token)
    for name in ("claim_form", "claim_preview"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    response = client.post(reverse("claim_preview"), {"confirm": "on"})
    assert response.status_code == 302
    assert BadgeClass.objects.get().slug == SLUG


def test_it_creates_the_programme_once_and_leaves_staff_edits_alone():
    BadgeClass.objects.all().delete()  # as on a database where someone deleted it
    out = StringIO()
    call_command("setup_programme", stdout=out)
    assert "créé" in out.getvalue()
    badge_class = BadgeClass.objects.get(slug="service-civique")
    assert check_badge_image(bytes(badge_class.image)).media_type == "image/png"
    assert check_badge_image(badge_class.image_svg.encode()).media_type == "image/svg+xml"
    BadgeClass.objects.filter(pk=badge_class.pk).update(name="Nom modifié par l'Agence")
    call_command("setup_programme", stdout=out)
    assert "déjà présent" in out.getvalue()
    assert BadgeClass.objects.get().name == "Nom modifié par l'Agence"


def test_an_existing_programme_is_read_without_drawing_the_default_medal(monkeypatch):
    """The defaults (the medal drawn with Pillow, a quarter of a second) are for a
    missing class only, not for each process's first claim."""

    def drawn() -> dict[str, object]:
        raise AssertionError("the default medal was drawn for an existing class")

    monkeypatch.setattr(programme, "programme_fields", drawn)
    badge_class, created = programme.ensure_programme()
    assert (badge_class.slug, created) == (SLUG, False)
