"""axe-core (WCAG 2.1 A and AA) on every Passport page and allauth's account pages,
in French and in English, at desktop width and at 390 px, with the structural
rules of ``test_accessibility`` (one ``<h1>``, no skipped heading level, the
page's language, no horizontal scrolling on a phone)."""

from __future__ import annotations

import io
import json

import pytest
import zxingcpp
from axe_playwright_python.sync_playwright import Axe
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image

from insigne.openbadges.ob3 import build_credential
from insigne.passport import sync
from insigne.passport.models import KeptBadge, Profile, Visibility
from tests.browser.test_accessibility import AXE_OPTIONS, DESKTOP, HEADINGS_SCRIPT, settle
from tests.passport.helpers import PASSWORD, fresh_rate_limits, issued_badge, volunteer
from tests.verifier.helpers import did_key, foreign_facts, sign, with_issuer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["fresh_rate_limits"]  # autouse: no rate-limit count left by an earlier test

PHONE = {"width": 390, "height": 844}


def foreign_badge() -> str:
    key = Ed25519PrivateKey.generate()
    did, method = did_key(key)
    document = build_credential(foreign_facts("https://autre-emetteur.example"))
    del document["credentialStatus"]
    return json.dumps(sign(with_issuer(document, did), key, method))


class PageAudit:
    def __init__(self, language: str) -> None:
        self.language = language
        self.axe = Axe()
        self.problems: list[str] = []

    def check(self, page, label: str) -> None:
        for name, size in (("desktop", DESKTOP), ("390px", PHONE)):
            page.set_viewport_size(size)
            settle(page)
            where = f"{self.language} {label} [{name}]"
            for violation in self.axe.run(page, options=AXE_OPTIONS).response["violations"]:
                targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
                self.problems.append(f"{where}: {violation['id']} on {targets}")
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                self.problems.append(f"{where}: {overflow}px too wide")
        lang = page.evaluate("document.documentElement.lang")
        if lang != self.language:
            self.problems.append(f"{label}: <html lang={lang!r}>")
        levels = page.evaluate(HEADINGS_SCRIPT)
        if levels.count(1) != 1 or (levels and levels[0] != 1):
            self.problems.append(f"{self.language} {label}: headings {levels}")
        for before, after in zip(levels, levels[1:], strict=False):
            if after > before + 1:
                self.problems.append(f"{self.language} {label}: h{before} then h{after}")
        if not page.title().strip():
            self.problems.append(f"{self.language} {label}: no title")


@pytest.fixture
def world(badge_class):
    ours = issued_badge("M-A11Y-PASS", "camille@exemple.test")
    user = volunteer("camille@exemple.test")
    sync.synchronise(user)
    kept = KeptBadge.objects.get(owner=user, credential=ours)
    imported = KeptBadge.objects.create(
        owner=user,
        source="text",
        original=foreign_badge().encode(),
        original_sha256="0" * 64,
        container="json",
        title="Badge d'un autre organisme",
        issuer_name="Autre Émetteur",
        status="valid",
        addressed_to_owner=False,
        visibility=Visibility.PUBLIC,
        position=2,
    )
    profile = Profile.objects.create(owner=user, display_name="Camille D.", published=True)
    return {"imported": imported, "profile": profile, "kept": kept, "ours": ours}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_passport_pages_have_no_wcag_violation(browser, live_server, settings, world, language):
    settings.SITE_URL = live_server.url
    settings.CSRF_TRUSTED_ORIGINS = [live_server.url]
    context = browser.new_context(locale=f"{language}-FR", viewport=DESKTOP)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    audit, url = PageAudit(language), live_server.url

    def visit(path: str, label: str) -> None:
        page.goto(url + path)
        audit.check(page, label)

    try:
        visit("/compte/signup/", "sign-up")
        page.locator("main form button[type=submit]").click()
        page.wait_for_selector(".fr-error-text")
        audit.check(page, "sign-up with errors")
        visit("/compte/login/code/", "sign-in code request")
        visit("/compte/password/reset/", "password reset")
        visit("/compte/login/", "sign-in")
        page.locator("input[name=login]").fill("camille@exemple.test")
        page.locator("input[name=password]").fill("pas-le-bon")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_selector(".fr-alert--error")
        audit.check(page, "sign-in with an error")
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url("**/passeport/")
        audit.check(page, "passport")
        visit("/compte/email/", "addresses")
        visit("/compte/password/change/", "password change")
        visit("/passeport/importer/", "import")
        page.locator("main form button[type=submit]").click()
        page.wait_for_selector("#form-errors")
        audit.check(page, "import with an error")
        visit(f"/passeport/badges/{world['imported'].pk}/", "kept badge")
        visit(f"/passeport/badges/{world['kept'].pk}/", "Agency badge (its page's visibility)")
        page.locator("label[for=id_page-visibility_2]").click()  # DSFR radios: the label
        page.locator("form:has(input[name=page-visibility]) button[type=submit]").click()
        page.wait_for_selector("[role=status]")
        audit.check(page, "Agency badge, choice saved")
        page.locator("#wallet-offer").click()
        page.wait_for_url("**/passeport/portefeuille/**")
        audit.check(page, "wallet offer")
        page.locator("main form button[type=submit]").click()
        page.wait_for_selector("#wallet-qr svg")
        audit.check(page, "wallet offer ready")
        page.set_viewport_size(DESKTOP)
        link = page.locator("#wallet-link").get_attribute("href")
        shot = Image.open(io.BytesIO(page.locator("#wallet-qr").screenshot()))
        assert [found.text for found in zxingcpp.read_barcodes(shot)] == [link]
        visit("/passeport/profil/", "profile")
        visit("/passeport/supprimer/", "delete account")
        visit(f"/passeport/partage/{world['imported'].share_token}/", "shared badge")
        visit(f"/p/{world['profile'].slug}/", "portfolio")
    finally:
        context.close()
    assert not audit.problems, "\n".join(audit.problems)
