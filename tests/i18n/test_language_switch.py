"""The header's language menu (the DSFR's fr-translate) switches the site to English;
signed badges and mails stay in French."""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from insigne.badges.models import Credential
from insigne.claims import services
from tests.claims.helpers import invite, open_link

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


def html_lang(page: str) -> str:
    found = re.search(r'<html lang="([^"]*)"', page)
    assert found
    return found.group(1)


def switch(client, language: str, next_url: str) -> str:
    """Press the header menu's button, as a browser would, and return the page it leads to."""
    page = client.get(next_url).content.decode()
    assert f'name="language" value="{language}" lang="{language}"' in page
    response = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url
    return client.get(next_url).content.decode()


def test_the_site_is_french_first_and_offers_english_in_the_header_menu(client):
    page = client.get(reverse("home")).content.decode()
    assert html_lang(page) == "fr"
    header = page[page.index('<header role="banner"') : page.index("</header>")]
    assert '<nav class="fr-translate fr-nav"' in header
    assert 'value="en" lang="en" hreflang="en">EN — English</button>' in header
    assert 'value="fr" lang="fr" hreflang="fr" aria-current="true">FR — Français</button>' in header
    footer = page[page.index('<footer class="fr-footer"') :]
    assert 'name="language"' not in footer  # one switch, in the header


def test_the_claim_form_switches_to_english_and_back(client, camille):
    _, token = invite(camille)
    url = open_link(client, token)

    page = switch(client, "en", url)
    assert html_lang(page) == "en"
    assert "<title>Check your details — Service Civique Open Badge</title>" in page
    assert "Preview my badge" in page and "Host organisation" in page
    assert "from 1 January 2026 to 30 June 2026" in page
    assert 'value="fr" lang="fr" hreflang="fr">FR — Français</button>' in page

    page = switch(client, "fr", url)
    assert html_lang(page) == "fr"
    assert "Prévisualiser mon badge" in page


def test_english_form_errors_are_english_and_titled_as_errors(client, camille):
    _, token = invite(camille)
    url = open_link(client, token)
    switch(client, "en", url)
    data = {"given_name": " ", "family_name": "Démo", "host_name": "Association Exemple"}
    page = client.post(url, data).content.decode()
    assert "<title>Error: Check your details" in page
    assert 'aria-describedby="id_given_name-error" autofocus' in page


def test_the_resend_page_answers_in_english_and_the_mail_stays_french(client, camille, mailoutbox):
    invite(camille)
    page = switch(client, "en", reverse("resend"))
    assert html_lang(page) == "en"
    assert "I have not received my invitation or my badge" in page

    page = client.post(reverse("resend"), {"email": camille.email}).content.decode()
    assert "Request received" in page
    [mail] = mailoutbox
    assert mail.subject == "Votre Open Badge Service Civique vous attend"
    assert "Bonjour Camille" in mail.body
    assert '<html lang="fr">' in mail.alternatives[0][0]


def test_a_badge_validated_in_english_is_signed_and_mailed_in_french(
    client, camille, badge_class, mailoutbox
):
    invitation, token = invite(camille)
    preview = open_link(client, token, "apercu")
    page = switch(client, "en", preview)
    assert 'lang="fr">Camille Démo a accompli' in page  # the signed text, marked French
    assert "dans le domaine Solidarité" in page

    response = client.post(preview, {"confirm": "on"}, follow=True)
    page = response.content.decode()
    assert html_lang(page) == "en"
    assert "Genuine badge" in page and "Add to LinkedIn — new window" in page
    credential = Credential.objects.get(invitation=invitation)
    signed = json.loads(credential.ob3_json)
    description = signed["credentialSubject"]["achievement"]["description"]
    assert "Solidarité" in description and "Solidarity" not in description
    assert [m.subject for m in mailoutbox] == ["Votre Open Badge Service Civique"]


def test_the_badge_page_is_english_for_an_english_reader(client, camille, badge_class):
    invitation, _ = invite(camille)
    credential = services.validate_claim(invitation)
    url = reverse("badge", args=[credential.public_id])
    page = switch(client, "en", url)
    assert html_lang(page) == "en"
    assert '<h2 class="fr-h4 fr-mt-4w">Download</h2>' in page
    assert "This badge does not expire." in page
    assert "<dt>Name</dt>" in page  # of the certification, not the holder's surname
    assert '<h2 class="fr-card__title" id="badge-title" lang="fr">' in page


def test_the_verification_page_and_its_check_messages_are_english(client, camille, badge_class):
    invitation, _ = invite(camille)
    credential = services.validate_claim(invitation)
    page = switch(client, "en", reverse("verify_badge", args=[credential.public_id]))
    assert html_lang(page) == "en"
    assert "Genuine and valid badge" in page and "Details of the checks" in page
    # Check messages come from the one messages table, translated like the rest of the page.
    assert "<span>The issuer&#x27;s signature is valid.</span>" in page
    assert "émetteur est valide" not in page
