"""Accounts (allauth) as the Passport configures them: French, mail through the
platform's outgoing mail, no address enumeration, the badge brought in on proof."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail

from insigne.mail.models import MailStatus, OutgoingMail
from insigne.passport.models import KeptBadge
from tests.passport.helpers import PASSWORD, issued_badge, volunteer

pytestmark = pytest.mark.django_db(transaction=True)


def sign_up(client, email):
    return client.post(
        "/compte/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )


def link(message, marker):
    return next(word for word in message.body.split() if marker in word)


def test_sign_up_proves_the_address_then_the_badge_is_there(client, badge_class):
    badge = issued_badge("M-ACC-1", "camille@exemple.test")
    mail.outbox.clear()
    response = sign_up(client, "camille@exemple.test")
    assert response.status_code == 302
    assert response["Location"] == "/compte/confirm-email/"
    # Not signed in before the proof: the Passport asks to sign in.
    assert client.get("/passeport/")["Location"].startswith("/compte/login/")

    [message] = mail.outbox
    assert message.to == ["camille@exemple.test"]
    assert message.subject == "Confirmez votre adresse e-mail"
    confirm = link(message, "/compte/confirm-email/")
    page = client.get(confirm)
    assert page.status_code == 200
    assert "Confirmer" in page.content.decode()
    done = client.post(confirm)
    assert done.status_code == 302
    assert done["Location"] == "/passeport/"
    kept = KeptBadge.objects.get(owner__emailaddress__email="camille@exemple.test")
    assert kept.credential == badge
    passport = client.get("/passeport/").content.decode()
    assert "Volontaire du Service Civique" in passport
    assert "1 badge ajouté, 0 déjà présent." in passport


def test_account_mails_go_through_the_outgoing_mail_and_lose_their_body(client):
    sign_up(client, "noa@exemple.test")
    row = OutgoingMail.objects.get(kind="account")
    assert row.to == "noa@exemple.test"
    assert row.status == MailStatus.SENT
    assert row.text_body == ""  # the link left with the mail, not kept


def test_sign_up_answers_the_same_for_a_known_address(client):
    volunteer("deja@exemple.test")
    known = sign_up(client, "deja@exemple.test")
    client.cookies.clear()
    unknown = sign_up(client, "nouveau@exemple.test")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert User.objects.filter(emailaddress__email="deja@exemple.test").count() == 1
    # The owner of the known address is told by mail, not the visitor on the page.
    assert {tuple(m.to) for m in mail.outbox} == {("deja@exemple.test",), ("nouveau@exemple.test",)}


@pytest.mark.parametrize(
    ("path", "field"), [("/compte/password/reset/", "email"), ("/compte/login/code/", "email")]
)
def test_reset_and_code_answer_the_same_for_a_known_and_an_unknown_address(client, path, field):
    volunteer("connu@exemple.test")
    known = client.post(path, {field: "connu@exemple.test"})
    client.cookies.clear()
    unknown = client.post(path, {field: "inconnu@exemple.test"})
    assert known.status_code == unknown.status_code
    assert known.get("Location") == unknown.get("Location")


def test_sign_in_by_code_needs_no_password(client, badge_class):
    issued_badge("M-ACC-CODE", "code@exemple.test")
    volunteer("code@exemple.test")
    client.post("/compte/login/code/", {"email": "code@exemple.test"})
    code = re.search(r"^\s*([A-Z0-9-]{6,9})\s*$", mail.outbox[-1].body, re.M).group(1)
    response = client.post("/compte/login/code/confirm/", {"code": code})
    assert response.status_code == 302
    assert client.get("/passeport/").status_code == 200
    assert KeptBadge.objects.filter(owner__emailaddress__email="code@exemple.test").count() == 1


def test_pages_speak_french_first(client):
    login = client.get("/compte/login/").content.decode()
    assert '<html lang="fr"' in login
    assert "Connexion" in login
    assert "Mot de passe" in login
    signup = client.get("/compte/signup/").content.decode()
    assert "Inscription" in signup
    client.cookies["django_language"] = "en"
    assert "Sign In" in client.get("/compte/login/").content.decode()


def test_a_wrong_password_is_a_clear_french_error_not_a_500(client):
    volunteer("faux@exemple.test")
    response = client.post("/compte/login/", {"login": "faux@exemple.test", "password": "non"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "L’adresse e-mail ou le mot de passe sont incorrects." in body
    assert "<title>Erreur :" in body


def test_the_admin_keeps_its_own_login(client):
    User.objects.create_user("support", password=PASSWORD, is_staff=True, is_superuser=True)
    page = client.get("/admin/login/")
    assert page.status_code == 200
    assert 'name="username"' in page.content.decode()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "support", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_a_volunteer_cannot_enter_the_admin(client):
    volunteer("volontaire@exemple.test")
    client.post("/compte/login/", {"login": "volontaire@exemple.test", "password": PASSWORD})
    assert client.get("/passeport/").status_code == 200
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
