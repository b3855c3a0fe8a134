"""The Passport in a real browser against a real SMTP server (FAQ §4, §6, §7):
sign up with the address a badge was issued to, prove it from the mail, and the
badge is there, by itself and with "Synchroniser"; an unproven address brings
nothing; a second proven address brings its badges too."""

from __future__ import annotations

import re

import pytest

from insigne.passport.models import KeptBadge
from tests.passport.helpers import PASSWORD, fresh_rate_limits, issued_badge

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["fresh_rate_limits"]  # autouse: no rate-limit count left by an earlier test


def mail_to(smtp_server, address: str, count: int):
    """The ``count``-th message (from 1) sent to ``address``, waiting for it."""
    for _attempt in range(50):
        messages = [m for m in smtp_server.messages if m["To"] == address]
        if len(messages) >= count:
            return messages[count - 1]
        smtp_server.wait_for(len(smtp_server.messages) + 1)
    raise AssertionError(f"no message {count} to {address}")


def link_in(message, marker: str) -> str:
    text = message.get_body(("plain",)).get_content()
    return next(word for word in text.split() if marker in word)


def sign_up(page, url: str, email: str) -> None:
    page.goto(f"{url}/compte/signup/")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/compte/confirm-email/")


def confirm(page, link: str) -> None:
    page.goto(link)
    page.locator("main form button[type=submit]").click()


def badges_listed(page) -> int:
    return page.locator("#badges > li").count()


def test_a_proven_address_brings_its_badges(page, live_server, smtp_server, badge_class):
    issued_badge("M-PASS-A", "camille@exemple.test")
    issued_badge("M-PASS-B", "camille.pro@exemple.test")
    url = live_server.url

    sign_up(page, url, "camille@exemple.test")
    assert page.locator("h1").inner_text() == "Vérifiez votre adresse e-mail"
    page.goto(f"{url}/passeport/")
    assert "/compte/login/" in page.url  # no Passport before the address is proven

    confirm(
        page, link_in(mail_to(smtp_server, "camille@exemple.test", 2), "/compte/confirm-email/")
    )
    page.wait_for_url("**/passeport/")
    assert badges_listed(page) == 1
    assert "1 badge ajouté, 0 déjà présent." in page.locator("[role=status]").inner_text()
    assert page.locator("#badges").get_by_text("Valide").count() == 1

    page.locator("#sync").click()
    page.wait_for_selector("[role=status]")
    assert "0 badge ajouté, 1 déjà présent." in page.locator("[role=status]").inner_text()
    assert badges_listed(page) == 1

    # A second address, not yet proven: its badge does not appear, even with Synchroniser.
    page.goto(f"{url}/compte/email/")
    page.locator("form:has(button[name=action_add]) input[name=email]").fill(
        "camille.pro@exemple.test"
    )
    page.locator("button[name=action_add]").click()
    page.goto(f"{url}/passeport/")
    assert "camille.pro@exemple.test non vérifiée" in page.locator("#addresses").text_content()
    page.locator("#sync").click()
    page.wait_for_selector("[role=status]")
    assert badges_listed(page) == 1
    assert "0 badge ajouté, 1 déjà présent." in page.locator("[role=status]").inner_text()

    second = mail_to(smtp_server, "camille.pro@exemple.test", 2)
    confirm(page, link_in(second, "/compte/confirm-email/"))
    page.goto(f"{url}/passeport/")
    assert badges_listed(page) == 2


def test_an_unproven_address_brings_nothing(
    browser, live_server, smtp_server, badge_class, settings
):
    settings.SITE_URL = live_server.url
    issued_badge("M-PASS-U", "sacha@exemple.test")
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_up(page, live_server.url, "sacha@exemple.test")
        page.goto(f"{live_server.url}/compte/login/")
        page.locator("input[name=login]").fill("sacha@exemple.test")
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url("**/compte/confirm-email/")  # asked to prove the address first
        page.goto(f"{live_server.url}/passeport/")
        assert "/compte/login/" in page.url
        assert not KeptBadge.objects.exists()
    finally:
        context.close()


def test_no_password_sign_up_then_a_code_by_mail(page, live_server, smtp_server, badge_class):
    """No one needs a password: sign up with the address only, prove it from the mail,
    then, signed out, come back with a code the real SMTP server received."""
    issued_badge("M-PASS-CODE", "lou@exemple.test")
    url = live_server.url
    page.goto(f"{url}/")
    page.locator("header").get_by_role("link", name="Se connecter").first.click()
    page.wait_for_url("**/compte/login/")

    page.goto(f"{url}/compte/signup/")
    page.locator("input[name=email]").fill("lou@exemple.test")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/compte/confirm-email/")
    confirm(page, link_in(mail_to(smtp_server, "lou@exemple.test", 2), "/compte/confirm-email/"))
    page.wait_for_url("**/passeport/")
    assert badges_listed(page) == 1

    page.goto(f"{url}/compte/logout/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}/compte/login/code/")
    page.locator("input[name=email]").fill("lou@exemple.test")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/compte/login/code/confirm/")
    text = mail_to(smtp_server, "lou@exemple.test", 3).get_body(("plain",)).get_content()
    code = next(
        line.strip() for line in text.splitlines() if re.fullmatch(r"[A-Z0-9-]{6,9}", line.strip())
    )
    page.locator("input[name=code]").fill(code)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/passeport/")
    assert badges_listed(page) == 1
    assert page.locator("header").get_by_role("link", name="Mon Passeport").count() >= 1
