"""Every staff action is written (who, when, what, before → after), shown and exported."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from insigne.claims import services
from insigne.mail.models import MailStatus, OutgoingMail
from insigne.platform import audit
from insigne.platform.models import AuditEntry
from tests.claims.helpers import invite
from tests.personas import make_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def agent_client(client):
    client.force_login(make_staff("agent"))
    return client


def export(client, **query) -> list[list[str]]:
    response = client.get(reverse("console_audit_csv"), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body), delimiter=";"))


def test_an_address_change_says_who_and_what(agent_client, camille):
    agent_client.post(reverse("console_address", args=[camille.pk]), {"email": "new@exemple.test"})
    [entry] = AuditEntry.objects.all()
    assert (entry.actor_name, entry.action, entry.mission_id) == (
        "agent",
        "change_address",
        camille.pk,
    )
    assert entry.before["adresse"] == "m-camille@exemple.test"
    assert entry.after["adresse"] == "new@exemple.test"
    page = agent_client.get(reverse("console_mission", args=[camille.pk])).content.decode()
    assert "Adresse corrigée (agent)" in page
    assert "m-camille@exemple.test → new@exemple.test" in page
    header, row = export(agent_client, mission=camille.pk)
    assert header[:3] == ["date", "auteur", "action"]
    assert row[1:5] == ["agent", "Adresse corrigée", f"mission:{camille.pk}", str(camille.pk)]


def test_the_export_cannot_run_formulas_in_a_spreadsheet(agent_client, camille):
    for reason in ('=HYPERLINK("http://evil")', "+1", "-2", "@SUM(A1)", "|calc", "sain"):
        audit.record(None, "revoke", "credential:1", {}, {}, mission_id=camille.pk, reason=reason)
    reasons = [row[6] for row in export(agent_client)[1:]]
    assert reasons == ['\'=HYPERLINK("http://evil")', "'+1", "'-2", "'@SUM(A1)", "'|calc", "sain"]


def test_a_declined_volunteer_is_brought_back(agent_client, camille, badge_class, mailoutbox):
    invitation, old_token = invite(camille)
    services.decline_invitation(invitation)
    page = agent_client.get(reverse("console_mission", args=[camille.pk])).content.decode()
    assert "Rien à renvoyer" in page and "Rouvrir la demande" in page
    agent_client.post(reverse("console_reopen", args=[camille.pk]))
    invitation.refresh_from_db()
    assert invitation.declined_at is None
    [message] = mailoutbox
    assert message.to == [camille.email] and "/obtenir/" in message.body
    assert AuditEntry.objects.get().action == "reopen_claim"
    # The volunteer's old link opens the form again too.
    assert agent_client.get(reverse("claim", args=[old_token]), follow=True).status_code == 200


def test_the_page_shows_the_mail_history_and_warns_about_links(agent_client, camille, badge_class):
    invitation, _ = invite(camille)
    OutgoingMail.objects.create(
        kind="invitation",
        to=camille.email,
        subject="Votre Open Badge Service Civique vous attend",
        text_body="",
        related_key=f"invitation:{invitation.pk}",
        status=MailStatus.UNDELIVERABLE,
    )
    page = agent_client.get(reverse("console_mission", args=[camille.pk])).content.decode()
    assert "Courriel refusé par le serveur du destinataire" in page
    assert "Adresse refusée" in page
    assert "Les liens déjà envoyés restent valables" in page
    agent_client.post(reverse("console_resend", args=[camille.pk]))
    entry = AuditEntry.objects.get(action="resend")
    assert entry.after == {"courriel": "invitation"}


def test_canned_replies_are_filled_with_the_volunteer_s_data(agent_client, sacha):
    page = agent_client.get(reverse("console_mission", args=[sacha.pk])).content.decode()
    assert "Bonjour Sacha Exemple" in page
    assert "a duré 2 mois" in page
    for title in (
        "Mission de moins de six mois",
        "Courriel dans les indésirables",
        "Adresse électronique changée",
        "Badge refusé puis redemandé",
    ):
        assert title in page
