"""The public site as a State site must be: DSFR footer with its mandatory parts, legal pages."""

from html import unescape

import pytest
from django.urls import reverse

from insigne.claims import services
from tests.claims.helpers import invite
from tests.personas import make_mission

pytestmark = pytest.mark.django_db

MANDATORY_FOOTER = [
    'href="https://www.legifrance.gouv.fr"',
    'href="https://www.gouvernement.fr"',
    'href="https://www.service-public.fr"',
    'href="https://www.data.gouv.fr"',
    ">Plan du site</a>",
    ">Accessibilité : partiellement conforme</a>",
    ">Mentions légales</a>",
    ">Données personnelles</a>",
    ">Gestion des cookies</a>",
    "Sauf mention explicite de propriété intellectuelle détenue par des tiers, les contenus "
    "de ce site sont proposés sous",
    ">licence etalab-2.0</a>",
]
SITE_PAGES = {
    "home": "Qu'est-ce qu'un Open Badge ?",
    "faq": "Comment recevoir mon Open Badge ?",
    "legal_notice": "Directeur ou directrice de la publication",
    "privacy": "Vos droits",
    "cookies": "csrftoken",
    "sitemap": "Plan du site",
    "accessibility": "Déclaration d'accessibilité",
}


def footer_of(page: str) -> str:
    return page[page.index('<footer class="fr-footer"') : page.index("</footer>")]


@pytest.fixture
def every_page(camille, badge_class):
    _, token = invite(camille)
    issued, _ = invite(make_mission("M-FOOTER"))
    credential = services.validate_claim(issued)
    return [
        *(reverse(name) for name in SITE_PAGES),
        reverse("resend"),
        reverse("verify_upload"),
        reverse("claim", args=[token]),  # the mailed link, followed to the claim form
        reverse("badge", args=[credential.public_id]),
        "/nulle-part/",
    ]


def test_every_page_carries_the_dsfr_mandatory_footer(client, every_page):
    for url in every_page:
        page = unescape(client.get(url, follow=True).content.decode())
        footer = footer_of(page)
        for part in MANDATORY_FOOTER:
            assert part in footer, f"{url}: {part!r} missing from the footer"
        assert '<p class="fr-logo" lang="fr">République<br>Française</p>' in footer, url


def test_every_page_has_the_display_settings_and_the_language_menu(client, every_page):
    for url in every_page:
        page = client.get(url, follow=True).content.decode()
        assert 'aria-controls="fr-theme-modal"' in page, url
        assert '<dialog id="fr-theme-modal"' in page, url
        assert 'id="fr-display"' in page, url
        header = page[page.index('<header role="banner"') : page.index("</header>")]
        assert 'class="fr-translate fr-nav"' in header, url
        assert 'name="language" value="en" lang="en"' in header, url


@pytest.mark.parametrize(("name", "text"), SITE_PAGES.items())
def test_the_site_pages_answer_in_french_and_in_english(client, name, text):
    page = unescape(client.get(reverse(name)).content.decode())
    assert text in page
    client.cookies["django_language"] = "en"
    english = client.get(reverse(name))
    assert english.status_code == 200
    assert '<html lang="en"' in english.content.decode()


def test_the_home_page_answers_the_three_situations_and_links_the_faq(client):
    page = unescape(client.get(reverse("home")).content.decode())
    for situation in (
        "Ma mission a été interrompue",
        "Ma mission est encore en cours",
        "Je n'ai rien reçu",
    ):
        assert situation in page
    assert f'href="{reverse("faq")}"' in page


def test_the_faq_page_is_the_programme_faq(client):
    page = unescape(client.get(reverse("faq")).content.decode())
    for number in range(1, 15):
        assert f'<h2 class="fr-h5">{number}. ' in page
    assert "Non, l'Open Badge Volontaire en Service Civique n'expire pas." in page


def test_the_privacy_notice_says_what_why_how_long_rights_and_whom_to_write_to(client, settings):
    page = unescape(client.get(reverse("privacy")).content.decode())
    for heading in (
        "Quelles informations ?",
        "Pour quoi faire ?",
        "Combien de temps ?",
        "Vos droits",
        "Qui s'occupe de vos données ?",
    ):
        assert f">{heading}</h2>" in page
    assert f"mailto:{settings.SUPPORT_EMAIL}" in page
    assert "cnil.fr" in page


def test_the_cookie_page_names_every_cookie_the_site_sets(client, camille, badge_class):
    """Walk the volunteer's pages and the language switch: each cookie set is on the page."""
    _, token = invite(camille)
    client.get(reverse("claim", args=[token]))  # the link's cookie
    client.post(reverse("claim_preview"), {"confirm": "on"}, follow=True)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    page = client.get(reverse("cookies")).content.decode()
    assert client.cookies, "the walk set no cookie"
    for name in client.cookies:
        assert f"<code>{name}</code>" in page, f"cookie {name} not described"
