import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from insigne.claims.models import Invitation
from tests.personas import make_mission


def run(today: str) -> str:
    out = StringIO()
    call_command("send_invitations", today=today, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_it_invites_the_day_after_the_end_and_never_twice(camille, sacha, badge_class):
    assert "0 invitation" in run("2026-06-30")  # the last day of the mission: not yet
    assert mail.outbox == []
    assert "1 invitation" in run("2026-07-01")
    assert [m.to for m in mail.outbox] == [[camille.email]]
    assert "0 invitation" in run("2026-07-01")
    assert "0 invitation" in run("2026-07-05")
    assert len(mail.outbox) == 1
    assert Invitation.objects.get().mission == camille


@pytest.mark.django_db(transaction=True)
def test_a_missed_day_catches_up(badge_class):
    make_mission("M-1", actual_end_date=dt.date(2026, 6, 30))
    make_mission("M-2", start_date=dt.date(2026, 1, 3), actual_end_date=dt.date(2026, 7, 2))
    assert "2 invitation" in run("2026-07-10")
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_it_skips_unfinished_and_undeliverable_missions(badge_class):
    make_mission("M-RUNNING", actual_end_date=None)
    make_mission("M-BOUNCED", email_undeliverable=True)
    assert "0 invitation" in run("2026-08-01")


@pytest.mark.django_db
def test_the_database_refuses_a_second_invitation_of_a_mission(camille):
    Invitation.objects.create(mission=camille)
    with pytest.raises(IntegrityError):
        Invitation.objects.create(mission=camille)


@pytest.mark.django_db(transaction=True)
def test_the_invitation_mail_carries_the_personal_link_and_only_its_hash_is_stored(camille):
    run("2026-07-01")
    message = mail.outbox[0]
    assert message.subject == "Votre Open Badge Service Civique vous attend"
    assert "Agence du Service Civique" in message.from_email
    html = message.alternatives[0][0]
    assert "Obtenir mon badge" in html
    link = next(w for w in message.body.split() if "/obtenir/" in w)
    token = link.rstrip("/").split("/")[-1]
    assert len(token) >= 22  # at least 128 bits, URL-safe base64
    invitation = Invitation.objects.get()
    [link_row] = invitation.links.all()
    assert token not in link_row.token_hash
    assert link_row.token_hash == __import__("hashlib").sha256(token.encode()).hexdigest()


@pytest.mark.django_db
def test_it_refuses_a_malformed_date():
    with pytest.raises(CommandError, match="Date invalide"):
        run("01/07/2026")


@pytest.mark.django_db(transaction=True)
def test_today_is_the_paris_date_not_the_utc_one(camille):
    import time_machine

    # 30 June 23:30 UTC is already 1 July in Paris: the mission (ended 30 June) is due.
    with time_machine.travel(dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC), tick=False):
        call_command("send_invitations", stdout=StringIO())
    assert len(mail.outbox) == 1
    # 30 June 21:30 UTC is still 30 June in Paris: nothing is due yet.
    Invitation.objects.all().delete()
    mail.outbox.clear()
    with time_machine.travel(dt.datetime(2026, 6, 30, 21, 30, tzinfo=dt.UTC), tick=False):
        call_command("send_invitations", stdout=StringIO())
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_refused_address_is_flagged_and_not_invited_again(camille, smtp_server):
    smtp_server.reply_to_rcpt("550 5.1.1 No such user")
    run("2026-07-01")
    camille.refresh_from_db()
    assert camille.email_undeliverable is True
    assert Invitation.objects.get().sent_at is None


@pytest.mark.django_db(transaction=True)
def test_a_delivered_invitation_records_when_it_was_sent(camille, smtp_server):
    run("2026-07-01")
    [message] = smtp_server.wait_for(1)
    assert message["To"] == camille.email
    assert Invitation.objects.get().sent_at is not None


@pytest.mark.django_db
def test_a_mission_that_cannot_be_invited_does_not_stall_the_run(monkeypatch, badge_class):
    from insigne.claims import services

    for number in range(3):
        make_mission(f"M-STUCK-{number}")
    attempts: list[int] = []
    monkeypatch.setattr(services, "_invite_batch", lambda ids: attempts.extend(ids) or 0)
    assert services.invite_due_missions(dt.date(2026, 7, 1)) == 0
    assert len(attempts) == 3  # each tried once, then the run ends


@pytest.mark.django_db(transaction=True)
def test_once_sent_the_database_keeps_no_clear_token(camille):
    from django.db.models import Q

    from insigne.mail.models import OutgoingMail

    run("2026-07-01")
    link = next(w for w in mail.outbox[0].body.split() if "/obtenir/" in w)
    token = link.rstrip("/").split("/")[-1]
    holding = OutgoingMail.objects.filter(
        Q(text_body__contains=token) | Q(html_body__contains=token)
    )
    assert not holding.exists()
    assert OutgoingMail.objects.get().subject == "Votre Open Badge Service Civique vous attend"
