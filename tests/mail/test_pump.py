"""The workers' mail pump: batches over one SMTP connection, replies first, a rate cap."""

import datetime as dt

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone

from insigne.mail import pump as pump_module
from insigne.mail.models import MailPriority, MailStatus, OutgoingMail
from insigne.mail.pump import Pump, claim_batch, claim_query
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


def test_a_badge_queued_behind_five_thousand_invitations_leaves_in_the_next_batch(
    by_workers, smtp_server, settings
):
    settings.MAIL_BATCH = 200
    OutgoingMail.objects.bulk_create(
        OutgoingMail(
            kind="invitation",
            to=f"volontaire{n}@exemple.test",
            subject=f"invitation {n}",
            text_body="Bonjour",
            priority=MailPriority.BULK,
        )
        for n in range(5000)
    )
    pump = Pump()
    assert pump.run_once() == 200  # the backfill is under way
    [badge] = queue(1, kind="badge", priority=MailPriority.REPLY)
    assert pump.run_once() == 200
    pump.close()
    received = smtp_server.wait_for(400)
    assert received[200]["Subject"] == badge.subject  # the first mail of the next batch
    assert OutgoingMail.objects.get(pk=badge.pk).status == MailStatus.SENT
    assert OutgoingMail.objects.filter(status=MailStatus.SENT).count() == 400


def test_in_a_simulated_hour_two_workers_send_no_more_than_the_hourly_cap(
    by_workers, smtp_server, settings
):
    settings.MAIL_RATE_PER_HOUR = 100
    settings.MAIL_BATCH = 7
    start = timezone.now().replace(second=30, microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        queue(400)
        workers = [Pump(), Pump()]
        for _minute in range(3 * 60 + 5):
            for pump in workers:
                pump.run_once()
            clock.shift(dt.timedelta(seconds=61))
        for pump in workers:
            pump.close()
    times = sorted(OutgoingMail.objects.exclude(sent_at=None).values_list("sent_at", flat=True))
    assert len(smtp_server.wait_for(len(times))) == len(times)
    hour = dt.timedelta(hours=1)
    busiest = max(sum(1 for t in times if end - hour < t <= end) for end in times)
    assert busiest <= 100  # whichever rolling hour one looks at
    assert busiest >= 90  # and the cap is used, not starved
    # 188 simulated minutes hold four starts of an hour: at most 4 × 100, and not starved.
    assert 300 <= len(times) <= 400


def test_a_worker_told_to_stop_hands_back_the_rest_of_its_batch(by_workers, smtp_server):
    queue(5)
    pump = Pump()
    asked = []

    def stopping():
        asked.append(True)
        return len(asked) > 2  # stop after two mails

    assert pump.run_once(stopping) == 2
    pump.close()
    assert smtp_server.wait_for(2)
    rest = OutgoingMail.objects.exclude(status=MailStatus.SENT)
    assert rest.count() == 3
    assert {m.attempts for m in rest} == {0}  # a try not made is not counted
    assert all(m.lease_expires_at <= timezone.now() for m in rest)  # any worker may take them
    other = Pump()
    assert other.run_once() == 3
    other.close()
    assert len(smtp_server.wait_for(5)) == 5


def test_a_slow_batch_renews_its_lease_so_no_other_worker_takes_its_mails(
    by_workers, smtp_server, settings
):
    settings.EMAIL_TIMEOUT = 1
    settings.EMAIL_DATA_TIMEOUT = 1  # the longest send: 6 s
    settings.MAIL_LEASE = 10
    queue(3)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        other = Pump()
        taken = []

        def slow_relay():
            clock.shift(dt.timedelta(seconds=5))  # each mail seems to take 5 s
            taken.append(other.run_once())  # another worker looks for mail meanwhile
            return False

        pump = Pump()
        assert pump.run_once(slow_relay) == 3
        pump.close()
        other.close()
    assert taken == [0, 0, 0]  # at 5, 10 and 15 s: the lease was renewed in time
    assert [m["Subject"] for m in smtp_server.wait_for(3)] == [f"invitation {i}" for i in range(3)]
    assert set(OutgoingMail.objects.values_list("status", "attempts")) == {(MailStatus.SENT, 1)}


def test_mails_another_worker_took_over_are_left_to_it(by_workers, smtp_server, settings):
    settings.EMAIL_TIMEOUT = 1
    settings.EMAIL_DATA_TIMEOUT = 1
    settings.MAIL_LEASE = 10
    queue(3)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        other = Pump()
        taken = []

        def frozen_worker():
            if not taken:
                clock.shift(dt.timedelta(seconds=11))  # this worker stalled past its lease
                taken.append(other.run_once())  # so another one took the batch over
            return False

        pump = Pump()
        assert pump.run_once(frozen_worker) == 0
        pump.close()
        other.close()
    assert taken == [3]
    assert len(smtp_server.wait_for(3)) == 3
    assert set(OutgoingMail.objects.values_list("status", "attempts")) == {(MailStatus.SENT, 2)}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_the_claim_walks_the_index_of_unsent_mail_whatever_the_table_holds(by_workers):
    """A backfill's size: 100,000 mails waiting behind 100,000 sent, statistics fresh."""
    with connection.cursor() as cursor:
        cursor.execute(
            'INSERT INTO mail_outgoingmail (kind, "to", subject, text_body, html_body,'
            " related_key, status, priority, attempts, last_error, created_at)"
            " SELECT 'invitation', 'a@exemple.test', 's', '', '', '',"
            " CASE WHEN n % 2 = 0 THEN 'sent' ELSE 'pending' END, 10, 0, '', now()"
            " FROM generate_series(1, 200000) AS n"
        )
        cursor.execute("ANALYZE mail_outgoingmail")
    with transaction.atomic():
        plan = claim_query(timezone.now(), 200).explain()
    assert "mail_unsent_idx" in plan
    assert "Sort" not in plan  # read in order, stopped at the batch's size


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_the_claim_walks_the_index_even_when_the_statistics_predate_the_backfill(by_workers):
    """Statistics of an empty table, then 100,000 invitations queued: planned by those
    statistics, the claim gathered every waiting mail and sorted them for each batch."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE mail_outgoingmail")
        cursor.execute(
            'INSERT INTO mail_outgoingmail (kind, "to", subject, text_body, html_body,'
            " related_key, status, priority, attempts, last_error, created_at)"
            " SELECT 'invitation', 'a@exemple.test', 's', '', '', '', 'pending', 10, 0, '',"
            " now() FROM generate_series(1, 100000)"
        )
    plans, after = [], []

    def explaining(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if sql.startswith("SELECT") and "FOR UPDATE SKIP LOCKED" in sql:  # the claim
            with context["connection"].cursor() as cursor:
                cursor.execute("EXPLAIN " + sql, params)
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
        elif sql.startswith("UPDATE") and plans and not after:  # the lease, after it
            with context["connection"].cursor() as cursor:
                cursor.execute("SHOW enable_sort")
                after.append(cursor.fetchone()[0])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explaining):
        mails = claim_batch(200)
    assert len(mails) == 200 and [mail.pk for mail in mails] == sorted(mail.pk for mail in mails)
    (plan,) = plans
    assert "mail_unsent_idx" in plan
    assert "Sort" not in plan and "Bitmap" not in plan, plan
    assert after == ["on"]  # set back for the rest of the claim's transaction


def test_each_pump_vacuums_the_mail_table_after_so_many_mails(
    by_workers, smtp_server, settings, monkeypatch
):
    settings.MAIL_BATCH, settings.MAIL_VACUUM_AFTER = 10, 20
    vacuums: list[int] = []
    monkeypatch.setattr(pump_module, "vacuum_mail_table", lambda: vacuums.append(1) or True)
    queue(50)
    pump = Pump()
    tried = [pump.run_once() for _ in range(6)]
    pump.close()
    assert tried == [10, 10, 10, 10, 10, 0] and len(vacuums) == 2  # at 20 and at 40
    settings.MAIL_VACUUM_AFTER = 0
    queue(30)
    assert Pump().run_once() == 10 and len(vacuums) == 2  # 0: left to autovacuum


@pytest.mark.skipif(connection.vendor != "postgresql", reason="VACUUM is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_the_vacuum_takes_the_sent_mails_dead_rows_away(by_workers):
    def dead_rows() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_force_next_flush()")
            cursor.execute(
                "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'mail_outgoingmail'"
            )
            return cursor.fetchone()[0]

    queue(300)
    OutgoingMail.objects.update(status=MailStatus.SENT, text_body="")  # 300 dead versions
    assert dead_rows() >= 300
    assert pump_module.vacuum_mail_table() is True
    assert dead_rows() == 0
    with transaction.atomic():  # not inside a transaction: VACUUM cannot run there
        assert pump_module.vacuum_mail_table() is False
