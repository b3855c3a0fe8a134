import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail as django_mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks_db.models import DBTaskResult

from insigne.mail.models import MailStatus
from insigne.mail.services import queue_mail, requeue_overdue_mail
from insigne.worker.management.commands.run_tasks import (
    DailyRun,
    mails_with_live_tasks,
    reclaim_abandoned_tasks,
)

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_burst_runs_a_queued_task_then_exits(database_tasks):
    queued = queue_mail(kind="badge", to="sacha.exemple@exemple.test", subject="Badge", text="…")
    assert django_mail.outbox == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    call_command("run_tasks", "--burst")

    queued.refresh_from_db()
    assert queued.status == MailStatus.SENT
    assert len(django_mail.outbox) == 1
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_the_daily_run_follows_the_paris_date_not_utc(time_machine):
    runs = []
    daily = DailyRun(lambda: runs.append(1))

    time_machine.move_to(dt.datetime(2026, 7, 1, 23, 30, tzinfo=PARIS), tick=False)
    assert daily.run_if_due()
    time_machine.move_to(dt.datetime(2026, 7, 1, 23, 59, tzinfo=PARIS), tick=False)
    assert not daily.run_if_due()
    # 00:01 in Paris is still 1 July in UTC: a new day all the same
    time_machine.move_to(dt.datetime(2026, 7, 2, 0, 1, tzinfo=PARIS), tick=False)
    assert daily.run_if_due()
    assert len(runs) == 2


def test_a_failed_daily_run_is_tried_again_ten_minutes_later(time_machine):
    now = [0.0]
    attempts = []

    def job():
        attempts.append(now[0])
        if len(attempts) == 1:
            raise RuntimeError("database unavailable")

    daily = DailyRun(job, clock=lambda: now[0])
    time_machine.move_to(dt.datetime(2026, 7, 1, 9, 0, tzinfo=PARIS), tick=False)
    assert not daily.run_if_due()
    now[0] = 599.0
    assert not daily.run_if_due()
    now[0] = 600.0
    assert daily.run_if_due()
    assert attempts == [0.0, 600.0]


@pytest.mark.django_db(transaction=True)
def test_daily_invitations_invite_a_mission_that_ended_yesterday(database_tasks, time_machine):
    from insigne.claims.models import Invitation
    from insigne.missions.models import Mission

    time_machine.move_to(dt.datetime(2026, 7, 2, 8, 0, tzinfo=PARIS), tick=False)
    mission = Mission.objects.create(
        external_id="DEMO-1",
        given_name="Camille",
        family_name="Démo",
        email="camille.demo@exemple.test",
        start_date=dt.date(2026, 1, 1),
        planned_end_date=dt.date(2026, 7, 1),
        actual_end_date=dt.date(2026, 7, 1),
        host_name="Association Exemple",
        domain="solidarite",
        eligible=True,
    )

    call_command("run_tasks", "--burst", "--daily-invitations")

    assert Invitation.objects.filter(mission=mission).exists()
    [message] = django_mail.outbox
    assert message.to == ["camille.demo@exemple.test"]


def test_a_lease_shorter_than_a_send_is_a_configuration_error(settings):
    settings.MAIL_LEASE = 60  # a send may last 5 × 20 s + 600 s
    with pytest.raises(CommandError, match="MAIL_LEASE"):
        call_command("run_tasks", "--burst")


@pytest.mark.django_db(transaction=True)
def test_task_rows_a_dead_worker_left_running_are_run_again(database_tasks, time_machine):
    time_machine.move_to(dt.datetime(2026, 7, 1, 9, 0, tzinfo=PARIS), tick=False)
    queued = queue_mail(kind="badge", to="sacha.exemple@exemple.test", subject="Badge", text="…")
    # A worker took the task and the mail, then was killed (kill -9): both stay as they were.
    DBTaskResult.objects.update(status="RUNNING", started_at=dt.datetime.now(dt.UTC))
    type(queued).objects.filter(pk=queued.pk).update(
        status=MailStatus.SENDING, attempts=1, lease_expires_at=dt.datetime.now(dt.UTC)
    )
    assert reclaim_abandoned_tasks() == 0  # it may still be running

    time_machine.shift(dt.timedelta(minutes=16))
    assert reclaim_abandoned_tasks() == 1
    call_command("run_tasks", "--burst")

    queued.refresh_from_db()
    assert (queued.status, queued.attempts, queued.text_body) == (MailStatus.SENT, 2, "")
    assert len(django_mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_the_sweep_never_queues_again_a_mail_whose_task_still_waits(database_tasks, time_machine):
    """A backlog longer than the sweep's patience: its tasks exist, nothing is added."""
    t0 = dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)
    time_machine.move_to(t0, tick=False)
    mails = [
        queue_mail(kind="invitation", to=f"v{n}@exemple.test", subject="Invitation", text="…")
        for n in range(4)
    ]
    waiting, running, lost, done = (mail.pk for mail in mails)
    tasks = {row.args_kwargs["args"][0]: row for row in DBTaskResult.objects.all()}
    DBTaskResult.objects.filter(pk=tasks[running].pk).update(status="RUNNING")
    DBTaskResult.objects.filter(pk=tasks[lost].pk).delete()  # the queue lost it
    DBTaskResult.objects.filter(pk=tasks[done].pk).update(status="FAILED")  # ended, mail unsent
    time_machine.move_to(t0 + dt.timedelta(minutes=11), tick=False)

    assert mails_with_live_tasks([waiting, running, lost, done]) == {waiting, running}
    assert requeue_overdue_mail(mails_with_live_tasks) == 2
    args = sorted(row.args_kwargs["args"][0] for row in DBTaskResult.objects.filter(status="READY"))
    assert args == sorted([waiting, lost, done])  # one task each: no twin for the waiting one
    assert requeue_overdue_mail(mails_with_live_tasks) == 0  # and a second sweep adds nothing

    call_command("run_tasks", "--burst")
    assert sorted(m.to[0] for m in django_mail.outbox) == [
        "v0@exemple.test",
        "v2@exemple.test",
        "v3@exemple.test",
    ]
