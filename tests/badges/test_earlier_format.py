"""Badges signed in the earlier format stay valid: the published keys still answer for them.

Before the subject had an id, the VC-JWT had no ``sub``, its ``kid`` was the Multikey
method ``did:web:…#key-1`` and the evidence carried the host, domain and town in
``description``, ``genre`` and ``audience``; the status list was only JSON. Those
texts are stored for good. They are rebuilt here as they were signed then, stored,
and checked by our verifier and by openbadgeslib against what the site publishes now.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from openbadgeslib.ob3 import OB3Verifier

from insigne.badges.keys import issuer_keys
from insigne.claims.issuing import issue_credential
from insigne.claims.models import Invitation
from insigne.openbadges import proof
from insigne.openbadges.issuance import dumps
from insigne.openbadges.jose import jws, vcjwt
from insigne.openbadges.ob3 import format_datetime
from insigne.verifier.verify import verify
from tests.badges.test_openbadgeslib import Site

pytestmark = pytest.mark.django_db(transaction=True)
ISSUED_AT = dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)


def _earlier_texts(credential) -> tuple[str, str]:
    """The credential as the earlier builder signed it: same facts, earlier shape."""
    document = json.loads(credential.ob3_json)
    del document["proof"]
    del document["credentialSubject"]["id"]
    (evidence,) = document["evidence"]
    evidence["narrative"] = evidence["narrative"].replace("1er", "1")
    evidence |= {"description": "Association Exemple", "genre": "Solidarité", "audience": "Lyon"}
    keys = issuer_keys()
    method = keys.verification_method  # the Multikey method, then the JWT kid too
    signed = proof.sign(document, keys.active.private_key, method, format_datetime(ISSUED_AT))
    return dumps(signed), vcjwt.sign(document, keys.active.private_key, method)


@pytest.fixture
def earlier(badge_class, camille):
    credential = issue_credential(Invitation.objects.create(mission=camille), ISSUED_AT)
    credential.ob3_json, credential.ob3_jwt = _earlier_texts(credential)
    credential.save(update_fields=["ob3_json", "ob3_jwt"])
    return credential


def test_the_earlier_texts_have_the_earlier_shape(earlier) -> None:
    token = jws.read(earlier.ob3_jwt)
    assert token.header["kid"].endswith("#key-1")
    assert "sub" not in token.payload
    assert "genre" in json.loads(earlier.ob3_json)["evidence"][0]


def test_our_verifier_still_accepts_them(earlier) -> None:
    for text in (earlier.ob3_json, earlier.ob3_jwt, earlier.ob2_json):
        result = verify(text)
        assert result.status == "valid", result.checks


def test_openbadgeslib_still_accepts_the_earlier_vc_jwt(earlier) -> None:
    site = Site()
    verifier = OB3Verifier.for_issuer_did("did:web:badges.example.test", download=site)

    badge = verifier.verify(earlier.ob3_jwt, check_status=True, download=site)

    assert badge.id.endswith(earlier.public_id)
    assert badge.recipient_id is None  # identified by the hashed email alone, as then
