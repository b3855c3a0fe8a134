import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from PIL import Image

from insigne.badges.models import BadgeClass
from insigne.missions.models import Domain, Mission, MissionImport


def counts() -> dict[str, int]:
    return {
        "missions": Mission.objects.count(),
        "imports": MissionImport.objects.count(),
        "badges": BadgeClass.objects.count(),
        "users": get_user_model().objects.count(),
    }


@pytest.fixture
def demo_mode(settings):
    settings.DEMO_MODE = True


def test_loading_twice_gives_the_same_counts(db, demo_mode):
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    assert first == {
        "missions": 48,
        "imports": 1,
        "badges": 1,
        "users": 3,
    }  # admin, support, programme


def test_the_missions_cover_every_situation_and_domain(db, demo_mode):
    call_command("load_demo")

    verdicts = Counter(Mission.objects.values_list("eligible", "ineligibility_reason"))
    assert verdicts == {
        (True, ""): 25,
        (False, "mission_en_cours"): 10,
        (False, "rupture_avant_6_mois"): 8,
        (False, "duree_inferieure_6_mois"): 5,
    }
    assert set(Mission.objects.values_list("domain", flat=True)) == set(Domain.values)
    assert all(
        email.endswith("@exemple.test") for email in Mission.objects.values_list("email", flat=True)
    )


def test_the_badge_class_has_a_png_medal_and_competencies(db, demo_mode):
    call_command("load_demo")

    badge = BadgeClass.objects.get(slug="service-civique")
    image = Image.open(io.BytesIO(bytes(badge.image)))
    assert (image.format, image.size) == ("PNG", (512, 512))
    assert "<svg" in badge.image_svg
    assert 4 <= len(badge.competencies) <= 6
    assert "{given_name}" in badge.description_template
    assert "6 mois" in badge.criteria


def test_the_admin_account_is_a_superuser(db, demo_mode, client):
    call_command("load_demo")
    # django-axes needs the request to count failures; the demo account has no TOTP device
    assert client.login(request=HttpRequest(), username="admin", password="admin")
    assert get_user_model().objects.get(username="admin").is_superuser


def test_it_refuses_to_run_outside_demo_mode(db):
    with pytest.raises(CommandError, match="INSIGNE_DEMO"):
        call_command("load_demo")
    assert counts()["users"] == 0
