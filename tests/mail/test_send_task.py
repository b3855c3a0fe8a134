import datetime as dt

import pytest
from django_tasks import task_backends

from insigne.mail.models import MailStatus, OutgoingMail
from insigne.mail.services import queue_mail
from insigne.mail.signals import mail_failed, mail_sent, mail_undeliverable
from insigne.mail.tasks import send_outgoing_mail
from tests.smtp import free_port

T0 = dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def deferred_tasks(settings):
    """Tasks are recorded, not run, so each test drives the sending step by step."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return task_backends["default"]


@pytest.fixture
def signals():
    received: list[tuple[str, OutgoingMail]] = []

    def on(name):
        return lambda sender, mails, **kwargs: received.extend((name, mail) for mail in mails)

    receivers = {
        mail_sent: on("sent"),
        mail_undeliverable: on("undeliverable"),
        mail_failed: on("failed"),
    }
    for signal, receiver in receivers.items():
        signal.connect(receiver)
    yield received
    for signal, receiver in receivers.items():
        signal.disconnect(receiver)


@pytest.fixture
def queued(db, deferred_tasks, time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to(T0, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        mail = queue_mail(
            kind="invitation",
            to="sacha.exemple@exemple.test",
            subject="Votre Open Badge",
            text="Bonjour",
            related_key="invitation:3",
        )
    return mail


def test_it_retries_a_451_after_one_minute(
    smtp_server, queued, deferred_tasks, time_machine, signals
):
    smtp_server.reply_to_rcpt("451 4.7.1 Greylisted, try again later")

    assert send_outgoing_mail.call(queued.pk) == "retry"
    queued.refresh_from_db()
    assert queued.status == MailStatus.FAILED_TEMPORARY
    assert queued.next_attempt_at == T0 + MINUTE
    assert queued.last_error.startswith("451")
    retry = deferred_tasks.results[-1]
    assert retry.task.run_after == T0 + MINUTE
    assert retry.args == [queued.pk]

    assert send_outgoing_mail.call(queued.pk) == "skipped"  # not due yet
    time_machine.move_to(T0 + MINUTE, tick=False)
    assert send_outgoing_mail.call(queued.pk) == "sent"

    [message] = smtp_server.wait_for(1)
    assert message["To"] == "sacha.exemple@exemple.test"
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (MailStatus.SENT, 2)
    assert signals == [("sent", queued)]


def test_it_backs_off_then_gives_up_as_failed(smtp_server, queued, time_machine, signals, settings):
    settings.MAIL_GIVE_UP_AFTER = 8 * 3600  # the default keeps trying for 72 h
    delays = []
    now = T0
    for _attempt in range(6):
        smtp_server.reply_to_rcpt("421 4.3.2 Service shutting down")
        outcome = send_outgoing_mail.call(queued.pk)
        queued.refresh_from_db()
        if outcome == "retry":
            delays.append(queued.next_attempt_at - now)
            now = queued.next_attempt_at
            time_machine.move_to(now, tick=False)
    assert [d / MINUTE for d in delays] == [1, 5, 30, 120, 360]
    assert (queued.status, queued.attempts) == (MailStatus.FAILED, 6)
    assert [name for name, _mail in signals] == ["failed"]
    assert smtp_server.messages == []


def test_a_550_makes_it_undeliverable_and_says_so(smtp_server, queued, deferred_tasks, signals):
    smtp_server.reply_to_rcpt("550 5.1.1 <sacha.exemple@exemple.test>: no such user")
    enqueued_before = len(deferred_tasks.results)

    assert send_outgoing_mail.call(queued.pk) == "undeliverable"

    queued.refresh_from_db()
    assert queued.status == MailStatus.UNDELIVERABLE
    assert "sacha" not in queued.last_error  # addresses are masked in the stored error
    assert queued.last_error.startswith("550 5.1.1")
    assert [(name, mail.related_id("invitation")) for name, mail in signals] == [
        ("undeliverable", 3)
    ]
    assert len(deferred_tasks.results) == enqueued_before  # no retry
    assert send_outgoing_mail.call(queued.pk) == "skipped"


def test_a_5xx_on_the_message_makes_it_undeliverable(smtp_server, queued, signals):
    smtp_server.reply_to_data("554 5.7.1 Message refused")
    assert send_outgoing_mail.call(queued.pk) == "undeliverable"
    assert [name for name, _mail in signals] == ["undeliverable"]


def test_a_refused_connection_is_temporary(settings, queued, signals):
    settings.EMAIL_BACKEND = "insigne.mail.backends.SmtpBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens

    assert send_outgoing_mail.call(queued.pk) == "retry"

    queued.refresh_from_db()
    assert queued.status == MailStatus.FAILED_TEMPORARY
    assert "ConnectionRefusedError" in queued.last_error
    assert signals == []


def test_a_failing_receiver_does_not_make_a_sent_mail_retry(smtp_server, queued):
    def broken(sender, mails, **kwargs):
        raise RuntimeError("bug in a receiver")

    mail_sent.connect(broken)
    try:
        assert send_outgoing_mail.call(queued.pk) == "sent"
    finally:
        mail_sent.disconnect(broken)
    queued.refresh_from_db()
    assert queued.status == MailStatus.SENT
