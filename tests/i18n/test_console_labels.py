"""Staff read why a mission is not eligible in words of their language, not as a code."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from insigne.missions.models import EndReason
from tests.personas import make_mission, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(make_staff("support"))
    return client


def test_the_reason_of_ineligibility_is_a_phrase_in_french_and_in_english(staff_client):
    mission = make_mission(
        "M-EARLY", actual_end_date=dt.date(2026, 2, 28), end_reason=EndReason.EARLY
    )
    url = reverse("console_mission", args=[mission.pk])

    page = staff_client.get(url).content.decode()
    assert "Non éligible (interrompue avant 6 mois)" in page
    assert "rupture_avant_6_mois" not in page

    staff_client.cookies["django_language"] = "en"  # the language menu's cookie
    page = staff_client.get(url).content.decode()
    assert "Not eligible (ended early, before 6 months)" in page
