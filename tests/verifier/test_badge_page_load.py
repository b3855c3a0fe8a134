"""The badge page under load: the verdict kept on the credential, the page rendered once
per state for visitors without a session, constant queries, and what invalidates them."""

from __future__ import annotations

import re
import shutil

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from insigne.badges import services as badge_services
from insigne.badges.holders import SESSION_KEY
from insigne.badges.keys import rotate_issuer_key
from insigne.badges.models import Credential, Visibility
from insigne.verifier import stored
from insigne.verifier.badge_pages import PAGES
from insigne.verifier.result import from_stored, to_stored
from insigne.verifier.verify import verify
from tests.verifier.helpers import issue_ours

pytestmark = pytest.mark.django_db

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NONCE = re.compile(r'nonce="([^"]+)"')


@pytest.fixture
def credential():
    return issue_ours()


@pytest.fixture
def verifications(monkeypatch):
    """Counts the real verifications the stored verdict asks for (the verifier still runs)."""
    calls = []

    def counted(data, **kwargs):
        calls.append(data)
        return verify(data, **kwargs)

    monkeypatch.setattr(stored, "verify", counted)
    return calls


def page(client, credential, **headers):
    return client.get(reverse("badge", args=[credential.public_id]), **headers)


def test_the_verdict_is_verified_once_then_read_from_the_credential(
    client, credential, verifications
):
    assert "Badge authentique" in page(client, credential).content.decode()
    PAGES.clear()  # the next view renders again, but does not verify again
    assert "Badge authentique" in page(client, credential).content.decode()
    assert len(verifications) == 1
    row = Credential.objects.get(pk=credential.pk)
    assert row.verdict_key == stored.verdict_key(row)
    assert from_stored(row.verdict) == verify(credential.ob3_json)


def test_a_stored_verdict_reads_back_equal_with_its_dated_checks(credential):
    badge_services.revoke_credential(credential, "Délivré par erreur.")
    revoked = verify(credential.ob3_json)
    assert revoked.status == "revoked"
    assert from_stored(to_stored(revoked)) == revoked
    assert from_stored(to_stored(revoked)).as_json() == revoked.as_json()


def test_a_revoked_badge_page_says_revoked_at_once(client, credential):
    assert "Badge authentique" in page(client, credential).content.decode()
    assert "Badge authentique" in page(client, credential).content.decode()  # kept page
    badge_services.revoke_credential(credential, "Délivré par erreur.")
    text = page(client, credential).content.decode()
    assert "Ce badge a été révoqué" in text and "Délivré par erreur." in text
    assert "Badge authentique" not in text
    assert Credential.objects.get(pk=credential.pk).verdict["status"] == "revoked"
    verification = client.get(reverse("verify_badge", args=[credential.public_id]))
    assert verification.context["verdict"].status == "revoked"


def test_a_replaced_badge_page_says_replaced_at_once(client, credential):
    assert "Badge authentique" in page(client, credential).content.decode()
    newer = issue_ours("M-VERIFY-2", public_id="verify0002")
    Credential.objects.filter(pk=credential.pk).update(replaced_by=newer)
    text = page(client, credential).content.decode()
    assert "Ce badge a été remplacé" in text
    assert reverse("badge", args=[newer.public_id]) in text


def test_a_key_rotation_verifies_again(client, credential, settings, tmp_path, verifications):
    copy = tmp_path / "issuer_keys.json"
    shutil.copy(settings.INSIGNE_KEY_FILE, copy)
    settings.INSIGNE_KEY_FILE = copy  # the same keys, in a file this test may rotate
    page(client, credential)
    before = Credential.objects.get(pk=credential.pk).verdict_key
    rotate_issuer_key()
    text = page(client, credential).content.decode()
    assert "Badge authentique" in text  # the old key is still published: still valid
    after = Credential.objects.get(pk=credential.pk).verdict_key
    assert after != before
    assert len(verifications) == 2


def test_a_withdrawn_key_makes_the_page_say_so_at_once(client, credential, settings, tmp_path):
    assert "Badge authentique" in page(client, credential).content.decode()
    settings.INSIGNE_KEY_FILE = tmp_path / "other_keys.json"  # a new key file: the old key gone
    text = page(client, credential).content.decode()
    assert "Ce badge n'a pas pu être vérifié" in text
    # Not kept: a verdict that is not a valid, revoked or replaced badge is verified each time.
    assert Credential.objects.get(pk=credential.pk).verdict["status"] == "valid"


def test_each_visitor_gets_their_own_token_and_nonce_in_the_kept_page(client, credential):
    from django.test import Client

    first, second = page(client, credential), page(Client(), credential)
    texts = [first.content.decode(), second.content.decode()]
    for response, text in zip((first, second), texts, strict=True):
        nonces = set(NONCE.findall(text))
        assert len(nonces) == 1
        assert f"'nonce-{nonces.pop()}'" in response["Content-Security-Policy"]
        assert "csrftoken" in response.cookies
        assert CSRF_INPUT.search(text)
    assert CSRF_INPUT.findall(texts[0]) != CSRF_INPUT.findall(texts[1])
    assert NONCE.findall(texts[0]) != NONCE.findall(texts[1])

    def neutral(text):
        return NONCE.sub("N", CSRF_INPUT.sub("T", text))

    assert neutral(texts[0]) == neutral(texts[1])
    assert len(PAGES) == 1
    # The kept page is what a fresh render gives, token and nonce aside.
    PAGES.clear()
    assert neutral(page(Client(), credential).content.decode()) == neutral(texts[0])


def test_a_kept_page_keeps_its_csrf_form_working(credential):
    from django.test import Client

    Client().get(reverse("badge", args=[credential.public_id]))  # the page is kept
    strict = Client(enforce_csrf_checks=True)
    text = page(strict, credential).content.decode()
    token = CSRF_INPUT.search(text).group(1)
    response = strict.post(
        reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_the_holder_never_gets_a_visitors_page(client, credential):
    page(client, credential)  # kept for visitors
    session = client.session
    session[SESSION_KEY] = [credential.public_id]
    session.save()
    text = page(client, credential).content.decode()
    assert "Qui peut voir cette page" in text
    from django.test import Client

    assert "Qui peut voir cette page" not in page(Client(), credential).content.decode()


def test_the_language_and_the_visibility_name_their_own_page(client, credential, settings):
    french = page(client, credential).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = page(client, credential).content.decode()
    assert "Badge authentique" in french and "Badge authentique" not in english
    Credential.objects.filter(pk=credential.pk).update(visibility=Visibility.PUBLIC)
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    public = page(client, credential)
    assert '<meta name="robots" content="noindex">' in french
    assert '<meta name="robots" content="noindex">' not in public.content.decode()


def test_the_page_runs_the_same_few_queries_whatever_the_tables_hold(
    client, credential, django_assert_num_queries, settings
):
    settings.COUNT_FLUSH_SECONDS = 3600  # visits are counted in the process, written later
    page(client, credential)  # first view: verified, kept
    PAGES.clear()
    with django_assert_num_queries(2):  # its state, then the row with its kept verdict: rendered
        page(client, credential)
    with django_assert_num_queries(1):  # the row: the kept page
        page(client, credential)
    for number in range(2, 12):
        issue_ours(f"M-MORE-{number}", public_id=f"more{number:04d}")
    with django_assert_num_queries(1):
        page(client, credential)


def full_scans(plan: str) -> list[str]:
    """The scan nodes of ``plan`` that read a whole table or a whole index: a sequential
    scan, or an index scan that only filters (no condition on the index itself)."""
    nodes: list[tuple[str, list[str]]] = []
    for line in plan.splitlines():
        text = line.strip().removeprefix("->  ")
        if "(cost=" in text and " Scan " in f" {text}":
            nodes.append((text, []))
        elif nodes:
            nodes[-1][1].append(text)
    return [
        header
        for header, details in nodes
        if header.startswith("Seq Scan")
        or (
            any(d.startswith("Filter:") for d in details)
            and not any(d.startswith(("Index Cond:", "Recheck Cond:")) for d in details)
        )
    ]


def test_a_whole_index_read_through_counts_as_a_full_scan():
    plan = (
        "Index Scan using credentials_credential_status_index_key on credentials_credential"
        "  (cost=0.15..457.14 rows=331 width=4)\n  Filter: (revoked_at IS NOT NULL)"
    )
    assert full_scans(plan)
    assert not full_scans(
        "Bitmap Heap Scan on credentials_credential  (cost=8.29..18.59 rows=30 width=4)\n"
        "  Recheck Cond: (revoked_at IS NOT NULL)\n"
        "  ->  Bitmap Index Scan on credential_revoked  (cost=0.00..8.29 rows=30 width=0)"
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans of PostgreSQL")
def test_every_query_of_the_public_pages_uses_an_index(client, credential):
    """With sequential scans priced out, a query without a usable index still shows one."""
    badge_services.revoke_credential(issue_ours("M-REVOKED", public_id="revoked01"), "Erreur")
    public_id = credential.public_id
    urls = [
        reverse("badge", args=[public_id]),
        reverse("badge_ob3_json", args=[public_id]),
        reverse("badge_png", args=[public_id]),
        reverse("ob2_assertion", args=[public_id]),
        reverse("ob2_revocations"),
        reverse("ob3_status_list"),
        reverse("verify_badge", args=[public_id]),
    ]
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        # A server-side cursor (``.iterator()``) declares its SELECT: explain that SELECT.
        selects = [
            q["sql"][q["sql"].index("SELECT") :]
            for q in captured.captured_queries
            if q["sql"].startswith(("SELECT", "DECLARE"))
        ]
        assert selects, url
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            for sql in selects:
                cursor.execute(f"EXPLAIN {sql}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
                assert not full_scans(plan), (url, sql, plan)
