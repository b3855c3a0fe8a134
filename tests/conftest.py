"""Shared fixtures: a few named personas rather than factories."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.personas import make_badge_class, make_mission

pytest_plugins = ["tests.smtp"]


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """Each test's badges are new, even when they reuse a public id: no page kept from another;
    nor page counts held in the process by a test that buffers them."""
    from insigne.programme.counters import _PENDING
    from insigne.verifier.badge_pages import PAGES

    PAGES.clear()
    yield
    PAGES.clear()
    _PENDING.clear()


@pytest.fixture
def badge_class(db):
    return make_badge_class()


@pytest.fixture
def camille(db):
    """Eligible: six full months, ended 30 June 2026."""
    return make_mission("M-CAMILLE")


@pytest.fixture
def sacha(db):
    """Interrupted after two months: not eligible."""
    import datetime as dt

    from insigne.missions.models import EndReason

    return make_mission(
        "M-SACHA",
        given_name="Sacha",
        family_name="Exemple",
        actual_end_date=dt.date(2026, 2, 28),
        end_reason=EndReason.EARLY,
    )


@pytest.fixture(autouse=True)
def french_by_default():
    """Each test starts in French, whatever language a request of an earlier test in
    the same process left active in the thread (Django's LocaleMiddleware activates the
    reader's language and leaves it)."""
    translation.activate("fr")
    yield
    translation.deactivate()
