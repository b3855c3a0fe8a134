"""One entry point to verify any Open Badge: :func:`verify`.

It accepts what people actually hold: an OB 3.0 credential (signed JSON with an
``eddsa-rdfc-2022`` proof, or a VC-JWT), an OB 2.0 hosted assertion (JSON, or
just its URL), a signed OB 2.0 assertion (JWS), or a PNG/SVG image with any of
these baked in, from us or from another issuer. The answer is a :class:`Verdict`:
an overall status and every check with a stable code and a French explanation.

Verification only reads: the database (for our own badges) and the network (for
other issuers' keys, status lists and hosted documents, see ``fetch``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from insigne.badges.models import Credential, Visibility
from insigne.openbadges.checks import Check
from insigne.openbadges.jose import jws, vcjwt
from insigne.verifier.fetch import FetchError, fetch_json, http_hosts
from insigne.verifier.inputs import InputError, Payload, json_object, read_input, with_scheme
from insigne.verifier.ob2 import is_ob2, verify_ob2_json, verify_ob2_jws
from insigne.verifier.ob3 import (
    is_ob3,
    verify_ob3_json,
    verify_ob3_jwt,
    verify_ob3_vc_claim,
)
from insigne.verifier.ob3 import summary as ob3_summary
from insigne.verifier.result import Summary, Verdict, unreadable, verdict

__all__ = ["Check", "Summary", "Verdict", "verify"]

Outcome = tuple[list[Check], Summary]
_EXTENSIONS = {".png": "png", ".svg": "svg"}


def _from_json(document: Mapping[str, Any], expected_email: str | None) -> Outcome:
    if is_ob2(document):
        return verify_ob2_json(document, expected_email)
    if is_ob3(document):
        return verify_ob3_json(document, expected_email)
    raise InputError("unknown_version")


def _refused_token(text: str, error: jws.JoseError) -> Outcome:
    """A token refused for its algorithm (``none``, HMAC…): not authentic, and what it
    claims is still shown, marked as unverified."""
    payload: Mapping[str, Any] = jws.unverified_payload(text) or {}
    inner = payload.get("vc")
    claimed: Mapping[str, Any] = inner if isinstance(inner, Mapping) else payload
    if is_ob3(claimed):
        return [Check.from_error(error)], ob3_summary(vcjwt.credential_of(claimed))
    return [Check.from_error(error)], Summary(version="ob2" if is_ob2(claimed) else "")


def _from_jwt(text: str, expected_email: str | None) -> Outcome:
    try:
        token = jws.read(text)
    except jws.JoseError as error:
        if error.code == "jwt_algorithm":
            return _refused_token(text, error)
        raise InputError("jwt_invalid") from error
    payload = token.payload
    if is_ob2(payload):
        return verify_ob2_jws(token, expected_email)
    if is_ob3(payload):
        return verify_ob3_jwt(token, expected_email)
    if isinstance(payload.get("vc"), Mapping) and is_ob3(payload["vc"]):
        return verify_ob3_vc_claim(token, expected_email)
    raise InputError("unknown_version")


# Our own addresses that name a badge: read from the database, never over HTTP.
_OUR_BADGE_PATHS = (
    re.compile(r"^/badges/(?P<id>[A-Za-z0-9_-]+)(?:/.*)?$"),
    re.compile(r"^/verifier/badge/(?P<id>[A-Za-z0-9_-]+)$"),
)
_OUR_ASSERTION_PATH = re.compile(r"^/ob2/assertions/(?P<id>[A-Za-z0-9_-]+)$")


def _ours(public_id: str, *, hidden_too: bool = False) -> Credential:
    """Our badge ``public_id``; a hidden page is not found (as its page answers 404), except
    for the OB 2.0 assertion, which stays served whatever the holder chose."""
    credential = Credential.objects.filter(public_id=public_id).first()
    if credential is None or (not hidden_too and credential.visibility == Visibility.HIDDEN):
        raise InputError("badge_id_unknown", id=public_id)
    return credential


def _our_address(url: str, expected_email: str | None) -> Outcome | None:
    """The badge behind one of our own addresses (badge page, verification page, OB 2.0
    assertion), else ``None``: the address is not ours."""
    site = urlsplit(settings.SITE_URL)
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc.lower()) != (site.scheme, site.netloc.lower()):
        return None
    path = parts.path.rstrip("/")
    for pattern in _OUR_BADGE_PATHS:
        found = pattern.match(path)
        if found:
            return _from_json(json_object(_ours(found["id"]).ob3_json), expected_email)
    found = _OUR_ASSERTION_PATH.match(path)
    if found:
        return _from_json(json_object(_ours(found["id"], hidden_too=True).ob2_json), expected_email)
    return None


def _from_url(url: str, expected_email: str | None) -> Outcome:
    """A badge given by its address (an OB 2.0 image often bakes only the assertion URL)."""
    url = with_scheme(url, settings.SITE_URL, http_hosts())
    ours = _our_address(url, expected_email)
    if ours is not None:
        return ours
    try:
        document = fetch_json(url)
    except FetchError as error:
        # The check stays "url_unreachable"; its sentence says why (timeout, refused…).
        raise InputError("url_unreachable", reason=error.code, url=url) from error
    if not isinstance(document, Mapping):
        raise InputError("json_invalid", reason="json_not_object")
    return _from_json(document, expected_email)


def _outcome(payload: Payload, expected_email: str | None) -> Outcome:
    if payload.kind == "jwt":
        return _from_jwt(payload.text, expected_email)
    if payload.kind == "url":
        return _from_url(payload.text, expected_email)
    if payload.kind == "id":
        return _from_json(json_object(_ours(payload.text).ob3_json), expected_email)
    return _from_json(json_object(payload.text), expected_email)


def _misnamed(data: bytes | str, filename: str, error: InputError) -> InputError:
    """A clearer message when a file's name promises an image its bytes are not."""
    kind = _EXTENSIONS.get(filename.lower()[-4:])
    undecodable = error.code == "qr_unreadable" and error.reason == "qr_unreadable"
    if kind and (error.code == "unknown_format" or undecodable):
        return InputError(f"{kind}_invalid", reason="misnamed_image", extension=kind)
    return error


def verify(data: bytes | str, *, filename: str = "", expected_email: str | None = None) -> Verdict:
    """Verify the badge in ``data`` (file bytes or pasted text); never raises on bad input."""
    email = (expected_email or "").strip() or None
    try:
        payload = read_input(data)
    except InputError as error:
        error = _misnamed(data, filename, error)
        return unreadable(error)
    try:
        checks, summary = _outcome(payload, email)
    except InputError as error:
        return unreadable(error, payload.container)
    return verdict(checks, summary, payload.container, email)
