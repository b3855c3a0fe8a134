"""“Ajouter à mon portefeuille”: hand one issued credential to the Learner Credential
Wallet (LCW, the Digital Credentials Consortium's open-source wallet) with no
third-party service in between. Why this flow, and what was left out:
``docs/wallet.md``.

**The path.** The holder (known by their personal link, or by the Passport through a
proven address the credential names) asks for an offer; the page shows LCW's own
deep link ``dccrequest://request?issuer=…&vc_request_url=EXCHANGE&auth_type=bearer
&challenge=…`` as a button (it opens the app on the phone) and as a QR code (the
app's scanner reads that same form). The wallet POSTs its presentation to
``EXCHANGE`` and gets back the signed OB 3.0 credential, whose own proof it checks.

**Who gets it.** ``EXCHANGE`` carries a 192-bit token; only its SHA-256 is stored.
It is taken at most once (one conditional UPDATE, so two concurrent POSTs cannot both
win) and only within ``WALLET_OFFER_SECONDS`` of the offer. The wallet's presentation
is not checked: the credential names its holder by a salted email hash, not a wallet
DID, so a signature by the wallet's key would prove nothing more than the token does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from insigne.badges.models import Credential
from insigne.passport.models import WalletOffer

WALLET_OFFER_SECONDS = 10 * 60


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


@dataclass(frozen=True)
class Offer:
    exchange_url: str
    deep_link: str
    expires_at: dt.datetime


def deep_link(credential: Credential, exchange_url: str, token: str) -> str:
    """LCW's deep link (its ``request`` path with bearer parameters; the challenge it
    signs is the token, which the exchange address already carries)."""
    issuer = json.loads(credential.ob3_json).get("issuer") or {}
    params = {
        "issuer": str(issuer.get("id") if isinstance(issuer, dict) else issuer),
        "vc_request_url": exchange_url,
        "auth_type": "bearer",
        "challenge": token,
    }
    return "dccrequest://request?" + urlencode(params, quote_via=quote)


def make_offer(credential: Credential) -> Offer:
    token = secrets.token_urlsafe(24)  # 192 bits
    expires = timezone.now() + dt.timedelta(seconds=WALLET_OFFER_SECONDS)
    WalletOffer.objects.create(
        credential=credential, token_sha256=_digest(token), expires_at=expires
    )
    url = settings.SITE_URL + reverse("wallet_exchange", args=[token])
    return Offer(exchange_url=url, deep_link=deep_link(credential, url, token), expires_at=expires)


def take(token: str) -> Credential | None:
    """The offered credential, once: None for an unknown, used or expired token."""
    now = timezone.now()
    live = WalletOffer.objects.filter(
        token_sha256=_digest(token), used_at__isnull=True, expires_at__gt=now
    )
    pk = live.values_list("pk", flat=True).first()
    if pk is None:
        return None
    won = WalletOffer.objects.filter(pk=pk, used_at__isnull=True, expires_at__gt=now)
    if not won.update(used_at=now):  # another request took it first
        return None
    offer = WalletOffer.objects.select_related("credential").get(pk=pk)
    return offer.credential


def answer(credential: Credential) -> dict[str, Any]:
    """What the wallet receives: the signed credential as issued (the same JSON)."""
    document: dict[str, Any] = json.loads(credential.ob3_json)
    return document


def purge_offers(now: dt.datetime) -> int:
    """Offers are worth nothing once expired: deleted a day later."""
    deleted, _ = WalletOffer.objects.filter(expires_at__lt=now - dt.timedelta(days=1)).delete()
    return deleted
