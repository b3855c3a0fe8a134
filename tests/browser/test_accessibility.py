"""axe-core (WCAG 2.0/2.1, levels A and AA) on every page, in French and in English.

Volunteer pages are audited at desktop width and at 375 px; staff and demo pages
at desktop width. Next to axe, a few structural rules it does not enforce: the
``<html lang>`` of the active language, one ``<h1>``, headings that do not skip a
level, a ``<title>`` of its own for each page, no horizontal scrolling at 375 px.
One browser for the module and one context per language keep the run short.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from insigne.claims import corrections, services
from insigne.mail.models import CaughtMail
from insigne.missions.models import MissionImport
from insigne.platform import roles
from tests.browser.conftest import watch_csp
from tests.claims.helpers import invite
from tests.personas import make_mission, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 812}
PHONE = {"width": 390, "height": 844}  # the sharing and public-site pages: 375 px and 390 px
STAFF_PASSWORD = "a-long-staff-password-for-tests"
HEADINGS_SCRIPT = """() => Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6'))
  .map(h => Number(h.tagName[1]))"""


LARGE = 992  # the DSFR's "lg" breakpoint: from there the header menu is no modal


def settle(page: Any) -> None:
    """Wait until the page is as a person sees it at its current width: the design
    system's script has set up its components and answered the last resize, not
    halfway through. Its header menu is a modal below ``lg`` only: from ``lg`` up the
    script takes the modal's ``aria-labelledby`` away (a ``div`` without a role may
    not carry one), and gives it back below; that happens a frame after the resize."""
    with contextlib.suppress(PlaywrightTimeoutError):  # pages without the DSFR script
        page.wait_for_selector("html[data-fr-js='true']", state="attached", timeout=3000)
        labelled = "[aria-labelledby]"
        state = labelled if page.viewport_size["width"] < LARGE else f":not({labelled})"
        page.wait_for_selector(f"#header-menu{state}", state="attached", timeout=3000)


@dataclass
class Audit:
    """Everything wrong on the pages visited with one browser context."""

    language: str
    axe: Axe = field(default_factory=Axe)
    problems: list[str] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)

    def check(
        self,
        page: Any,
        label: str,
        *,
        mobile: bool = False,
        phones: tuple[dict[str, int], ...] = (),
    ) -> None:
        page.set_viewport_size(DESKTOP)
        settle(page)
        self._axe(page, f"{label} [desktop]")
        for size in ((MOBILE,) if mobile else ()) + phones:
            page.set_viewport_size(size)
            settle(page)
            where = f"{label} [{size['width']}px]"
            self._axe(page, where)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:  # WCAG 1.4.10: no horizontal scrolling at small widths
                self.problems.append(f"{self.language} {where}: {overflow}px too wide")
        self._structure(page, label)

    def _axe(self, page: Any, where: str) -> None:
        results = self.axe.run(page, options=AXE_OPTIONS)
        for violation in results.response["violations"]:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
            self.problems.append(
                f"{self.language} {where}: {violation['id']} ({violation['impact']}) "
                f"on {targets} — {violation['help']}"
            )

    def _structure(self, page: Any, label: str) -> None:
        where = f"{self.language} {label}"
        lang = page.evaluate("document.documentElement.lang")
        if lang != self.language:
            self.problems.append(f"{where}: <html lang={lang!r}>, expected {self.language!r}")
        levels = page.evaluate(HEADINGS_SCRIPT)
        if levels.count(1) != 1:
            self.problems.append(f"{where}: {levels.count(1)} <h1> (headings {levels})")
        if levels and levels[0] != 1:
            self.problems.append(f"{where}: the first heading is h{levels[0]}, not h1")
        for before, after in zip(levels, levels[1:], strict=False):
            if after > before + 1:
                self.problems.append(f"{where}: heading h{before} followed by h{after}")
        title = page.title()
        if title in self.titles:
            self.problems.append(f"{where}: title {title!r} already used by {self.titles[title]}")
        self.titles[title] = label


@pytest.fixture
def context_for(browser, live_server, settings) -> Iterator[Any]:
    settings.SITE_URL = live_server.url
    settings.CSRF_TRUSTED_ORIGINS = [live_server.url]
    settings.DEMO_MODE = True
    contexts = []
    violations: list[list[str]] = []

    def open_page(language: str) -> Any:
        context = browser.new_context(locale=f"{language}-FR", viewport=DESKTOP)
        violations.append(watch_csp(context))
        context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert [v for found in violations for v in found] == []  # the CSP blocked nothing


@pytest.fixture
def journey(badge_class) -> dict[str, str]:
    """One volunteer at the form, one with a badge, one who declined: tokens and the badge."""
    _, form_token = invite(make_mission("M-A11Y-FORM"))
    issued, badge_token = invite(
        make_mission("M-A11Y-BADGE", given_name="Sacha", family_name="Exemple")
    )
    credential = services.validate_claim(issued)
    declined, declined_token = invite(make_mission("M-A11Y-NO", given_name="Alex"))
    services.decline_invitation(declined)
    return {
        "form": form_token,
        "declined": declined_token,
        "badge": credential.public_id,
        "badge_token": badge_token,
        "badge_json": credential.ob3_json,
    }


@pytest.mark.parametrize("language", ["fr", "en"])
def test_volunteer_pages_have_no_wcag_violation(context_for, live_server, journey, language):
    page, audit = context_for(language), Audit(language)
    url, form = live_server.url, f"{live_server.url}/obtenir/{journey['form']}/"

    def visit(path: str, label: str) -> None:
        page.goto(url + path)
        audit.check(page, label, mobile=True)

    visit("/", "home")
    visit("/accessibilite/", "accessibility statement")
    page.goto(form)
    audit.check(page, "claim form", mobile=True)
    page.locator("#id_given_name").fill("")
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_selector("#id_given_name-error")
    audit.check(page, "claim form with an error", mobile=True)
    visit(f"/obtenir/{journey['form']}/apercu/", "preview")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_selector("#id_confirm-error")
    audit.check(page, "preview with an error", mobile=True)
    visit(f"/obtenir/{journey['form']}/refuser/", "decline confirmation")
    visit(f"/obtenir/{journey['declined']}/", "declined")
    visit("/obtenir/lien-inconnu/", "link error")
    visit("/renvoyer/", "resend")
    page.locator("#id_email").fill("pas-une-adresse")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#id_email-error")
    audit.check(page, "resend with an error", mobile=True)
    page.locator("#id_email").fill("personne@exemple.test")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("main [role=status]")
    audit.check(page, "resend done", mobile=True)
    visit(f"/badges/{journey['badge']}", "badge")
    visit("/nulle-part/", "404")
    visit("/verifier/", "verify upload")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#form-errors")
    audit.check(page, "verify upload with an error", mobile=True)
    page.locator("#id_badge_text").fill(journey["badge_json"])
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#verdict")
    audit.check(page, "verify upload result", mobile=True)
    visit(f"/verifier/badge/{journey['badge']}", "stored badge verification")

    assert not audit.problems, "\n".join(audit.problems)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_waiting_page_of_a_badge_issued_by_the_workers(
    context_for, live_server, badge_class, settings, language
):
    """Validated, the volunteer waits on a page that says when the badge is ready."""
    settings.CLAIMS_ISSUED_BY_WORKERS = True
    page, audit = context_for(language), Audit(language)
    _invitation, token = invite(make_mission(f"M-A11Y-WAIT-{language}"))
    page.goto(f"{live_server.url}/obtenir/{token}/apercu/")
    page.locator("#id_confirm").check(force=True)  # the DSFR styles the box away
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/obtenir/en-preparation/")
    audit.check(page, "badge being prepared", mobile=True)

    assert services.issue_validated() == 1
    ready = page.locator("#badge-pending-status a")
    ready.wait_for()
    assert page.locator("h1").inner_text() == page.title().split(" — ")[0]  # both say it
    audit.check(page, "badge ready", mobile=True)
    ready.click()
    page.wait_for_url(f"{live_server.url}/badges/*")
    assert page.locator("h1").count() == 1
    assert not audit.problems, "\n".join(audit.problems)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_public_site_and_sharing_pages_have_no_wcag_violation(
    context_for, live_server, journey, language
):
    page, audit = context_for(language), Audit(language)

    def visit(path: str, label: str) -> None:
        page.goto(live_server.url + path)
        audit.check(page, label, mobile=True, phones=(PHONE,))

    for path, label in [
        ("/", "home"),
        ("/questions-frequentes/", "faq"),
        ("/mentions-legales/", "legal notice"),
        ("/donnees-personnelles/", "privacy notice"),
        ("/gestion-des-cookies/", "cookies"),
        ("/plan-du-site/", "site map"),
        ("/ob3/achievements/service-civique", "competencies"),
        (f"/badges/{journey['badge']}", "badge (visitor)"),
        (f"/badges/{journey['badge']}/visibilite/", "visibility denied"),
    ]:
        visit(path, label)
    page.goto(f"{live_server.url}/obtenir/{journey['badge_token']}/")  # the holder's link
    page.wait_for_selector("#visibilite")
    audit.check(page, "badge (holder)", mobile=True, phones=(PHONE,))
    visit(f"/badges/{journey['badge']}/visibilite/", "visibility choice")
    page.set_viewport_size(DESKTOP)
    page.locator("footer button[aria-controls=fr-theme-modal]").click()
    page.wait_for_selector("#fr-theme-modal[open]")
    # The modal fades in: audit its colours once it is fully opaque, not halfway.
    # (Locator assertions, not wait_for_function: a string predicate is eval, which the
    # site's Content-Security-Policy forbids, as it should.)
    expect(page.locator("#fr-theme-modal")).to_have_css("opacity", "1")
    expect(page.locator("#fr-theme-modal .fr-modal__body")).to_have_css("opacity", "1")
    audit._axe(page, "display settings (the choice's page, its modal open) [desktop]")

    assert not audit.problems, "\n".join(audit.problems)


def caught_mail() -> CaughtMail:
    message = EmailMessage()
    message["Subject"] = "Votre Open Badge Service Civique vous attend"
    message["From"] = "Agence du Service Civique <openbadge@service-civique.gouv.fr>"
    message["To"] = "camille@exemple.test"
    message.set_content("Bonjour\nhttps://badges.example.test/obtenir/jeton/\n")
    message.add_alternative('<p>Bonjour</p><a href="https://badges.example.test/">Obtenir</a>')
    return CaughtMail.objects.create(
        envelope_from="openbadge@service-civique.gouv.fr",
        envelope_to="camille@exemple.test",
        subject=message["Subject"],
        raw=message.as_bytes(),
    )


@pytest.fixture
def staff_world(badge_class) -> dict[str, int]:
    make_staff("support", roles.ADMINISTRATOR, password=STAFF_PASSWORD)
    mission = make_mission("M-A11Y-STAFF")
    make_mission("M-A11Y-SHORT", given_name="Noa", actual_end_date=dt.date(2026, 3, 1))
    invite(mission)
    corrected = make_mission("M-A11Y-FIXED", given_name="Lou", family_name="Corrigé")
    issued = services.validate_claim(invite(corrected)[0])
    corrections.reissue(
        issued, host_name="Association Exemple de Lyon", reason="Nom de l'organisme"
    )
    declined = make_mission("M-A11Y-NO", given_name="Ana", family_name="Refus")
    services.decline_invitation(invite(declined)[0])
    done = MissionImport.objects.create(
        source="upload",
        filename="missions.csv",
        read=3,
        created=2,
        rejected=1,
        errors=[{"line": 3, "field": "email", "reason": "Adresse invalide", "raw": {"email": "x"}}],
    )
    return {
        "mission": mission.pk,
        "corrected": corrected.pk,
        "old_badge": issued.public_id,
        "declined": declined.pk,
        "import": done.pk,
        "mail": caught_mail().pk,
    }


@pytest.mark.parametrize("language", ["fr", "en"])
def test_staff_and_demo_pages_have_no_wcag_violation(
    context_for, live_server, staff_world, language
):
    page, audit = context_for(language), Audit(language)
    page.goto(f"{live_server.url}/admin/login/?next=/console/support/")
    page.locator("#id_username").fill("support")
    page.locator("#id_password").fill(STAFF_PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url("**/console/support/")

    console = [
        ("/console/support/", "support search"),
        ("/console/support/?name=D%C3%A9mo", "support results"),
        ("/console/support/?place=clermont+ferrand", "support no result"),
        ("/console/support/?date_from=2026-06-30&date_until=2026-01-01", "support bad range"),
        (f"/console/missions/{staff_world['mission']}/", "support mission"),
        (f"/console/missions/{staff_world['corrected']}/", "support corrected badge"),
        (f"/console/missions/{staff_world['declined']}/", "support declined"),
        (f"/badges/{staff_world['old_badge']}", "replaced badge page"),
    ]
    for path, label in console:
        page.goto(live_server.url + path)
        audit.check(page, label, phones=(PHONE,))

    for path, label in [
        ("/console/programme/imports/", "imports"),
        (f"/console/imports/{staff_world['import']}/", "import report"),
        ("/demo/courriels/", "demo mailbox"),
        (f"/demo/courriels/{staff_world['mail']}/", "demo mail"),
    ]:
        page.goto(live_server.url + path)
        audit.check(page, label)

    assert not audit.problems, "\n".join(audit.problems)
