import datetime as dt

import pytest
from django.urls import reverse

from insigne.claims.models import Invitation
from tests.claims.helpers import invite
from tests.personas import make_mission, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff_client(client):
    user = make_staff("agent", password="agent-password")
    client.force_login(user)
    return client


def test_it_is_for_staff_only(client):
    response = client.get(reverse("console_support"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_support_finds_a_volunteer_by_name_dates_and_place(staff_client, camille, sacha):
    make_mission("M-OTHER", family_name="Autre", commune="Brest", departement="29")
    query = {"name": "CAMILLE demo", "place": "Lyon", "ended_from": "2026-06-01"}
    page = staff_client.get(reverse("console_support"), query).content.decode()
    assert "1 mission trouvée" in page
    assert reverse("console_mission", args=[camille.pk]) in page
    assert "Autre" not in page
    by_department = staff_client.get(reverse("console_support"), {"place": "29"}).content.decode()
    assert "Autre" in by_department


def test_support_resends_with_a_new_link(staff_client, camille, mailoutbox):
    invitation, old_token = invite(camille)
    response = staff_client.post(reverse("console_resend", args=[camille.pk]), follow=True)
    assert "Le courriel a été renvoyé." in response.content.decode()
    assert [m.to for m in mailoutbox] == [[camille.email]]
    # one more link; the one already sent still works
    assert invitation.links.count() == 2


def test_nothing_to_resend_is_said_plainly(staff_client, sacha, mailoutbox):
    response = staff_client.post(reverse("console_resend", args=[sacha.pk]), follow=True)
    assert "Rien à renvoyer" in response.content.decode()
    assert mailoutbox == []


def test_support_fixes_an_undeliverable_address(staff_client, badge_class, mailoutbox):
    mission = make_mission("M-BOUNCE", email="faute@exemple.test", email_undeliverable=True)
    invite(mission)
    bad = staff_client.post(reverse("console_address", args=[mission.pk]), {"email": "pas valide"})
    assert bad.status_code == 400
    staff_client.post(reverse("console_address", args=[mission.pk]), {"email": "bon@exemple.test"})
    mission.refresh_from_db()
    assert (mission.email, mission.email_undeliverable) == ("bon@exemple.test", False)
    staff_client.post(reverse("console_resend", args=[mission.pk]))
    assert mailoutbox[0].to == ["bon@exemple.test"]


def test_the_mission_page_shows_where_the_volunteer_stands(staff_client, camille):
    invitation, _ = invite(camille)
    Invitation.objects.filter(pk=invitation.pk).update(
        declined_at=dt.datetime(2026, 7, 2, tzinfo=dt.UTC)
    )
    page = staff_client.get(reverse("console_mission", args=[camille.pk])).content.decode()
    assert "Badge refusé" in page
    assert camille.external_id in page


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("demo", True),
        ("DÉMO", True),
        ("dèmo", True),
        ("dem.", True),
        ("demo-x", False),
        ("(", False),
    ],
)
def test_names_match_with_or_without_accents(staff_client, camille, typed, found):
    page = staff_client.get(reverse("console_support"), {"name": typed}).content.decode()
    assert (reverse("console_mission", args=[camille.pk]) in page) is found


def test_the_mission_page_says_whether_the_badge_mail_left(staff_client, camille, badge_class):
    from insigne.claims import services

    invitation, _ = invite(camille)
    services.validate_claim(invitation)  # the locmem relay accepts it at once
    page = staff_client.get(reverse("console_mission", args=[camille.pk])).content.decode()
    assert "Badge délivré" in page
    assert "courriel parti le" in page
