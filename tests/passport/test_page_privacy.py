"""Without support and without the personal link, a volunteer changes who sees their
badge page (public, link only, hidden) from the Passport, once their address is proven;
the badge mail says so; a password is never needed; the header leads to the Passport."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from insigne.badges.models import Credential, Visibility
from insigne.claims.mails import badge_mail
from insigne.passport.models import KeptBadge
from insigne.passport.sync import synchronise
from tests.passport.helpers import issued_badge, volunteer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def held(client, badge_class):
    """A volunteer signed in, whose proven address brought the Agency's badge."""
    credential = issued_badge("M-PRIV-1", "camille@exemple.test")
    user = volunteer("camille@exemple.test")
    synchronise(user)
    client.force_login(user)
    kept = KeptBadge.objects.get(owner=user, credential=credential)
    return credential, kept


def page_choice(client, kept, value):
    return client.post(f"/passeport/badges/{kept.pk}/", {"page-visibility": value})


def test_the_passport_hides_the_badge_page_and_its_owner_still_sees_it(client, held):
    credential, kept = held
    page = client.get(f"/passeport/badges/{kept.pk}/").content.decode()
    assert "La page du badge sur ce site" in page
    assert 'name="page-visibility" value="link" checked' in page  # the default at validation

    response = page_choice(client, kept, "hidden")
    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.visibility == Visibility.HIDDEN
    kept.refresh_from_db()
    assert kept.visibility == "private"  # the Passport's own copy is another choice

    assert client.get(f"/badges/{credential.public_id}").status_code == 200  # the holder
    client.logout()
    assert client.get(f"/badges/{credential.public_id}").status_code == 404  # anyone else


def test_public_and_link_only_from_the_passport(client, held):
    credential, kept = held
    page_choice(client, kept, "public")
    credential.refresh_from_db()
    assert credential.visibility == Visibility.PUBLIC
    page_choice(client, kept, "link")
    credential.refresh_from_db()
    assert credential.visibility == Visibility.LINK
    response = client.get(f"/badges/{credential.public_id}")
    assert "noindex" in response.content.decode()


def test_a_bad_choice_is_a_french_400_and_changes_nothing(client, held):
    credential, kept = held
    response = page_choice(client, kept, "partout")
    assert response.status_code == 400
    assert "Choisissez l&#x27;une des trois possibilités proposées." in response.content.decode()
    credential.refresh_from_db()
    assert credential.visibility == Visibility.LINK


def test_an_address_no_longer_proven_gives_no_say_over_the_page(client, held):
    credential, kept = held
    EmailAddress.objects.filter(email="camille@exemple.test").update(verified=False)
    page = client.get(f"/passeport/badges/{kept.pk}/").content.decode()
    assert "page-visibility" not in page
    response = page_choice(client, kept, "hidden")
    assert response.status_code == 400  # read as the Passport copy's form, which lacks its field
    credential.refresh_from_db()
    assert credential.visibility == Visibility.LINK


def test_another_account_cannot_touch_the_page(client, held):
    credential, kept = held
    client.force_login(volunteer("autre@exemple.test"))
    assert page_choice(client, kept, "hidden").status_code == 404
    assert Credential.objects.get(pk=credential.pk).visibility == Visibility.LINK


def test_the_badge_mail_points_to_the_passport_with_no_secret(badge_class, settings):
    credential = issued_badge("M-PRIV-MAIL", "noa@exemple.test")
    message = badge_mail(credential)
    passport = f"{settings.SITE_URL}/passeport/"
    assert "changer d'avis à tout moment" in message.text
    assert passport in message.text.split()
    assert f'href="{passport}"' in message.html
    links = re.findall(r"https?://\S+", message.text)
    assert all("/obtenir/" not in link for link in links)  # no personal link, no token


def test_sign_up_needs_no_password_and_sign_in_is_by_code(client, badge_class):
    issued_badge("M-PRIV-NOPW", "sacha@exemple.test")
    response = client.post("/compte/signup/", {"email": "sacha@exemple.test"})
    assert response.status_code == 302
    [message] = mail.outbox[-1:]
    confirm = next(word for word in message.body.split() if "/compte/confirm-email/" in word)
    assert client.post(confirm)["Location"] == "/passeport/"
    account = EmailAddress.objects.get(email="sacha@exemple.test").user
    assert not account.has_usable_password()
    assert KeptBadge.objects.filter(owner=account).count() == 1

    client.logout()
    client.post("/compte/login/code/", {"email": "sacha@exemple.test"})
    code = re.search(r"^\s*([A-Z0-9-]{6,9})\s*$", mail.outbox[-1].body, re.M).group(1)
    assert client.post("/compte/login/code/confirm/", {"code": code}).status_code == 302
    assert client.get("/passeport/").status_code == 200


def test_a_short_or_unconfirmed_password_is_refused_in_french(client):
    page = client.get("/compte/signup/").content.decode()
    assert "Mot de passe (facultatif)" in page
    short = client.post(
        "/compte/signup/", {"email": "a@exemple.test", "password1": "court", "password2": "court"}
    )
    assert short.status_code == 200
    assert "Il doit contenir au minimum 12 caractères." in short.content.decode()
    alone = client.post(
        "/compte/signup/", {"email": "b@exemple.test", "password1": "un-mot-de-passe-long"}
    )
    assert "Saisissez le même mot de passe une seconde fois." in alone.content.decode()
    assert not EmailAddress.objects.filter(email__in=["a@exemple.test", "b@exemple.test"]).exists()


def test_the_header_leads_to_sign_in_then_to_the_passport(client):
    header = client.get("/").content.decode().split("</header>")[0]
    assert 'href="/compte/login/">Se connecter</a>' in header
    client.force_login(volunteer("lea@exemple.test"))
    header = client.get("/").content.decode().split("</header>")[0]
    assert 'href="/passeport/">Mon Passeport</a>' in header
    header = client.get("/passeport/").content.decode().split("</header>")[0]
    assert 'href="/passeport/" aria-current="page">Mon Passeport</a>' in header
