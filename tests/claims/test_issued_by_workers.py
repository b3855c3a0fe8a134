"""Validation answered at once, the badge issued by the workers (``CLAIMS_ISSUED_BY_WORKERS``).

The validation page records the claim in one conditional UPDATE; the workers'
issuing pass (``services.issue_validated``) signs the badge and queues its mail.
On SQLite and PostgreSQL (``DATABASE_URL=postgres://… make test``).
"""

from __future__ import annotations

import logging

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test import Client
from django.urls import reverse

from insigne.badges.models import Credential, Visibility
from insigne.claims import services
from insigne.claims.issuing import ClaimDetails
from insigne.claims.models import Invitation
from insigne.mail.models import OutgoingMail
from insigne.missions.models import Mission
from tests.claims.helpers import invite, open_link
from tests.claims.test_concurrency import in_parallel
from tests.personas import make_mission, make_staff

PENDING = "/obtenir/en-preparation/"


@pytest.fixture
def by_workers(settings):
    settings.CLAIMS_ISSUED_BY_WORKERS = True


def validate(client: Client, visibility: str = "link") -> str:
    response = client.post(reverse("claim_preview"), {"confirm": "on", "visibility": visibility})
    assert response.status_code == 302, response.status_code
    return str(response.url)


def state(client: Client) -> dict[str, object]:
    response = client.get(reverse("claim_pending_state"))
    assert response["Cache-Control"].startswith("max-age=0")
    return dict(response.json())


@pytest.mark.django_db
def test_the_validation_answers_at_once_and_a_worker_issues_the_badge(
    by_workers, camille, badge_class, mailoutbox, django_capture_on_commit_callbacks
):
    invitation, token = invite(camille)
    client = Client()
    open_link(client, token)

    assert validate(client, visibility="hidden") == PENDING
    invitation.refresh_from_db()
    assert invitation.validated_at is not None
    assert invitation.credential is None
    assert invitation.visibility == Visibility.HIDDEN
    page = client.get(PENDING)
    assert page.status_code == 200
    assert "Votre badge est en préparation" in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")
    assert state(client) == {"ready": False, "address": ""}
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert services.issue_validated() == 1
    credential = Credential.objects.get()
    assert credential.issued_at == invitation.validated_at  # dated by the validation
    assert credential.visibility == Visibility.HIDDEN
    assert [m.subject for m in mailoutbox] == ["Votre Open Badge Service Civique"]
    address = reverse("badge", args=[credential.public_id])
    assert state(client) == {"ready": True, "address": address}
    # The browser that validated is the holder: it sees its hidden page, others do not.
    assert client.get(address).status_code == 200
    assert Client().get(address).status_code == 404
    assert client.get(PENDING).url == address
    assert services.issue_validated() == 0


@pytest.mark.django_db
def test_a_validated_claim_is_frozen_while_its_badge_is_issued(by_workers, camille, badge_class):
    invitation, token = invite(camille)
    client = Client()
    open_link(client, token)
    assert validate(client) == PENDING

    # A second submission, the form, the decline: each shows the waiting page.
    assert validate(client) == PENDING
    assert client.get(reverse("claim_form")).url == PENDING
    assert client.post(reverse("claim_decline")).url == PENDING
    fresh = Invitation.objects.select_related("mission").get(pk=invitation.pk)
    with pytest.raises(services.ClaimError):
        services.decline_invitation(fresh)
    with pytest.raises(services.ClaimError):
        services.save_draft(fresh, ClaimDetails("Autre", "Nom", "Autre organisme"))
    with pytest.raises(services.ClaimError):
        services.accept_claim(fresh)
    assert Invitation.objects.get(pk=invitation.pk).declined_at is None

    services.issue_validated()
    assert Credential.objects.get().given_name == camille.given_name


@pytest.mark.django_db
def test_a_declined_claim_cannot_be_validated(by_workers, camille, badge_class):
    invitation, token = invite(camille)
    client = Client()
    open_link(client, token)
    stale = Invitation.objects.select_related("mission").get(pk=invitation.pk)
    services.decline_invitation(stale)
    # The page read the invitation before the decline: the UPDATE's condition decides.
    with pytest.raises(services.ClaimError):
        services.accept_claim(stale)
    assert Invitation.objects.get(pk=invitation.pk).validated_at is None
    assert services.issue_validated() == 0
    assert client.get(PENDING).status_code == 410  # the declined page


@pytest.mark.django_db
def test_the_waiting_page_without_a_link_or_before_validation(by_workers, camille, badge_class):
    assert Client().get(PENDING).status_code == 404
    assert Client().get(reverse("claim_pending_state")).status_code == 404
    _invitation, token = invite(camille)
    client = Client()
    open_link(client, token)
    assert client.get(PENDING).url == reverse("claim_form")
    assert state(client) == {"ready": False, "address": ""}


@pytest.mark.django_db
def test_the_waiting_page_in_english(by_workers, camille, badge_class):
    _invitation, token = invite(camille)
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    open_link(client, token)
    validate(client)
    assert "Your badge is being prepared" in client.get(PENDING).content.decode()


def accept(mission: Mission) -> Invitation:
    """The mission invited and its claim validated, as the page validates it."""
    invitation, _token = invite(mission)
    services.accept_claim(Invitation.objects.select_related("mission").get(pk=invitation.pk))
    return invitation


def accepted(count: int, prefix: str) -> list[Invitation]:
    return [accept(make_mission(f"{prefix}-{number}")) for number in range(count)]


@pytest.mark.django_db
def test_a_claim_that_cannot_be_signed_spares_the_others_and_is_tried_again(
    by_workers, badge_class, monkeypatch, caplog
):
    broken = accepted(3, "SIGN")[1].pk
    sign = services.sign_credential

    def failing(invitation, *args, **kwargs):
        if invitation.pk == broken:
            raise ValueError("Camille Exemple")  # a message quoting a name
        return sign(invitation, *args, **kwargs)

    monkeypatch.setattr(services, "sign_credential", failing)
    with caplog.at_level(logging.ERROR, logger="insigne.claims.services"):
        assert services.issue_validated() == 2
    assert f"invitation {broken} failed (ValueError)" in caplog.text
    assert "Camille" not in caplog.text
    assert Invitation.objects.get(pk=broken).credential is None
    assert OutgoingMail.objects.filter(kind="badge").count() == 2

    monkeypatch.setattr(services, "sign_credential", sign)
    assert services.issue_validated() == 1
    assert Invitation.objects.filter(credential=None).count() == 0


@pytest.mark.django_db
def test_a_claim_that_cannot_be_stored_spares_the_others_one_by_one(
    by_workers, badge_class, monkeypatch, caplog
):
    """The batch's statements fail (a database refusal): each claim is stored alone."""
    broken = accepted(3, "STORE")[2].pk
    store = services.store_credentials

    def refusing(signed):
        if any(invitation.pk == broken for invitation, _credential in signed):
            raise DatabaseError("refused")
        return store(signed)

    monkeypatch.setattr(services, "store_credentials", refusing)
    with caplog.at_level(logging.WARNING, logger="insigne.claims.services"):
        assert services.issue_validated() == 2
    assert "issuing a batch failed (DatabaseError); one claim at a time" in caplog.text
    assert f"invitation {broken} failed (DatabaseError)" in caplog.text
    issued = Invitation.objects.exclude(credential=None)
    assert sorted(issued.values_list("pk", flat=True)) == sorted(
        pk for pk in Invitation.objects.values_list("pk", flat=True) if pk != broken
    )
    assert Credential.objects.count() == 2  # the batch's inserts rolled back, stored again
    keys = set(OutgoingMail.objects.filter(kind="badge").values_list("related_key", flat=True))
    assert keys == {f"credential:{pk}" for pk in Credential.objects.values_list("pk", flat=True)}

    monkeypatch.setattr(services, "store_credentials", store)
    assert services.issue_validated() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_issuing_passes_issue_each_claim_once(by_workers, badge_class, settings):
    settings.ISSUE_BATCH = 4
    accepted(24, "PAR")

    def drain() -> int:
        issued = 0
        while batch := services.issue_validated():
            issued += batch
        return issued

    assert sum(in_parallel(3, drain)) == 24
    assert Credential.objects.count() == 24
    assert Invitation.objects.filter(credential=None).count() == 0
    keys = list(OutgoingMail.objects.filter(kind="badge").values_list("related_key", flat=True))
    assert len(keys) == len(set(keys)) == 24


@pytest.mark.django_db(transaction=True)
def test_a_worker_issues_the_validated_claims_and_sends_their_mail(
    by_workers, settings, camille, badge_class, mailoutbox
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAIL_SENT_BY_WORKERS = True
    invitation = accept(camille)

    call_command("run_tasks", "--burst")

    assert Invitation.objects.get(pk=invitation.pk).credential is not None
    assert [m.subject for m in mailoutbox] == ["Votre Open Badge Service Civique"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
@pytest.mark.django_db
def test_the_issuing_pass_walks_its_index_whatever_the_statistics(by_workers, badge_class):
    """Statistics of an empty table, then a backfill's 50,000 invitations: the pass
    still reads only the claims being issued, in order, at each poll."""
    accepted(3, "WALK")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_invitation")
        # 50,000 copies of a mission (every column but the id, a new external id).
        columns = [f.column for f in Mission._meta.concrete_fields if not f.primary_key]
        copied = ["'BULK-' || n" if c == "external_id" else c for c in columns]
        cursor.execute(
            f"INSERT INTO missions_mission ({', '.join(columns)})"  # noqa: S608 - model metadata
            f" SELECT {', '.join(copied)} FROM missions_mission, generate_series(1, 50000) AS n"
            " WHERE external_id = 'WALK-0'"
        )
        cursor.execute(
            "INSERT INTO claims_invitation (mission_id, created_at, draft_given_name,"
            " draft_family_name, draft_host_name)"
            " SELECT id, now(), '', '', '' FROM missions_mission WHERE external_id LIKE 'BULK-%%'"
        )
    plan = services.to_issue(50).explain()
    assert "invitation_to_issue" in plan
    assert "Seq Scan" not in plan
    assert "Sort" not in plan  # read in the index's order, stopped at the batch's size
    assert services.issue_validated() == 3


@pytest.mark.django_db
def test_a_claim_being_signed_is_shown_to_support_and_not_invited_again(
    by_workers, camille, badge_class, client, mailoutbox
):
    accept(camille)
    client.force_login(make_staff("support"))
    page = client.get(reverse("console_mission", args=[camille.pk])).content.decode()
    assert "badge en cours de signature" in page
    assert "Rien à renvoyer pour cette mission." in page
    assert services.what_to_resend(camille) == ""
    assert not services.resend_for_mission(camille)  # its badge mail follows the signature
    services.request_resend(camille.email)  # the public page: no invitation mail either
    assert mailoutbox == []
