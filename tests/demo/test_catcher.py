import pytest
from django.core.mail import EmailMultiAlternatives, get_connection

from insigne.demo.catcher import start_catcher
from insigne.mail.models import CaughtMail
from tests.smtp import free_port


@pytest.fixture
def catcher():
    port = free_port()
    controller = start_catcher("127.0.0.1", port)
    yield port
    controller.stop()


@pytest.mark.django_db(transaction=True)
def test_it_stores_a_message_sent_through_real_smtp(catcher):
    message = EmailMultiAlternatives(
        "Votre Open Badge Service Civique vous attend",
        "Bonjour Camille, https://badges.example.test/badge/abc",
        "Agence du Service Civique <openbadge@service-civique.gouv.fr>",
        ["camille.demo@exemple.test"],
        connection=get_connection(
            "django.core.mail.backends.smtp.EmailBackend", host="127.0.0.1", port=catcher
        ),
    )
    message.attach("badge.png", b"\x89PNG-demo", "image/png")

    message.send()  # returns once the catcher answered 250, i.e. after it stored the row

    caught = CaughtMail.objects.get()
    assert caught.subject == "Votre Open Badge Service Civique vous attend"
    assert caught.envelope_from == "openbadge@service-civique.gouv.fr"
    assert caught.envelope_to == "camille.demo@exemple.test"
    assert b"badge.png" in bytes(caught.raw)
