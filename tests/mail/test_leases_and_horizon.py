"""Nothing lost: leases of mails being sent, the retry horizon, a slow relay, one Message-ID."""

import datetime as dt

import pytest

from insigne.mail.models import MailStatus, OutgoingMail
from insigne.mail.services import queue_mail, requeue_overdue_mail
from insigne.mail.tasks import send_outgoing_mail
from tests.smtp import free_port

T0 = dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def deferred_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def queued(db, deferred_tasks, time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to(T0, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        return queue_mail(
            kind="invitation",
            to="sacha.exemple@exemple.test",
            subject="Votre Open Badge",
            text="Votre lien personnel : https://badges.example.test/obtenir/SECRET",
            related_key="invitation:3",
        )


def relay_down(settings) -> None:
    settings.EMAIL_BACKEND = "insigne.mail.backends.SmtpBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens


def test_a_24_hour_relay_outage_is_delivered_once_the_relay_is_back(
    settings, queued, time_machine, smtp_server
):
    relay_port = settings.EMAIL_PORT
    relay_down(settings)
    now, tries = T0, 0
    while now < T0 + dt.timedelta(hours=24):
        assert send_outgoing_mail.call(queued.pk) == "retry"
        tries += 1
        queued.refresh_from_db()
        now = queued.next_attempt_at
        time_machine.move_to(now, tick=False)
    assert queued.status == MailStatus.FAILED_TEMPORARY  # not given up after 24 h
    assert tries == 4 + 4  # 1 min, 5 min, 30 min, 2 h, then every 6 h

    settings.EMAIL_PORT = relay_port  # the relay is back
    assert send_outgoing_mail.call(queued.pk) == "sent"

    [message] = smtp_server.wait_for(1)
    queued.refresh_from_db()
    assert (queued.status, queued.attempts, queued.text_body) == (MailStatus.SENT, tries + 1, "")
    assert message["Message-ID"] == queued.message_id


def test_temporary_failures_are_given_up_after_72_hours_by_default(settings, queued, time_machine):
    relay_down(settings)
    outcomes = []
    while not outcomes or outcomes[-1] == "retry":
        outcomes.append(send_outgoing_mail.call(queued.pk))
        queued.refresh_from_db()
        if queued.next_attempt_at:
            time_machine.move_to(queued.next_attempt_at, tick=False)
    assert outcomes[-1] == "failed"
    assert queued.sent_at is None and queued.text_body == ""
    assert queued.failing_since == T0
    last_try = dt.datetime.now(dt.UTC)
    assert dt.timedelta(hours=72) <= last_try - T0 < dt.timedelta(hours=78)


def test_a_mail_whose_worker_died_is_sent_again_once_its_lease_is_over(
    settings, queued, time_machine, smtp_server
):
    # A worker claimed it, then was killed: the row stays "sending".
    OutgoingMail.objects.filter(pk=queued.pk).update(
        status=MailStatus.SENDING,
        claimed_at=T0,
        lease_expires_at=T0 + dt.timedelta(seconds=settings.MAIL_LEASE),
        attempts=1,
    )
    time_machine.move_to(T0 + dt.timedelta(seconds=settings.MAIL_LEASE - 1), tick=False)
    assert send_outgoing_mail.call(queued.pk) == "skipped"  # still its worker's
    assert requeue_overdue_mail() == 0

    time_machine.move_to(T0 + dt.timedelta(seconds=settings.MAIL_LEASE + 1), tick=False)
    assert requeue_overdue_mail() == 1  # the sweep finds it (the dummy backend keeps the task)
    assert send_outgoing_mail.call(queued.pk) == "sent"

    [message] = smtp_server.wait_for(1)
    queued.refresh_from_db()
    assert (queued.status, queued.attempts, queued.text_body) == (MailStatus.SENT, 2, "")
    assert queued.lease_expires_at is None
    assert message["Message-ID"] == queued.message_id


def test_a_relay_answering_after_the_timeout_gets_the_mail_once(settings, queued, smtp_server):
    settings.EMAIL_TIMEOUT = 1
    settings.EMAIL_DATA_TIMEOUT = 5
    smtp_server.answer_data_late(2.5)  # later than EMAIL_TIMEOUT, within EMAIL_DATA_TIMEOUT

    assert send_outgoing_mail.call(queued.pk) == "sent"
    assert len(smtp_server.wait_for(1)) == 1
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (MailStatus.SENT, 1)


def test_a_reply_that_never_comes_is_an_unknown_outcome_retried_later(
    settings, queued, smtp_server
):
    settings.EMAIL_TIMEOUT = 1
    settings.EMAIL_DATA_TIMEOUT = 1
    smtp_server.answer_data_late(3)

    assert send_outgoing_mail.call(queued.pk) == "retry"

    queued.refresh_from_db()
    assert queued.status == MailStatus.FAILED_TEMPORARY
    assert queued.last_error.startswith("issue inconnue, nouvel essai avec le même Message-ID")
    assert queued.next_attempt_at == T0 + dt.timedelta(minutes=1)
    assert queued.text_body  # kept: the mail may have to go again
