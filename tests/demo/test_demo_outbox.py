from email.message import EmailMessage

import pytest
from django.urls import reverse

from insigne.mail.models import CaughtMail

HTML = '<p>Bonjour</p><a href="https://badges.example.test/formulaire/tok">Obtenir mon badge</a>'


def caught_mail(subject: str) -> CaughtMail:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = "Agence du Service Civique <openbadge@service-civique.gouv.fr>"
    message["To"] = "camille.demo@exemple.test"
    message.set_content("Bonjour\nhttps://badges.example.test/formulaire/tok\n")
    message.add_alternative(HTML, subtype="html")
    message.add_attachment(b"\x89PNG-demo", maintype="image", subtype="png", filename="badge.png")
    return CaughtMail.objects.create(
        envelope_from="openbadge@service-civique.gouv.fr",
        envelope_to="camille.demo@exemple.test",
        subject=subject,
        raw=message.as_bytes(),
    )


@pytest.fixture
def demo_mode(settings):
    settings.DEMO_MODE = True


def test_it_lists_caught_mails_newest_first(db, client, demo_mode):
    caught_mail("Premier courriel")
    caught_mail("Second courriel")

    page = client.get(reverse("demo_outbox")).content.decode()

    assert page.index("Second courriel") < page.index("Premier courriel")
    assert "camille.demo@exemple.test" in page


def test_the_detail_shows_links_html_in_a_sandbox_and_attachments(db, client, demo_mode):
    caught = caught_mail("Votre Open Badge")

    response = client.get(reverse("demo_outbox_detail", args=[caught.pk]))

    page = response.content.decode()
    assert 'href="https://badges.example.test/formulaire/tok"' in page
    assert 'sandbox=""' in page
    assert 'srcdoc="&lt;p&gt;Bonjour&lt;/p&gt;' in page
    download = reverse("demo_outbox_attachment", args=[caught.pk, 0])
    assert download in page
    attachment = client.get(download)
    assert attachment.content == b"\x89PNG-demo"
    assert attachment["Content-Type"] == "image/png"
    assert 'filename="badge.png"' in attachment["Content-Disposition"]


@pytest.mark.parametrize("name", ["demo_outbox", "demo_outbox_detail", "demo_outbox_attachment"])
def test_the_pages_do_not_exist_outside_demo_mode(db, client, settings, name):
    caught = caught_mail("Votre Open Badge")
    settings.DEMO_MODE = False
    args = {"demo_outbox": [], "demo_outbox_detail": [caught.pk]}.get(name, [caught.pk, 0])

    assert client.get(reverse(name, args=args)).status_code == 404


def test_a_missing_attachment_is_404(db, client, demo_mode):
    caught = caught_mail("Votre Open Badge")
    assert client.get(reverse("demo_outbox_attachment", args=[caught.pk, 5])).status_code == 404
