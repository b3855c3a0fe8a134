"""On a phone, the badge page puts what the volunteer came for on the first screen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from insigne.claims import services
from tests.claims.helpers import invite
from tests.personas import make_mission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server, settings) -> Iterator[Callable[..., Any]]:
    """A 390 × 844 tab on the live server; options go to the browser context."""
    settings.SITE_URL = live_server.url
    settings.CSRF_TRUSTED_ORIGINS = [live_server.url]
    contexts = []

    def open_tab(**options: Any) -> Any:
        context = browser.new_context(locale="fr-FR", viewport=PHONE, **options)
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        return tab

    yield open_tab
    for context in contexts:
        context.close()


@pytest.fixture
def badge_path(badge_class) -> str:
    invitation, _ = invite(make_mission("M-SHARE"))
    return f"/badges/{services.validate_claim(invitation).public_id}"


def test_linkedin_and_the_pdf_are_on_the_first_screen_of_a_phone(phone, live_server, badge_class):
    _, token = invite(make_mission("M-PHONE"))
    page = phone()
    # The volunteer's way in: the preview, validated, lands on the badge page
    # with the "Votre badge est prêt" message above everything.
    page.goto(f"{live_server.url}/obtenir/{token}/apercu/")
    page.locator("label[for=id_confirm]").click()
    page.get_by_role("button", name="Valider mon badge").click()
    page.wait_for_selector("#linkedin-add")
    assert page.get_by_text("Votre badge est prêt").is_visible()
    height = page.evaluate("window.innerHeight")
    for selector in ("#linkedin-add", "#pdf-download"):
        box = page.locator(selector).bounding_box()
        assert box is not None
        bottom = box["y"] + box["height"]
        assert bottom <= height, f"{selector} ends at {bottom}px, below the {height}px screen"


def test_copy_link_puts_the_badge_address_on_the_clipboard(phone, live_server, badge_path):
    page = phone(permissions=["clipboard-read", "clipboard-write"])
    page.goto(live_server.url + badge_path)
    page.get_by_role("button", name="Copier le lien").click()
    page.wait_for_selector("#share-status:has-text('Lien copié.')")
    assert page.evaluate("navigator.clipboard.readText()") == live_server.url + badge_path


def test_without_javascript_the_link_is_there_and_no_dead_button(phone, live_server, badge_path):
    page = phone(java_script_enabled=False)
    page.goto(live_server.url + badge_path)
    assert page.locator("#share-url").input_value() == live_server.url + badge_path
    assert not page.get_by_role("button", name="Copier le lien").is_visible()
    assert page.locator("#share-mail").is_visible()
