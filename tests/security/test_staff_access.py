"""Staff access: lockout after N failures, idle and absolute session limits, TOTP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.personas import make_staff
from tests.security.helpers import PROXY_HEADER, Visitor, csrf_token

LOGIN = "/admin/login/?next=/admin/"
START = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def agent(db):
    return make_staff("agent", password="bon-mot-de-passe")


def log_in(visitor: Visitor, password: str, **extra: str):
    token = csrf_token(visitor.get(LOGIN).body)
    data = {"csrfmiddlewaretoken": token, "username": "agent", "password": password, **extra}
    return visitor.post(LOGIN, data)


@pytest.mark.django_db(transaction=True)
def test_login_is_locked_after_n_failures_through_the_real_login_form(live_server, agent, settings):
    settings.SECURE_PROXY_SSL_HEADER = PROXY_HEADER
    visitor = Visitor(live_server.url)
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for _ in range(limit - 1):
        answer = log_in(visitor, "mauvais")
        assert answer.status == 200  # the form again, with its error
        assert "Veuillez compléter correctement les champs" in answer.body
    locked = log_in(visitor, "mauvais")  # the N-th failure locks
    assert locked.status == 429
    assert "Connexion bloquée" in locked.body and "15 minutes" in locked.body
    # Locked out: even the right password is refused until the cool-off ends.
    assert log_in(visitor, "bon-mot-de-passe").status == 429


@pytest.mark.django_db(transaction=True)
def test_fewer_failures_than_the_limit_still_let_the_right_password_in(
    live_server, agent, settings
):
    settings.SECURE_PROXY_SSL_HEADER = PROXY_HEADER
    visitor = Visitor(live_server.url)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(visitor, "mauvais")
    answer = log_in(visitor, "bon-mot-de-passe")
    assert answer.status == 302 and answer.header("Location") == "/admin/"


@pytest.mark.django_db
def test_the_lockout_ends_after_the_cool_off(client, agent, time_machine):
    time_machine.move_to(START, tick=False)
    data = {"username": "agent", "password": "mauvais"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("admin:login"), data)
    good = {"username": "agent", "password": "bon-mot-de-passe"}
    assert client.post(reverse("admin:login"), good).status_code == 429
    time_machine.move_to(START + dt.timedelta(minutes=16), tick=False)
    assert client.post(reverse("admin:login"), good).status_code == 302


@pytest.mark.django_db
def test_a_staff_session_ends_after_30_idle_minutes(client, agent, time_machine):
    time_machine.move_to(START, tick=False)
    client.force_login(agent)
    console = reverse("console_support")
    assert client.get(console).status_code == 200
    time_machine.move_to(START + dt.timedelta(minutes=29), tick=False)
    assert client.get(console).status_code == 200  # activity keeps it alive
    time_machine.move_to(START + dt.timedelta(minutes=29 + 31), tick=False)
    response = client.get(console)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_staff_session_ends_8_hours_after_login_even_when_active(client, agent, time_machine):
    time_machine.move_to(START, tick=False)
    client.force_login(agent)
    console = reverse("console_support")
    assert client.get(console).status_code == 200
    for quarter in range(1, 32):  # a request every 15 minutes, up to 7 h 45
        time_machine.move_to(START + dt.timedelta(minutes=15 * quarter), tick=False)
        assert client.get(console).status_code == 200
    time_machine.move_to(START + dt.timedelta(hours=8, minutes=1), tick=False)
    assert client.get(console).status_code == 302
    assert settings.STAFF_SESSION_SECONDS == 8 * 3600
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600


def enrol(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="téléphone", confirmed=True)


def code(device: TOTPDevice) -> str:
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(value).zfill(device.digits)


@pytest.mark.django_db
def test_an_admin_who_enrolled_a_device_must_give_the_code(client, agent):
    device = enrol(agent)
    password = {"username": "agent", "password": "bon-mot-de-passe"}
    refused = client.post(reverse("admin:login"), password)
    assert refused.status_code == 200
    assert "Saisissez le code à 6 chiffres" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    wrong = client.post(
        reverse("admin:login"),
        {**password, "otp_device": device.persistent_id, "otp_token": "000000"},
    )
    assert "_auth_user_id" not in client.session, wrong.content.decode()[:200]
    device.refresh_from_db()
    device.throttling_failure_count, device.throttling_failure_timestamp = 0, None
    device.save()
    right = {**password, "otp_device": device.persistent_id, "otp_token": code(device)}
    assert client.post(reverse("admin:login"), right).status_code == 302
    assert client.get(reverse("console_support")).status_code == 200


@pytest.mark.django_db
def test_without_a_device_the_password_is_enough(client, agent):
    password = {"username": "agent", "password": "bon-mot-de-passe"}
    assert client.post(reverse("admin:login"), password).status_code == 302
    assert client.get(reverse("console_support")).status_code == 200


@pytest.mark.django_db
def test_a_session_not_verified_by_the_enrolled_device_is_ended(client, agent):
    client.force_login(agent)  # e.g. a session opened before the device was enrolled
    enrol(agent)
    response = client.get(reverse("console_support"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_an_admin_enrols_a_device_with_the_qr_code_of_the_admin(client):
    admin = User.objects.create_superuser("chef", password="mot-de-passe-chef")
    client.force_login(admin)
    device = TOTPDevice.objects.create(user=admin, name="téléphone", confirmed=False)
    response = client.get(reverse("admin:otp_totp_totpdevice_qrcode", args=[device.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in response.content
