"""Issue and verify our OB 3.0 credentials: pure functions, no database.

``issue`` returns the texts to store as they are (bytes served = bytes signed):
the credential JSON with its ``eddsa-rdfc-2022`` proof and its VC-JWT form.
``verify_ob3`` checks either form and returns every check with a stable code.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from insigne.openbadges import proof
from insigne.openbadges.checks import Check
from insigne.openbadges.facts import CredentialFacts
from insigne.openbadges.jose import jws, vcjwt
from insigne.openbadges.keys import IssuerKeys, KeyResolver
from insigne.openbadges.ob3 import build_credential, format_datetime
from insigne.openbadges.rdf.canon import canonicalize_known
from insigne.openbadges.rdf.jsonld import (
    OB_V3P0_CONTEXTS,
    VC_V1,
    VC_V2,
    JsonLdSafetyError,
    check_safe,
)
from insigne.platform import json_limits


@dataclass(frozen=True)
class IssuedCredential:
    ob3_json: str
    ob3_jwt: str


# Built once: json.dumps with options builds a new encoder on every call.
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dumps(document: Mapping[str, Any]) -> str:
    """The stored and served JSON text: compact, UTF-8, key order as built."""
    return _COMPACT.encode(document)


def preview(facts: CredentialFacts) -> dict[str, Any]:
    """The unsigned credential exactly as it will be signed (for the preview page)."""
    return build_credential(facts)


def issue(facts: CredentialFacts, keys: IssuerKeys) -> IssuedCredential:
    """Build and sign the credential of ``facts`` with the active issuer key."""
    credential = build_credential(facts)
    key = keys.active
    method = key.verification_method(facts.issuer.site_url)
    signed = proof.sign(credential, key.private_key, method, format_datetime(facts.issued_at))
    kid = key.jwk_method(facts.issuer.site_url)
    return IssuedCredential(
        ob3_json=dumps(signed), ob3_jwt=vcjwt.sign(credential, key.private_key, kid)
    )


OB3_TYPES = frozenset(["OpenBadgeCredential", "AchievementCredential"])


def _check_credential_shape(credential: Mapping[str, Any]) -> list[Check]:
    """An OB 3.0 credential as issuers write it: VC 2.0 (or VC 1.1 with the OB 3.0.0-3.0.2
    contexts written for it) first, an OB 3.0 context, and an OB 3.0 type (one or a list)."""
    context = credential.get("@context")
    if not isinstance(context, list) or len(context) < 2 or context[0] not in (VC_V2, VC_V1):
        return [Check.failure("unknown_context")]
    if not any(url in context for url in OB_V3P0_CONTEXTS):
        return [Check.failure("unknown_context")]
    types = credential.get("type")
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or not OB3_TYPES.intersection(types):
        return [Check.failure("not_open_badge")]
    return []


def _verify_document(document: Mapping[str, Any], resolve_key: KeyResolver) -> list[Check]:
    return _check_credential_shape(document) or proof.verify(document, resolve_key)


def _verify_jwt(text: str | jws.Token, resolve_key: KeyResolver) -> list[Check]:
    try:
        token = text if isinstance(text, jws.Token) else jws.read(text)
    except jws.JoseError as error:
        return [Check.from_error(error)]
    checks = vcjwt.verify(token, resolve_key)
    if not checks[-1].ok:
        return checks
    credential = vcjwt.credential_of(token.payload)
    problems = _check_credential_shape(credential)
    if problems:
        return problems
    if canonicalize_known(credential) is None:
        try:
            check_safe(credential)
        except JsonLdSafetyError as error:
            return [Check.from_error(error)]
    return [Check.success("jsonld", "jsonld_safe"), *checks]


def verify_ob3(
    document_or_jwt: str | jws.Token | Mapping[str, Any], resolve_key: KeyResolver
) -> list[Check]:
    """Verify an OB 3.0 credential given as JSON text, parsed JSON, or a VC-JWT.

    ``resolve_key`` maps a verification method id to a public key (``None`` when
    unknown), e.g. ``issuer_keys().resolve``. The badge is valid when every
    returned check is ok (see ``checks.passed``); revocation is checked apart.
    """
    if isinstance(document_or_jwt, Mapping):
        return _verify_document(document_or_jwt, resolve_key)
    if isinstance(document_or_jwt, jws.Token):
        return _verify_jwt(document_or_jwt, resolve_key)
    text = document_or_jwt.strip()
    if not text.startswith("{"):
        return _verify_jwt(text, resolve_key)
    try:
        document = json_limits.loads(text)
    except ValueError:  # unreadable or nested too deep
        return [Check.failure("malformed")]
    if not isinstance(document, dict):
        return [Check.failure("malformed")]
    return _verify_document(document, resolve_key)
