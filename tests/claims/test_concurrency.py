"""Double submits and parallel runs: one credential, one mail — on SQLite and PostgreSQL
(``DATABASE_URL=postgres://… make test`` runs the same tests there)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from insigne.badges.models import Credential
from insigne.claims import issuing, services
from insigne.claims.models import Invitation
from insigne.claims.views import LINK_COOKIE
from tests.claims.helpers import invite, open_link
from tests.personas import make_mission

pytestmark = pytest.mark.django_db(transaction=True)


def in_parallel(count: int, work: Callable[[], Any]) -> list[Any]:
    """Run ``work`` in ``count`` threads released together; re-raise the first error."""
    barrier = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(work())
        except BaseException as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def test_a_double_submit_gives_one_credential_and_one_mail(camille, badge_class, mailoutbox):
    invitation, _ = invite(camille)
    results = in_parallel(4, lambda: services.validate_claim(invitation).pk)
    assert len(set(results)) == 1
    assert Credential.objects.count() == 1
    assert [m.subject for m in mailoutbox] == ["Votre Open Badge Service Civique"]


def test_an_invitation_holding_a_credential_gets_no_second_one(camille, badge_class):
    invitation, _ = invite(camille)
    first = issuing.issue_credential(invitation, timezone.now())
    # Free the status slot, so that only the conditional attach stands in the way.
    Credential.objects.filter(pk=first.pk).update(status_index=first.status_index + 1000)
    with pytest.raises(issuing.AlreadyIssued), transaction.atomic():
        issuing.issue_credential(Invitation.objects.get(pk=invitation.pk), timezone.now())
    assert list(Credential.objects.all()) == [first]
    assert Invitation.objects.get(pk=invitation.pk).credential == first


def test_parallel_invitation_runs_invite_each_mission_once(badge_class, mailoutbox):
    for number in range(20):
        make_mission(f"M-{number:03d}")
    import datetime as dt

    counts = in_parallel(3, lambda: services.invite_due_missions(dt.date(2026, 7, 1)))
    assert sum(counts) == 20
    assert Invitation.objects.count() == 20
    assert len(mailoutbox) == 20
    assert len({m.to[0] for m in mailoutbox}) == 20


@pytest.mark.parametrize("round_", range(6))
def test_decline_and_validate_at_the_same_moment_give_a_page_and_one_outcome(
    round_, badge_class, mailoutbox
):
    mission = make_mission(f"M-RACE-{round_}")
    invitation, token = invite(mission)
    actions = iter(["validate", "decline"] * 2)
    lock = threading.Lock()

    def press() -> tuple[str, int]:
        with lock:
            action = next(actions)
        if action == "validate":
            url, data = reverse("claim_preview"), {"confirm": "on"}
        else:
            url, data = reverse("claim_decline"), {}
        client = Client()
        client.cookies[LINK_COOKIE] = token  # as after opening the mailed link
        return action, client.post(url, data).status_code

    results = in_parallel(4, press)

    assert all(status in {200, 302, 410} for _action, status in results), results
    invitation.refresh_from_db()
    issued = Credential.objects.filter(invitation=invitation).count()
    if issued:
        assert (issued, invitation.declined_at) == (1, None)
        assert invitation.validated_at is not None
        assert [m.subject for m in mailoutbox] == ["Votre Open Badge Service Civique"]
    else:
        assert invitation.declined_at is not None and invitation.validated_at is None
        assert mailoutbox == []
    # Whoever lost the race is shown where the link stands now.
    client = Client()
    page = client.get(open_link(client, token))
    assert page.status_code == (302 if issued else 410)
