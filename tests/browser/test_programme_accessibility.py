"""The programme pages in a real browser: axe-clean (WCAG 2.1 AA) on desktop and phone,
in French and English, nothing blocked by the CSP, the chart drawn by the served Chart.js,
and the import progress bar following its job."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from insigne.claims import services
from insigne.integrations.tokens import create_token
from insigne.missions.models import MissionImport
from insigne.programme.models import BackgroundImport, Campaign, CampaignStatus, ImportStatus
from tests.browser.test_accessibility import STAFF_PASSWORD, Audit, context_for  # noqa: F401
from tests.claims.helpers import invite
from tests.personas import make_mission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def programme_world(badge_class) -> dict[str, int]:
    User.objects.create_superuser("pilote", password=STAFF_PASSWORD)
    issued, _ = invite(make_mission("M-PROG-1"))
    services.validate_claim(issued)
    invite(make_mission("M-PROG-2", given_name="Noa", departement="13"))
    make_mission("M-PROG-3", given_name="Alex", actual_end_date=dt.date(2026, 3, 1))
    result = MissionImport.objects.create(
        source="upload",
        filename="lot.csv",
        read=3,
        created=2,
        rejected=1,
        errors=[{"line": 3, "field": "email", "reason": "Adresse invalide"}],
    )
    done = BackgroundImport.objects.create(
        filename="lot.csv",
        status=ImportStatus.DONE,
        rows_done=3,
        rows_total=3,
        result=result,
        outlook={"missions": 2, "eligible": 2, "invited": 1, "next_run": 1, "upcoming": []},
        finished_at=timezone.now(),
    )
    running = BackgroundImport.objects.create(
        filename="gros.csv", status=ImportStatus.RUNNING, rows_done=40, rows_total=100
    )
    draft = Campaign.objects.create(
        name="Rattrapage 2024",
        ended_from=dt.date(2024, 1, 1),
        ended_until=dt.date(2024, 12, 31),
        per_hour=1000,
    )
    Campaign.objects.create(
        name="Rattrapage 2023",
        ended_from=dt.date(2023, 1, 1),
        ended_until=dt.date(2023, 12, 31),
        per_hour=500,
        status=CampaignStatus.RUNNING,
        planned=10,
        invited=4,
    )
    create_token("SI Agence", ["missions:read"], timezone.now() + dt.timedelta(days=30))
    return {"done": done.pk, "running": running.pk, "draft": draft.pk}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_programme_pages_have_no_wcag_violation(
    context_for,  # noqa: F811
    live_server,
    programme_world,
    language,
):
    page, audit = context_for(language), Audit(language)
    url = live_server.url
    page.goto(f"{url}/admin/login/?next=/console/programme/")
    page.locator("#id_username").fill("pilote")
    page.locator("#id_password").fill(STAFF_PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url("**/console/programme/")

    # the chart is drawn by our own copy of Chart.js, beside the same figures as a table
    assert page.evaluate("typeof window.Chart") == "function"
    assert page.evaluate("document.getElementById('funnel-chart').width") > 0
    expect(page.locator("#funnel-table tbody tr")).not_to_have_count(0)
    audit.check(page, "dashboard", mobile=True)
    for path, label in [
        ("/console/programme/?par=domaine", "dashboard by domain"),
        ("/console/programme/?par=departement", "dashboard by departement"),
        ("/console/programme/imports/", "background imports"),
        (f"/console/programme/imports/{programme_world['done']}/", "background import done"),
        ("/console/programme/campagnes/", "campaigns"),
        (f"/console/programme/campagnes/{programme_world['draft']}/", "campaign draft"),
        ("/console/api/jetons/", "api tokens"),
    ]:
        page.goto(url + path)
        audit.check(page, label, mobile=True)

    # the progress bar follows the job, then the page shows its result
    page.goto(f"{url}/console/programme/imports/{programme_world['running']}/")
    audit.check(page, "background import running", mobile=True)
    expect(page.locator("#import-bar")).to_have_attribute("value", "40")
    BackgroundImport.objects.filter(pk=programme_world["running"]).update(rows_done=70)
    expect(page.locator("#import-rows")).to_have_text("70", timeout=10_000)
    BackgroundImport.objects.filter(pk=programme_world["running"]).update(
        status=ImportStatus.FAILED, failure="Fichier illisible."
    )
    expect(page.locator(".fr-alert--error")).to_contain_text("Fichier illisible.", timeout=10_000)

    # forms with their errors, and a token shown once
    page.goto(f"{url}/console/programme/campagnes/")
    page.locator("#id_name").fill("Inversée")
    page.locator("#id_ended_from").fill("31/12/2024")
    page.locator("#id_ended_until").fill("01/01/2024")
    page.locator("#id_per_hour").fill("100")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_selector("#id_ended_until-error")
    audit.check(page, "campaign form with an error", mobile=True)
    page.goto(f"{url}/console/api/jetons/")
    page.locator("#id_name").fill("Partenaire")
    page.locator("label[for=id_scopes_0]").click()
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_selector("#new-token")
    audit.check(page, "api token created", mobile=True)

    assert not audit.problems, "\n".join(audit.problems)
