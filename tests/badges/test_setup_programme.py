from io import StringIO

import pytest
from django.core.management import call_command

from insigne.badges.models import BadgeClass
from insigne.openbadges.images import check_badge_image

pytestmark = pytest.mark.django_db


def test_it_creates_the_programme_once_and_leaves_staff_edits_alone():
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
