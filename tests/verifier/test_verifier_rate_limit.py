"""The verifier's limits: an employer checking a pile of badges is never locked out; a
window resets once over (fixed window), and bursts are refused before the body is read."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from insigne.verifier import views
from tests.verifier.helpers import issue_ours

START = dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def credential(db):
    return issue_ours()


def test_an_employer_checks_100_badges_in_an_hour(client, credential):
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(100):
            response = client.post(reverse("verify_upload"), {"badge_text": credential.ob3_json})
            assert response.status_code == 200
            clock.shift(36)


def test_a_burst_is_refused_then_the_window_resets(client, credential):
    limit, window = views.PAGE_LIMIT
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(limit):
            assert client.post(reverse("verify_upload"), {"badge_text": "x"}).status_code == 200
        refused = client.post(reverse("verify_upload"), {"badge_text": credential.ob3_json})
        assert refused.status_code == 429
        # Hits inside the window do not extend it: it closes `window` seconds after it opened.
        clock.shift(window - 1)
        assert client.post(reverse("verify_upload"), {"badge_text": "x"}).status_code == 429
        clock.shift(1)
        page = client.post(reverse("verify_upload"), {"badge_text": credential.ob3_json})
        assert page.status_code == 200 and 'data-verdict="valid"' in page.content.decode()


def test_the_api_has_its_own_fixed_window(client, db):
    limit, window = views.API_LIMIT
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(limit):
            assert (
                client.post(reverse("api_verify"), b"", content_type="text/plain").status_code
                == 400
            )
        assert client.post(reverse("api_verify"), b"", content_type="text/plain").status_code == 429
        clock.shift(window)
        assert client.post(reverse("api_verify"), b"", content_type="text/plain").status_code == 400
