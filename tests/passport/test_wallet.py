"""“Ajouter à mon portefeuille”: the Learner Credential Wallet's deep link and the
VC-API exchange it POSTs to, serving the signed credential once, briefly, to its holder."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from insigne.badges.services import revoke_credential
from insigne.claims import services
from insigne.passport.models import WalletOffer
from insigne.passport.wallet import take
from insigne.verifier.verify import verify
from tests.claims.helpers import invite, open_link
from tests.passport.helpers import volunteer
from tests.personas import make_mission

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder(client, badge_class):
    """A volunteer who validated their badge through their personal link (this session)."""
    invitation, token = invite(make_mission("M-WALLET", email="lou@exemple.test"))
    credential = services.validate_claim(invitation)
    client.get(open_link(client, token), follow=True)  # the link remembers the holder
    return credential


def offer(client, credential) -> tuple[str, str]:
    """Ask for an offer; return the deep link and the exchange address in it."""
    response = client.post(reverse("wallet_offer", args=[credential.public_id]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    link = unescape(re.search(r'id="wallet-link" href="([^"]+)"', page).group(1))
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc) == ("dccrequest", "request")
    query = {name: values[0] for name, values in parse_qs(parts.query).items()}
    assert set(query) == {"issuer", "vc_request_url", "auth_type", "challenge"}
    assert query["auth_type"] == "bearer"
    assert query["issuer"] == json.loads(credential.ob3_json)["issuer"]["id"]
    assert query["vc_request_url"].endswith("/" + query["challenge"])
    return link, query["vc_request_url"]


def exchange(url: str, body: object = None):
    wallet = Client()  # the app: no cookie, no CSRF token
    return wallet.post(urlsplit(url).path, json.dumps(body or {}), content_type="application/json")


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


def test_the_wallet_gets_the_signed_credential_once(client, holder):
    _link, url = offer(client, holder)
    # The wallet posts a presentation it signed over the challenge; the token decides.
    answer = exchange(url, {"type": ["VerifiablePresentation"], "holder": "did:key:z6Mk"})
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/json"
    assert answer.json() == json.loads(holder.ob3_json)  # the signed credential, as issued
    assert "VerifiableCredential" in answer.json()["type"]
    assert verify(answer.content).status == "valid"

    again = exchange(url)
    assert again.status_code == 404
    assert "ne sert qu'une fois" in again.json()["error"]


def test_the_token_is_192_bits_stored_hashed_and_expires(client, holder):
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False):
        _link, url = offer(client, holder)
    token = url.rsplit("/", 1)[-1]
    assert len(token) == 32  # 24 random bytes, base64url
    stored = WalletOffer.objects.get()
    assert stored.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps(list(WalletOffer.objects.values()), default=str)
    with time_machine.travel(start + dt.timedelta(minutes=10, seconds=1), tick=False):
        assert exchange(url).status_code == 404
    assert WalletOffer.objects.get().used_at is None


def test_a_taken_offer_cannot_be_taken_twice(client, holder):
    _link, url = offer(client, holder)
    token = url.rsplit("/", 1)[-1]
    assert take(token) == holder
    assert take(token) is None
    assert take(token + "x") is None


def test_only_the_holder_gets_an_offer(client, holder, settings):
    stranger = Client()
    page = reverse("wallet_offer", args=[holder.public_id])
    assert stranger.get(page).status_code == 404
    assert stranger.post(page).status_code == 404
    assert not WalletOffer.objects.exists()

    stranger.force_login(volunteer("lou@exemple.test", verified=False))
    assert stranger.get(page).status_code == 404  # an unproven address is no proof
    owner = Client()
    owner.force_login(volunteer("LOU@exemple.test", "autre@exemple.test"))
    assert owner.get(page).status_code == 200  # the Passport, through a proven address
    assert owner.post(page).status_code == 200


def test_a_revoked_badge_is_not_offered(client, holder):
    revoke_credential(holder, "Erreur de saisie")
    response = client.post(reverse("wallet_offer", args=[holder.public_id]))
    assert response.status_code == 409
    assert "retiré ou remplacé" in unescape(response.content.decode())
    assert not WalletOffer.objects.exists()


def test_bad_requests_to_the_exchange_are_json_4xx(client, holder):
    path = reverse("wallet_exchange", args=["inconnu"])
    wallet = Client()
    refused = wallet.get(path)
    assert (refused.status_code, refused["Allow"]) == (405, "POST")
    assert "POST" in refused.json()["error"]
    unknown = wallet.post(path, "pas du json", content_type="application/json")
    assert unknown.status_code == 404
    assert unknown["Content-Type"] == "application/json"


def test_the_holder_finds_the_way_from_the_badge_page(client, holder):
    page = client.get(reverse("badge", args=[holder.public_id])).content.decode()
    assert f'href="/passeport/portefeuille/{holder.public_id}/"' in page
    assert "Disallow: /portefeuille/" in client.get("/robots.txt").content.decode()
