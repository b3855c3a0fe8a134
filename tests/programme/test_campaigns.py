"""Backfill campaigns: the hour's allowance exactly, pause, resume after a restart, never twice.

The worker is the real ``run_tasks`` command (``--burst``: it works until
nothing is left, then returns), on the database task queue; each call is a new
worker, with nothing carried over in memory. Time is moved by time-machine.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail as django_mail
from django.core.management import call_command

from insigne.claims import services as claims
from insigne.claims.models import Invitation
from insigne.mail.models import MailStatus, OutgoingMail
from insigne.missions.models import Domain, Mission
from insigne.programme import campaigns
from insigne.programme.models import Campaign, CampaignStatus

PARIS = ZoneInfo("Europe/Paris")
T0 = dt.datetime(2026, 7, 1, 9, 0, tzinfo=PARIS)


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The platform opened in 2026: older missions are the campaigns' backlog.
    settings.DAILY_INVITATIONS_ENDED_FROM = dt.date(2026, 1, 1)


def backlog(count: int, ended: dt.date = dt.date(2024, 6, 30), prefix: str = "OLD") -> None:
    Mission.objects.bulk_create(
        Mission(
            external_id=f"{prefix}-{i:05d}",
            given_name="Camille",
            family_name=f"Ancien{i}",
            email=f"{prefix.lower()}{i}@exemple.test",
            start_date=ended - dt.timedelta(days=200),
            planned_end_date=ended,
            actual_end_date=ended,
            host_name="Association Exemple",
            domain=Domain.SOLIDARITE,
            eligible=True,
        )
        for i in range(count)
    )


def new_campaign(per_hour: int, **fields) -> Campaign:
    values = {"ended_from": dt.date(2024, 1, 1), "ended_until": dt.date(2024, 12, 31)}
    values.update(fields)
    return Campaign.objects.create(name="Rattrapage 2024", per_hour=per_hour, **values)


def worker_pass() -> None:
    """A worker started afresh, run until the queue is empty."""
    call_command("run_tasks", "--burst")


def invitation_mails() -> int:
    return OutgoingMail.objects.filter(kind="invitation").count()


@pytest.mark.django_db(transaction=True)
def test_ten_thousand_at_a_thousand_an_hour(database_tasks, settings, time_machine):
    settings.MAIL_SENT_BY_WORKERS = True  # the workers' pump sends (here to the test outbox)
    backlog(10_000)
    time_machine.move_to(T0, tick=False)
    campaign = new_campaign(per_hour=1000)
    assert campaigns.remaining(campaign).count() == 10_000
    campaigns.start(campaign)
    assert campaign.planned == 10_000

    worker_pass()
    assert Invitation.objects.count() == invitation_mails() == 1000
    assert len(django_mail.outbox) == 1000
    assert not OutgoingMail.objects.exclude(status=MailStatus.SENT).exists()
    # the rest of the hour sends nothing more, however often a worker passes
    for minutes in (1, 30, 59):
        time_machine.move_to(T0 + dt.timedelta(minutes=minutes, seconds=59), tick=False)
        worker_pass()
    assert Invitation.objects.count() == len(django_mail.outbox) == 1000
    campaign.refresh_from_db()
    assert campaigns.next_window(campaign) == T0 + dt.timedelta(hours=1)

    # paused: nothing leaves, even hours later
    campaigns.pause(campaign)
    time_machine.move_to(T0 + dt.timedelta(hours=3), tick=False)
    worker_pass()
    assert Invitation.objects.count() == 1000

    # resumed, picked up by a new worker: one more allowance, from where it stood
    campaigns.resume(campaign)
    worker_pass()
    assert Invitation.objects.count() == invitation_mails() == len(django_mail.outbox) == 2000
    campaign.refresh_from_db()
    assert (campaign.invited, campaign.status, campaign.percent) == (2000, "running", 20)
    assert campaigns.remaining(campaign).count() == 8000

    # the daily run leaves the backlog to the campaign; nobody was invited twice
    assert claims.invite_due_missions(dt.date(2026, 7, 1)) == 0
    recipients = [message.to[0] for message in django_mail.outbox]
    assert len(recipients) == len(set(recipients)) == 2000


@pytest.mark.django_db(transaction=True)
def test_mails_reach_the_relay_once_each_at_the_campaign_pace(
    database_tasks, settings, smtp_server, time_machine
):
    settings.MAIL_SENT_BY_WORKERS = True  # the workers' pump, over SMTP
    backlog(25)
    time_machine.move_to(T0, tick=False)
    first = new_campaign(per_hour=10)
    # a second campaign over an overlapping period cannot invite the same missions again
    second = new_campaign(per_hour=10, ended_from=dt.date(2024, 6, 1))
    campaigns.start(first)
    campaigns.start(second)

    worker_pass()
    smtp_server.wait_for(20)
    assert len(smtp_server.messages) == 20
    time_machine.move_to(T0 + dt.timedelta(hours=1), tick=False)
    worker_pass()
    smtp_server.wait_for(25)
    time_machine.move_to(T0 + dt.timedelta(hours=2), tick=False)
    worker_pass()
    recipients = [message["To"] for message in smtp_server.messages]
    assert len(recipients) == len(set(recipients)) == 25
    assert {m["Subject"] for m in smtp_server.messages} == {
        OutgoingMail.objects.filter(kind="invitation").first().subject
    }
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.invited + second.invited == 25
    assert {first.status, second.status} == {CampaignStatus.FINISHED}
    assert first.percent == second.percent == 100


@pytest.mark.django_db(transaction=True)
def test_a_worker_dying_mid_tick_never_lets_the_hour_send_more(database_tasks, time_machine):
    backlog(50)
    time_machine.move_to(T0, tick=False)
    campaign = new_campaign(per_hour=20)
    campaigns.start(campaign)
    real = claims.invite_missions

    def dies_after_some(missions, limit=None):
        real(missions, limit=7)
        raise ConnectionError("worker killed")

    from insigne.programme import campaigns as module

    module.invite_missions = dies_after_some
    try:
        with pytest.raises(ConnectionError):
            campaigns.tick()
    finally:
        module.invite_missions = real
    assert Invitation.objects.count() == 7
    worker_pass()  # a new worker, same hour: the reservation stands
    assert Invitation.objects.count() == 7
    time_machine.move_to(T0 + dt.timedelta(hours=1), tick=False)
    worker_pass()
    assert Invitation.objects.count() == 27


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_tick_one_campaign_at_once(database_tasks, time_machine):
    backlog(30)
    time_machine.move_to(T0, tick=False)
    campaign = new_campaign(per_hour=10)
    campaigns.start(campaign)
    # a worker holds the campaign's lease (it is inviting): another one skips it
    Campaign.objects.filter(pk=campaign.pk).update(lease_until=T0 + dt.timedelta(minutes=5))
    assert campaigns.tick() == 0
    # a lease left by a dead worker runs out
    time_machine.move_to(T0 + dt.timedelta(minutes=5), tick=False)
    assert campaigns.tick() == 10


@pytest.mark.django_db
def test_actions_must_fit_the_state(time_machine):
    campaign = new_campaign(per_hour=5)
    with pytest.raises(campaigns.CampaignError) as refused:
        campaigns.pause(campaign)
    assert refused.value.code == "campaign_not_running"
    with pytest.raises(campaigns.CampaignError):
        campaigns.resume(campaign)
    campaigns.start(campaign)
    with pytest.raises(campaigns.CampaignError) as again:
        campaigns.start(campaign)
    assert again.value.code == "campaign_not_draft"


@pytest.mark.django_db
def test_the_period_counts_only_eligible_never_invited_ended_missions(time_machine):
    time_machine.move_to(T0, tick=False)
    backlog(3, ended=dt.date(2024, 3, 31), prefix="IN")
    backlog(2, ended=dt.date(2023, 12, 31), prefix="BEFORE")
    Mission.objects.filter(external_id="IN-00000").update(eligible=False)
    Mission.objects.filter(external_id="IN-00001").update(email_undeliverable=True)
    assert campaigns.missions_of(dt.date(2024, 1, 1), dt.date(2024, 12, 31)).count() == 1
