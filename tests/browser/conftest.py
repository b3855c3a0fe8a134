"""A real browser: Debian's Chromium driven by Playwright against the live test server.

The browser tests are skipped when Chromium is not installed, except in CI
(``INSIGNE_REQUIRE_BROWSER=1``), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("INSIGNE_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required (apt-get install chromium)")
        pytest.skip("Chromium is not installed")
    # Playwright's sync API runs an event loop in this thread; the test's own
    # ORM calls are synchronous and safe, so Django's guard is lifted here only.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
        )
        yield instance
        instance.close()


# Every page reports what the Content-Security-Policy blocked; a test that met any
# violation fails at teardown (init scripts are not subject to the page's policy).
_REPORT_CSP = """document.addEventListener("securitypolicyviolation", (e) =>
  console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}`));"""


def watch_csp(context: Any) -> list[str]:
    """Collect the CSP violations of every page of ``context``."""
    violations: list[str] = []
    context.add_init_script(_REPORT_CSP)

    def on_page(tab: Any) -> None:
        tab.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if "CSP violation" in message.text or "Content Security Policy" in message.text
                else None
            ),
        )

    context.on("page", on_page)
    return violations


@pytest.fixture
def page(browser, live_server, settings):
    settings.SITE_URL = live_server.url
    settings.CSRF_TRUSTED_ORIGINS = [live_server.url]
    context = browser.new_context(locale="fr-FR")
    violations = watch_csp(context)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()
    assert violations == [], violations
