"""The employer's verifier page in a real browser: a forged badge, a right badge checked
against a wrong address, a replaced badge. Each result is audited with axe (WCAG 2.1 AA)
and photographed (``INSIGNE_SCREENSHOT_DIR`` keeps the pictures for a person to review)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_accessibility import AXE_OPTIONS, settle
from tests.verifier.helpers import issue_ours

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("INSIGNE_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def verify_in_page(page: Any, live_server: Any, text: str, email: str = "") -> None:
    page.goto(f"{live_server.url}/verifier/")
    settle(page)
    page.get_by_label("Ou collez l'adresse, l'identifiant ou le contenu du badge").fill(text)
    if email:
        page.get_by_label("Adresse électronique du titulaire (facultatif)").fill(email)
    page.get_by_role("button", name="Vérifier le badge").click()
    page.wait_for_selector("#verdict")


def audit(page: Any, shots: Path, name: str) -> None:
    settle(page)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def test_a_forged_badge(page, live_server, shots):
    credential = issue_ours()
    document = json.loads(credential.ob3_json)
    document["credentialSubject"]["name"] = "Usurpateur Faussaire"
    verify_in_page(page, live_server, json.dumps(document))
    verdict = page.locator("#verdict")
    expect(verdict).to_contain_text("Badge non authentique")
    expect(verdict).to_contain_text("le badge a été modifié")
    claims = page.locator("#claims")
    expect(claims).to_contain_text("Ce que prétend le document — non vérifié")
    expect(claims).to_contain_text("Usurpateur Faussaire")
    # Greyed: the claims are not in the page's ordinary text colour.
    grey = claims.evaluate("e => getComputedStyle(e).color")
    body = page.locator("main").evaluate("e => getComputedStyle(e).color")
    assert grey != body
    expect(page.get_by_text("Émetteur officiel")).to_have_count(0)
    genuine = page.locator("#genuine")
    expect(genuine).to_contain_text("Le badge authentique portant cet identifiant dit :")
    expect(genuine).to_contain_text("Camille Démo")
    # Technical names only inside the closed disclosure.
    expect(page.locator("#technical")).not_to_have_attribute("open", "")
    expect(page.locator("#checks")).not_to_contain_text("key_binding")
    audit(page, shots, "verifier-forged")
    page.locator("#technical summary").click()
    expect(page.locator("#technical")).to_contain_text("signature_mismatch")


def test_a_right_badge_against_a_wrong_email(page, live_server, shots):
    credential = issue_ours()
    verify_in_page(page, live_server, credential.ob3_json, email="autre@exemple.test")
    verdict = page.locator("#verdict")
    expect(verdict).to_contain_text("Badge authentique, mais pas délivré à cette adresse")
    expect(verdict).not_to_have_class("fr-alert fr-alert--success fr-mb-3w")
    expect(page.locator("#checks")).to_contain_text("n'a pas été délivré à l'adresse")
    audit(page, shots, "verifier-wrong-email")


def test_a_replaced_badge(page, live_server, shots):
    credential = issue_ours()
    newer = issue_ours("M-VERIFY-2", "verify0002")
    credential.revoked_at = timezone.now()
    credential.replaced_by = newer
    credential.save()
    # Pasted as an employer would from a CV: the badge page's address, without https://.
    address = f"{live_server.url.split('://', 1)[1]}/badges/{credential.public_id}"
    verify_in_page(page, live_server, address)
    verdict = page.locator("#verdict")
    expect(verdict).to_contain_text("Badge remplacé par une version corrigée")
    link = verdict.get_by_role("link", name="Voir la version corrigée")
    expect(link).to_have_attribute("href", f"{live_server.url}/badges/verify0002")
    audit(page, shots, "verifier-replaced")
    link.click()
    expect(page).to_have_url(f"{live_server.url}/badges/verify0002")


def test_the_qr_scan_button_appears_with_javascript(page, live_server, shots):
    page.goto(f"{live_server.url}/verifier/")
    expect(page.get_by_role("button", name="Scanner le code QR du badge")).to_be_visible()
    audit(page, shots, "verifier-form")
