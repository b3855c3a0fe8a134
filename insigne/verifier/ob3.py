"""Open Badges 3.0: a signed JSON credential (Data Integrity proof) or a VC-JWT.

The cryptography is the credential core's (``insigne.openbadges.issuance.verify_ob3``);
this module feeds it keys resolved for the badge's own issuer and adds what a
verifier of anyone's badge needs: the JSON Schema, dates, status, recipient.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings

from insigne.badges.presenter import badge_view
from insigne.openbadges import ob3
from insigne.openbadges.checks import Check
from insigne.openbadges.issuance import verify_ob3
from insigne.openbadges.jose import jws, vcjwt
from insigne.openbadges.rdf.jsonld import JsonLdSafetyError, check_safe
from insigne.verifier.checks import (
    date_checks,
    ob3_identities,
    parse_datetime,
    recipient_check,
    schema_check,
)
from insigne.verifier.keys import IssuerKeyResolver
from insigne.verifier.result import Summary
from insigne.verifier.status import ob3_status

VC_V1 = "https://www.w3.org/2018/credentials/v1"
OB3_TYPES = frozenset(["OpenBadgeCredential", "AchievementCredential"])


def _types(document: Mapping[str, Any]) -> set[str]:
    value = document.get("type")
    return {value} if isinstance(value, str) else {t for t in value or [] if isinstance(t, str)}


def is_ob3(document: Mapping[str, Any]) -> bool:
    context = document.get("@context")
    contexts = context if isinstance(context, list) else [context]
    return bool(_types(document) & (OB3_TYPES | {"VerifiableCredential"})) or VC_V1 in contexts


def valid_from(document: Mapping[str, Any]) -> Any:
    """``validFrom`` (VC 2.0) or ``issuanceDate`` (VC 1.1)."""
    return document.get("validFrom", document.get("issuanceDate"))


def valid_until(document: Mapping[str, Any]) -> Any:
    """``validUntil`` (VC 2.0) or ``expirationDate`` (VC 1.1)."""
    return document.get("validUntil", document.get("expirationDate"))


def summary(document: Mapping[str, Any]) -> Summary:
    try:
        view = badge_view(dict(document))
    except (AttributeError, TypeError):
        return Summary(version="ob3", credential_id=str(document.get("id", "")))
    return Summary(
        version="ob3",
        credential_id=str(document.get("id", "")),
        issuer_id=ob3.issuer_id(document),
        issuer_name=view.issuer_name,
        issuer_url=view.issuer_url,
        recipient_name=view.recipient,
        achievement_name=view.title,
        achievement_description=view.description,
        issued_at=parse_datetime(valid_from(document)),
        expires_at=parse_datetime(valid_until(document)),
        issuer_is_us=ob3.issuer_id(document) == ob3.did_web(settings.SITE_URL),
    )


def _checks(
    document: Mapping[str, Any], signature: list[Check], expected_email: str | None
) -> list[Check]:
    checks = [schema_check(document), *signature]
    checks += date_checks(valid_from(document), valid_until(document))
    checks += ob3_status(document)
    if expected_email:
        checks.append(
            recipient_check(ob3_identities(document.get("credentialSubject")), expected_email)
        )
    return checks


def verify_ob3_json(
    document: Mapping[str, Any], expected_email: str | None
) -> tuple[list[Check], Summary]:
    resolver = IssuerKeyResolver(ob3.issuer_id(document))
    signature = resolver.explain(verify_ob3(document, resolver))
    return _checks(document, signature, expected_email), summary(document)


def verify_ob3_jwt(token: jws.Token, expected_email: str | None) -> tuple[list[Check], Summary]:
    document = vcjwt.credential_of(token.payload)
    resolver = IssuerKeyResolver(ob3.issuer_id(document))
    signature = resolver.explain(verify_ob3(token, resolver))
    return _checks(document, signature, expected_email), summary(document)


def _vc_claim_signature(token: jws.Token, resolver: IssuerKeyResolver) -> list[Check]:
    """Signature of a VC-JWT carrying its credential in a ``vc`` claim (the VC 1.1 layout).

    The core only knows our layout (the credential is the payload), so this
    layout's claims are checked here: ``iss`` and ``jti`` must match the credential.
    """
    try:
        jws.check_header(token)
        kid = token.header.get("kid")
        key = resolver(kid) if isinstance(kid, str) else None
        if key is None:
            return resolver.explain([Check.failure("key_unknown")])
        jws.verify(token, key)
    except jws.JoseError as error:
        return [Check.from_error(error, "signature" if error.code == "signature_mismatch" else "")]
    payload, document = token.payload, token.payload["vc"]
    expected = {"iss": resolver.issuer_id, "jti": document.get("id")}
    if any(name in payload and payload[name] != value for name, value in expected.items()):
        return [Check.failure("jwt_claims")]
    try:
        check_safe(document)
    except JsonLdSafetyError as error:
        return [Check.from_error(error)]
    return [*resolver.checks, Check.success("signature", "signature_valid")]


def verify_ob3_vc_claim(
    token: jws.Token, expected_email: str | None
) -> tuple[list[Check], Summary]:
    document = token.payload["vc"]
    resolver = IssuerKeyResolver(ob3.issuer_id(document))
    signature = _vc_claim_signature(token, resolver)
    return _checks(document, signature, expected_email), summary(document)
