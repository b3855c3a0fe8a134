import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from insigne.claims import services
from insigne.claims.models import Invitation
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


def test_declined_and_ineligible_get_nothing(client, sacha, camille, mailoutbox):
    invitation, _ = invite(camille)
    services.decline_invitation(invitation)
    ask(client, camille.email)
    ask(client, sacha.email)
    assert mailoutbox == []


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
