import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from insigne.claims import services
from insigne.claims.models import Invitation
from insigne.missions.models import EndReason
from tests.claims.helpers import invite
from tests.personas import make_mission

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


def without_csrf(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def ask(client, email: str, ip: str = "203.0.113.5"):
    return client.post(reverse("resend"), {"email": email}, REMOTE_ADDR=ip)


def test_it_answers_the_same_for_known_and_unknown_addresses(client, camille, mailoutbox):
    invite(camille)
    known = without_csrf(ask(client, camille.email).content.decode())
    unknown = without_csrf(ask(client, "personne@exemple.test").content.decode())
    assert known == unknown
    assert "Demande enregistrée" in known
    assert len(mailoutbox) == 1


def test_a_pending_invitation_gets_a_new_link_and_the_old_one_still_works(
    client, camille, badge_class, mailoutbox
):
    invitation, old_token = invite(camille)
    ask(client, camille.email.upper())
    [message] = mailoutbox
    assert message.to == [camille.email]
    new_link = next(w for w in message.body.split() if "/obtenir/" in w)
    assert old_token not in new_link
    assert client.get(reverse("claim", args=[old_token]), follow=True).status_code == 200
    new_path = new_link.replace("https://badges.example.test", "")
    assert client.get(new_path, follow=True).status_code == 200
    assert Invitation.objects.count() == 1


def test_an_issued_badge_is_mailed_again_with_its_image(client, camille, badge_class, mailoutbox):
    invitation, _ = invite(camille)
    services.validate_claim(invitation)
    ask(client, camille.email)
    assert [m.subject for m in mailoutbox] == ["Votre Open Badge Service Civique"] * 2
    assert mailoutbox[1].attachments[0][2] == "image/png"


def test_declined_gets_the_way_back_and_the_page_says_the_same(
    client, camille, badge_class, mailoutbox
):
    invitation, _ = invite(camille)
    services.decline_invitation(invitation)
    page = without_csrf(ask(client, camille.email).content.decode())
    assert page == without_csrf(ask(client, "personne@exemple.test").content.decode())
    [message] = mailoutbox
    assert message.subject == "Votre demande d'Open Badge Service Civique"
    assert "Finalement, je veux mon badge" in message.body
    link = next(w for w in message.body.split() if "/obtenir/" in w)
    declined = client.get(link.replace("https://badges.example.test", ""), follow=True)
    assert declined.status_code == 410  # the declined page, with its "changed my mind" button
    assert reverse("claim_reopen") in declined.content.decode()
    assert Invitation.objects.get(pk=invitation.pk).declined_at is not None


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        (
            {"actual_end_date": dt.date(2026, 2, 28), "end_reason": EndReason.EARLY},
            "interrompue avant six mois",
        ),
        ({"actual_end_date": None}, "pas encore terminée"),
        ({"actual_end_date": dt.date(2026, 3, 31)}, "moins de six mois"),
    ],
)
def test_a_mission_without_a_badge_gets_the_reason(client, mailoutbox, fields, says):
    mission = make_mission("M-WHY", **fields)
    ask(client, mission.email)
    [message] = mailoutbox
    assert message.to == [mission.email]
    assert says in message.body
    assert "/obtenir/" not in message.body


def test_an_eligible_mission_not_yet_invited_is_told_when(client, camille, mailoutbox):
    ask(client, camille.email)
    [message] = mailoutbox
    assert "le lendemain de la fin de mission" in message.body


def test_it_is_rate_limited_per_address_and_per_client(client, camille, mailoutbox):
    invite(camille)
    for number in range(5):
        assert ask(client, camille.email, ip=f"203.0.113.{number}").status_code == 200
    assert len(mailoutbox) == 3  # three per address per hour, silently
    for _ in range(20):  # twenty per client per hour
        assert ask(client, "autre@exemple.test").status_code == 200
    limited = ask(client, "encore@exemple.test")
    assert limited.status_code == 429
    assert "Trop de demandes" in limited.content.decode()


def test_a_bad_address_is_explained(client):
    response = ask(client, "pas-une-adresse")
    assert "Saisissez une adresse électronique valide" in response.content.decode()


def test_it_refuses_a_post_without_csrf_token(camille):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(reverse("resend"), {"email": camille.email})
    assert response.status_code == 403


def test_several_missions_of_one_address_are_all_resent(client, badge_class, mailoutbox):
    first = make_mission("M-A", email="double@exemple.test")
    second = make_mission("M-B", email="double@exemple.test")
    invite(first)
    invite(second)
    ask(client, "double@exemple.test")
    assert len(mailoutbox) == 2


def test_the_queued_task_carries_mission_ids_never_the_address(camille, monkeypatch):
    queued = []

    class Recorder:
        def enqueue(self, *args):
            queued.append(args)

    monkeypatch.setattr(services, "resend_missions", Recorder())
    services.request_resend(camille.email)
    services.request_resend("inconnue@exemple.test")
    assert queued == [([camille.pk],), ([],)]  # one task either way
