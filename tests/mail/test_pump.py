"""The workers' mail pump: batches over one SMTP connection, replies first, a rate cap."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from insigne.mail.models import MailPriority, MailStatus, OutgoingMail
from insigne.mail.pump import Pump
from insigne.mail.services import queue_mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def by_workers(settings):
    """Mail is left to the pump, as with the database task backend."""
    settings.MAIL_SENT_BY_WORKERS = True
    settings.MAIL_BATCH = 50
    settings.MAIL_RATE_PER_HOUR = 0


def queue(n, kind="invitation", priority=MailPriority.BULK):
    return [
        queue_mail(
            kind=kind,
            to=f"volontaire{i}@exemple.test",
            subject=f"{kind} {i}",
            text="Bonjour",
            priority=priority,
        )
        for i in range(n)
    ]


def test_queued_mail_waits_for_the_pump_then_leaves_over_one_connection(by_workers, smtp_server):
    queue(30)
    assert smtp_server.messages == []  # no task per mail: the pump sends it
    pump = Pump()
    assert pump.run_once() == 30
    pump.close()
    assert len(smtp_server.wait_for(30)) == 30
    assert len(set(smtp_server.peers)) == 1  # one SMTP connection for the whole batch
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {MailStatus.SENT}
    assert set(OutgoingMail.objects.values_list("text_body", flat=True)) == {""}


def test_the_connection_outlives_a_batch(by_workers, smtp_server, settings):
    settings.MAIL_BATCH = 10
    queue(25)
    pump = Pump()
    assert [pump.run_once() for _ in range(4)] == [10, 10, 5, 0]
    pump.close()
    smtp_server.wait_for(25)
    assert len(set(smtp_server.peers)) == 1


def test_a_volunteer_waiting_for_a_reply_passes_before_the_backfill(by_workers, smtp_server):
    queue(20)
    queue(2, kind="badge", priority=MailPriority.REPLY)
    pump = Pump()
    pump.run_once()
    pump.close()
    subjects = [message["Subject"] for message in smtp_server.wait_for(22)]
    assert subjects[:2] == ["badge 0", "badge 1"]


def test_a_refused_address_does_not_stop_the_batch(by_workers, smtp_server):
    queue(5)
    smtp_server.reply_to_rcpt("550 5.1.1 No such user")  # the first mail's recipient
    pump = Pump()
    assert pump.run_once() == 5
    pump.close()
    smtp_server.wait_for(4)
    statuses = list(OutgoingMail.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["undeliverable", "sent", "sent", "sent", "sent"]
    assert len(set(smtp_server.peers)) == 1  # the four that went shared the next connection


def test_the_hourly_cap_holds_across_passes_and_opens_again_an_hour_later(
    by_workers, smtp_server, settings
):
    settings.MAIL_RATE_PER_HOUR = 12
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        queue(30)
        pump = Pump()
        assert pump.run_once() == 12
        assert pump.run_once() == 0  # the hour's allowance is spent
        clock.shift(dt.timedelta(minutes=59))
        assert pump.run_once() == 0
        clock.shift(dt.timedelta(minutes=2))
        assert pump.run_once() == 12
        pump.close()
    assert OutgoingMail.objects.filter(status=MailStatus.SENT).count() == 24
    smtp_server.wait_for(24)


def test_a_mail_another_worker_claimed_is_left_to_it(by_workers, smtp_server):
    first, second = queue(2)
    OutgoingMail.objects.filter(pk=first.pk).update(
        status=MailStatus.SENDING, lease_expires_at=timezone.now() + dt.timedelta(minutes=15)
    )
    pump = Pump()
    assert pump.run_once() == 1
    pump.close()
    [message] = smtp_server.wait_for(1)
    assert message["Subject"] == second.subject
