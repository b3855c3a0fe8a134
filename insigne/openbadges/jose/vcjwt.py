"""VC-JWT form of an OB 3.0 credential (OB 3.0 §8.2, JOSE compact, ``EdDSA``).

The JWT payload is the credential itself (without its Data Integrity proof)
plus the registered claims derived from it: ``iss`` = issuer id, ``jti`` =
credential id, ``nbf`` = ``validFrom``, ``sub`` = ``credentialSubject.id``
(only when the subject has one: ours are identified by a hashed email, so they
have none) and ``exp`` = ``validUntil`` (ours never expire). ``kid`` is the
verification method id, resolvable through the ``did:web`` document and the JWKS.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from insigne.openbadges.checks import Check
from insigne.openbadges.keys import KeyResolver
from insigne.openbadges.multibase import b64url_decode, b64url_encode

REGISTERED_CLAIMS = ("iss", "jti", "nbf", "sub", "exp", "iat")


def _timestamp(xsd_datetime: str) -> int:
    return int(datetime.fromisoformat(xsd_datetime.replace("Z", "+00:00")).timestamp())


def _issuer_id(credential: Mapping[str, Any]) -> Any:
    issuer = credential.get("issuer")
    return issuer.get("id") if isinstance(issuer, Mapping) else issuer


def registered_claims(credential: Mapping[str, Any]) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "iss": _issuer_id(credential),
        "jti": credential["id"],
        "nbf": _timestamp(credential["validFrom"]),
    }
    subject = credential.get("credentialSubject")
    if isinstance(subject, Mapping) and "id" in subject:
        claims["sub"] = subject["id"]
    if "validUntil" in credential:
        claims["exp"] = _timestamp(credential["validUntil"])
    return claims


def _encode(value: Mapping[str, Any]) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return b64url_encode(text.encode())


def sign(credential: Mapping[str, Any], key: Ed25519PrivateKey, kid: str) -> str:
    """The compact JWS of ``credential`` (its ``proof``, if any, is left out)."""
    body = {name: value for name, value in credential.items() if name != "proof"}
    header = {"alg": "EdDSA", "typ": "JWT", "kid": kid}
    signing_input = f"{_encode(header)}.{_encode(body | registered_claims(body))}"
    signature = key.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url_encode(signature)}"


def decode(token: str) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
    """Header, payload, signing input and signature; ``ValueError`` when malformed."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise ValueError("not a compact JWS")
    header = json.loads(b64url_decode(parts[0]))
    payload = json.loads(b64url_decode(parts[1]))
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise ValueError("header and payload must be JSON objects")
    return header, payload, f"{parts[0]}.{parts[1]}".encode("ascii"), b64url_decode(parts[2])


def credential_of(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The credential carried by a payload: the payload without the JWT claims."""
    return {name: value for name, value in payload.items() if name not in REGISTERED_CLAIMS}


def _fail(code: str, message_fr: str) -> list[Check]:
    return [Check(code, False, message_fr)]


def _claims_match(payload: Mapping[str, Any]) -> bool:
    try:
        expected = registered_claims(credential_of(payload))
    except (KeyError, ValueError, TypeError, AttributeError):
        return False
    return all(payload.get(name) == value for name, value in expected.items())


def verify(token: str, resolve_key: KeyResolver) -> list[Check]:
    """Checks of a VC-JWT: format, algorithm, key, signature, claims consistent with the body."""
    try:
        header, payload, signing_input, signature = decode(token)
    except (ValueError, UnicodeError):
        return _fail("jwt_malformed", "Le jeton VC-JWT est mal formé.")
    if header.get("alg") != "EdDSA":
        return _fail("jwt_algorithm", "Le jeton n'est pas signé avec EdDSA.")
    kid = header.get("kid")
    public_key = resolve_key(kid) if isinstance(kid, str) else None
    if public_key is None:
        return _fail("key_unknown", "La clé de signature n'est pas une clé publiée par l'émetteur.")
    try:
        public_key.verify(signature, signing_input)
    except InvalidSignature:
        return _fail("signature", "La signature ne correspond pas : le badge a été modifié.")
    if not _claims_match(payload):
        return _fail("jwt_claims", "Les champs du jeton ne correspondent pas au badge.")
    return [Check("signature", True, "La signature de l'émetteur est valide.")]
