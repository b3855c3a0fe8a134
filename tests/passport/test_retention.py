"""The privacy notice's retention periods, enforced by ``purge_personal_data``, and the
notice itself: the data protection officer's address and a period for each kind of data."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from insigne.badges.models import Credential
from insigne.mail.models import MailStatus, OutgoingMail
from insigne.missions.models import Mission
from insigne.passport.models import KeptBadge
from insigne.passport.retention import purge
from tests.passport.helpers import issued_badge, volunteer
from tests.personas import make_mission

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2029, 3, 1, 12, 0, tzinfo=dt.UTC)


def mail_at(when: dt.datetime, status: str) -> OutgoingMail:
    with time_machine.travel(when, tick=False):
        return OutgoingMail.objects.create(
            kind="badge", to="x@exemple.test", subject="s", text_body="", status=status
        )


def test_mail_traces_go_after_a_year_unless_still_being_sent(settings):
    old_sent = mail_at(NOW - dt.timedelta(days=366), MailStatus.SENT)
    old_failed = mail_at(NOW - dt.timedelta(days=400), MailStatus.FAILED)
    old_waiting = mail_at(NOW - dt.timedelta(days=400), MailStatus.FAILED_TEMPORARY)
    recent = mail_at(NOW - dt.timedelta(days=364), MailStatus.SENT)
    assert purge(NOW).mails == 2
    left = set(OutgoingMail.objects.values_list("pk", flat=True))
    assert left == {old_waiting.pk, recent.pk}
    assert old_sent.pk not in left and old_failed.pk not in left


def test_missions_without_invitation_go_two_years_after_their_end(badge_class):
    short_old = make_mission("M-RET-1", actual_end_date=dt.date(2026, 2, 1))  # ended 2026-02
    short_recent = make_mission(
        "M-RET-2",
        start_date=dt.date(2027, 6, 1),
        planned_end_date=dt.date(2027, 12, 1),
        actual_end_date=None,
    )  # no actual end yet: its planned end counts
    with_badge = issued_badge("M-RET-3", "badge@exemple.test", actual_end_date=dt.date(2026, 6, 30))
    assert purge(NOW).missions == 1
    assert not Mission.objects.filter(pk=short_old.pk).exists()
    assert Mission.objects.filter(pk=short_recent.pk).exists()
    assert Credential.objects.filter(pk=with_badge.pk).exists()  # badges are never purged
    assert Mission.objects.filter(external_id="M-RET-3").exists()


def test_accounts_never_proven_go_after_a_week_and_others_stay(badge_class):
    with time_machine.travel(NOW - dt.timedelta(days=8), tick=False):
        unproven = volunteer("jamais@exemple.test", verified=False)
        proven = volunteer("prouve@exemple.test")
        staff = User.objects.create_user("agent", is_staff=True)
    with time_machine.travel(NOW - dt.timedelta(days=6), tick=False):
        fresh = volunteer("nouveau@exemple.test", verified=False)
    badge = issued_badge("M-RET-ACC", "prouve@exemple.test")
    KeptBadge.objects.create(owner=proven, source="issued", credential=badge)
    assert purge(NOW).accounts == 1
    assert not User.objects.filter(pk=unproven.pk).exists()
    assert not EmailAddress.objects.filter(email="jamais@exemple.test").exists()
    assert set(User.objects.values_list("pk", flat=True)) == {proven.pk, staff.pk, fresh.pk}
    assert KeptBadge.objects.filter(owner=proven).count() == 1


def test_the_command_runs_the_purge(capsys):
    mail_at(NOW - dt.timedelta(days=366), MailStatus.SENT)
    with time_machine.travel(NOW, tick=False):
        call_command("purge_personal_data")
    assert "Effacés : traces de courriels 1, missions 0, comptes 0." in capsys.readouterr().out
    assert not OutgoingMail.objects.exists()


def test_the_notice_names_the_dpo_and_a_period_for_each_kind_of_data(client, settings):
    settings.INSIGNE_DPO_EMAIL = "dpd@agence.example"
    page = unescape(client.get(reverse("privacy")).content.decode())
    assert 'href="mailto:dpd@agence.example"' in page
    assert "délégué à la protection des données" in page
    for period in [
        "Votre badge</strong> n'expire pas",
        "effacée 2 ans après la fin de la mission",
        "est effacée au bout de 365 jours",
        "est effacé au bout de 7 jours",
        "sont gardés 365 jours au plus",
        "Un code de connexion est valable 15 minutes",
    ]:
        assert period in page, period
    settings.INSIGNE_UNINVITED_MISSION_DAYS = 400
    page = unescape(client.get(reverse("privacy")).content.decode())
    assert "effacée 400 jours après la fin de la mission" in page


def test_the_notice_is_english_for_an_english_reader(client):
    client.cookies["django_language"] = "en"
    page = unescape(client.get(reverse("privacy")).content.decode())
    assert "data protection officer" in page
    assert "Your badge</strong> does not expire" in page
    assert "2 years after the mission ended" in page
