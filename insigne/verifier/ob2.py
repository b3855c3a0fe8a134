"""Open Badges 2.0: hosted assertions (the common case) and signed ones (a JWS).

Hosted verification trusts the issuer's web server: the assertion is fetched
again from its own ``id``, must be the same document, and its badge class and
issuer profile must be reachable, with the assertion hosted on the issuer's own
origin (or one the issuer profile allows). A signed assertion is checked with
the issuer's ``CryptographicKey``, which must name the issuer as its owner.
Our own assertions are compared with the database instead of over HTTP.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django.conf import settings

from insigne.badges.models import Credential
from insigne.openbadges import ob2
from insigne.openbadges.checks import Check
from insigne.openbadges.jose import jws
from insigne.openbadges.rdf.jsonld import OPENBADGES_V2
from insigne.platform.errors import CodedError
from insigne.verifier.checks import (
    Identity,
    date_checks,
    parse_datetime,
    recipient_check,
)
from insigne.verifier.fetch import FetchError, fetch, fetch_json, parse_json
from insigne.verifier.result import Summary
from insigne.verifier.status import (
    database_status,
    ob2_revocation_list,
    our_credential,
    our_public_id,
)

REQUIRED = ("id", "type", "recipient", "badge", "verification", "issuedOn")
HOSTED = ("hosted", "HostedBadge")
SIGNED = ("signed", "SignedBadge")


class Ob2Problem(CodedError):
    """A document of the assertion's chain (itself, its badge class, issuer, key) refused."""


def is_ob2(document: Mapping[str, Any]) -> bool:
    context = document.get("@context")
    contexts = context if isinstance(context, list) else [context]
    return OPENBADGES_V2 in contexts or document.get("type") == "Assertion"


def verification_type(document: Mapping[str, Any]) -> str:
    verification = document.get("verification")
    value = verification.get("type") if isinstance(verification, Mapping) else None
    return "hosted" if value in HOSTED else "signed" if value in SIGNED else ""


def shape_check(document: Mapping[str, Any]) -> Check:
    missing = [name for name in REQUIRED if not document.get(name)]
    recipient = document.get("recipient")
    if not isinstance(recipient, Mapping) or not recipient.get("identity"):
        missing.append("recipient.identity")
    if not verification_type(document):
        missing.append("verification.type")
    if missing:
        return Check.failure("shape", fields=", ".join(sorted(set(missing))))
    return Check.success("shape", "shape_valid")


def _document(value: Any, expected: tuple[str, ...], code: str) -> Mapping[str, Any]:
    """An embedded or linked document of one of the ``expected`` types, else ``Ob2Problem``."""
    try:
        document = fetch_json(value) if isinstance(value, str) else value
    except FetchError as error:
        raise Ob2Problem(code, reason=f"{code}_unreachable", url=str(value)) from error
    if not isinstance(document, Mapping) or document.get("type") not in expected:
        raise Ob2Problem(code, reason=f"{code}_invalid")
    if not isinstance(document.get("name"), str):
        raise Ob2Problem(code, reason=f"{code}_unnamed")
    return document


def _badge_and_issuer(assertion: Mapping[str, Any]) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    badge = _document(assertion.get("badge"), ("BadgeClass",), "badge_class")
    issuer = _document(badge.get("issuer"), ("Issuer", "Profile"), "issuer_profile")
    return badge, issuer


def _allowed_origin(assertion_id: str, issuer: Mapping[str, Any]) -> bool:
    host = urlsplit(assertion_id).hostname or ""
    if host and host == urlsplit(str(issuer.get("id", ""))).hostname:
        return True
    policy = issuer.get("verification")
    if not isinstance(policy, Mapping):
        return False
    origins = policy.get("allowedOrigins") or []
    origins = [origins] if isinstance(origins, str) else origins
    starts = policy.get("startsWith") or []
    starts = [starts] if isinstance(starts, str) else starts
    return host in origins or any(assertion_id.startswith(prefix) for prefix in starts)


def _fetch_hosted(assertion: Mapping[str, Any]) -> list[Check]:
    url = str(assertion["id"])
    try:
        fetched = fetch(url)
        if fetched.status == 410:
            return [Check.failure("revoked", "revoked_gone")]
        published = parse_json(fetched)
    except FetchError as error:
        raise Ob2Problem("hosted", reason="hosted_unreachable", url=url) from error
    if isinstance(published, Mapping) and published.get("revoked") is True:
        return [Check.failure("revoked")]
    if published != assertion:
        raise Ob2Problem("hosted", reason="hosted_differs")
    return [Check.success("hosted", "hosted_valid")]


def _binding(assertion_id: str, issuer: Mapping[str, Any]) -> Check:
    if not _allowed_origin(assertion_id, issuer):
        raise Ob2Problem("key_binding", reason="hosted_elsewhere")
    return Check.success("key_binding", "hosted_on_issuer")


def _foreign_hosted(assertion: Mapping[str, Any]) -> tuple[list[Check], Summary]:
    checks = _fetch_hosted(assertion)
    if checks[0].code == "revoked":
        return checks, Summary(version="ob2", credential_id=str(assertion["id"]))
    badge, issuer = _badge_and_issuer(assertion)
    checks += [
        Check.success("badge_class", "published"),
        _binding(str(assertion["id"]), issuer),
        *ob2_revocation_list(issuer, str(assertion["id"])),
    ]
    return checks, _summary(assertion, badge, issuer)


def _summary(
    assertion: Mapping[str, Any], badge: Mapping[str, Any], issuer: Mapping[str, Any]
) -> Summary:
    return Summary(
        version="ob2",
        credential_id=str(assertion.get("id", "")),
        issuer_id=str(issuer.get("id", "")),
        issuer_name=str(issuer.get("name", "")),
        issuer_url=str(issuer.get("url", "")),
        achievement_name=str(badge.get("name", "")),
        achievement_description=str(badge.get("description", "")),
        issued_at=parse_datetime(assertion.get("issuedOn")),
        expires_at=parse_datetime(assertion.get("expires")),
    )


def _our_summary(assertion: Mapping[str, Any], credential: Credential) -> Summary:
    return Summary(
        version="ob2",
        credential_id=str(assertion.get("id", "")),
        issuer_id=ob2.issuer_url(settings.SITE_URL),
        issuer_name=settings.INSIGNE_ISSUER_NAME,
        issuer_url=settings.INSIGNE_ISSUER_URL,
        recipient_name=f"{credential.given_name} {credential.family_name}".strip(),
        achievement_name=credential.badge_class.name,
        achievement_description=str(credential.badge_class.criteria),
        issued_at=parse_datetime(assertion.get("issuedOn")),
        issuer_is_us=True,
    )


def _our_hosted(assertion: Mapping[str, Any], public_id: str) -> tuple[list[Check], Summary]:
    credential = our_credential(public_id)
    if credential is None:
        return database_status(None), Summary(version="ob2", credential_id=str(assertion["id"]))
    if json.loads(credential.ob2_json) != assertion:
        raise Ob2Problem("hosted", reason="hosted_differs")
    checks = [
        Check.success("hosted", "hosted_valid"),
        Check.success("key_binding", "hosted_on_issuer"),
        *database_status(credential),
    ]
    return checks, _our_summary(assertion, credential)


def _identities(assertion: Mapping[str, Any]) -> list[Identity]:
    recipient = assertion.get("recipient")
    if not isinstance(recipient, Mapping):
        return []
    return [
        Identity(
            str(recipient.get("identity", "")),
            bool(recipient.get("hashed")),
            str(recipient.get("salt") or ""),
        )
    ]


def _common(assertion: Mapping[str, Any], expected_email: str | None) -> list[Check]:
    checks = date_checks(assertion.get("issuedOn"), assertion.get("expires"))
    if expected_email:
        checks.append(recipient_check(_identities(assertion), expected_email))
    return checks


def verify_ob2_json(
    assertion: Mapping[str, Any], expected_email: str | None
) -> tuple[list[Check], Summary]:
    shape = shape_check(assertion)
    empty = Summary(version="ob2", credential_id=str(assertion.get("id", "")))
    if not shape.ok:
        return [shape], empty
    if verification_type(assertion) != "hosted":
        return [shape, Check.failure("signature", "signed_without_jws")], empty
    public_id = our_public_id(str(assertion["id"]), ("/ob2/assertions/",))
    try:
        if public_id is not None:
            checks, summary = _our_hosted(assertion, public_id)
        else:
            checks, summary = _foreign_hosted(assertion)
    except Ob2Problem as problem:
        checks, summary = [Check.from_error(problem)], empty
    return [shape, *checks, *_common(assertion, expected_email)], summary


# --- signed assertions (JWS) ----------------------------------------------------


def _signed_checks(token: jws.Token, assertion: Mapping[str, Any]) -> tuple[list[Check], Summary]:
    badge, issuer = _badge_and_issuer(assertion)
    creator = (assertion.get("verification") or {}).get("creator")
    key = _document_key(creator)
    if key.get("owner") != issuer.get("id"):
        raise Ob2Problem("key_binding", reason="ob2_key_binding")
    try:
        public_key = load_pem_public_key(str(key.get("publicKeyPem", "")).encode())
    except (ValueError, TypeError) as error:
        raise Ob2Problem("key_unknown", reason="key_unreadable") from error
    if not isinstance(public_key, jws.PublicKey):
        raise Ob2Problem("key_unknown", reason="key_unreadable")
    try:
        jws.verify(token, public_key)
    except jws.JoseError as error:
        raise Ob2Problem("signature", reason=error.reason, **error.params) from error
    checks = [
        Check.success("key_binding", "ob2_key_bound"),
        Check.success("signature", "signature_valid"),
        *ob2_revocation_list(issuer, str(assertion.get("id", ""))),
    ]
    return checks, _summary(assertion, badge, issuer)


def _document_key(creator: Any) -> Mapping[str, Any]:
    if not isinstance(creator, str):
        raise Ob2Problem("key_unknown", reason="key_unnamed")
    try:
        key = fetch_json(creator)
    except FetchError as error:
        raise Ob2Problem("key_unreachable", url=creator) from error
    if not isinstance(key, Mapping) or not isinstance(key.get("publicKeyPem"), str):
        raise Ob2Problem("key_unknown", reason="key_unreadable")
    return key


def verify_ob2_jws(token: jws.Token, expected_email: str | None) -> tuple[list[Check], Summary]:
    assertion = token.payload
    shape = shape_check(assertion)
    empty = Summary(version="ob2", credential_id=str(assertion.get("id", "")))
    if not shape.ok:
        return [shape], empty
    try:
        checks, summary = _signed_checks(token, assertion)
    except Ob2Problem as problem:
        checks, summary = [Check.from_error(problem)], empty
    return [shape, *checks, *_common(assertion, expected_email)], summary
