"""VC-JWT form of an OB 3.0 credential (OB 3.0 §8.2, JOSE compact, ``EdDSA``).

The JWT payload is the credential itself (without its Data Integrity proof)
plus the registered claims derived from it: ``iss`` = issuer id, ``jti`` =
credential id, ``nbf`` = ``validFrom``, ``sub`` = ``credentialSubject.id`` and
``exp`` = ``validUntil`` (ours never expire). Our subjects carry an opaque
``urn:uuid`` id (``ob3.subject_id``), so our tokens always have ``sub``; badges
signed before had no subject id and no ``sub``, and stay valid as they are.
``kid`` is the DID URL of the key's ``JsonWebKey2020`` method (``#key-N-jwk``),
also listed under that ``kid`` in the JWKS; earlier tokens name the Multikey
method ``#key-N``, which stays published. Signing and checking go through the one
JWS layer (``jws``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from insigne.openbadges.checks import Check
from insigne.openbadges.jose import jws
from insigne.openbadges.keys import KeyResolver
from insigne.openbadges.ob3 import issuer_id

REGISTERED_CLAIMS = ("iss", "jti", "nbf", "sub", "exp", "iat")


def _timestamp(xsd_datetime: str) -> int:
    return int(datetime.fromisoformat(xsd_datetime.replace("Z", "+00:00")).timestamp())


def registered_claims(credential: Mapping[str, Any]) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "iss": issuer_id(credential),
        "jti": credential["id"],
        "nbf": _timestamp(credential["validFrom"]),
    }
    subject = credential.get("credentialSubject")
    if isinstance(subject, Mapping) and "id" in subject:
        claims["sub"] = subject["id"]
    if "validUntil" in credential:
        claims["exp"] = _timestamp(credential["validUntil"])
    return claims


def sign(credential: Mapping[str, Any], key: Ed25519PrivateKey, kid: str) -> str:
    """The compact JWS of ``credential`` (its ``proof``, if any, is left out)."""
    body = {name: value for name, value in credential.items() if name != "proof"}
    header = {"alg": "EdDSA", "typ": "JWT", "kid": kid}
    return jws.sign(header, body | registered_claims(body), key)


def credential_of(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The credential carried by a payload: the payload without the JWT claims."""
    return {name: value for name, value in payload.items() if name not in REGISTERED_CLAIMS}


def _claims_match(payload: Mapping[str, Any]) -> bool:
    try:
        expected = registered_claims(credential_of(payload))
    except (KeyError, ValueError, TypeError, AttributeError):
        return False
    return all(payload.get(name) == value for name, value in expected.items())


def verify(token: str | jws.Token, resolve_key: KeyResolver) -> list[Check]:
    """Checks of a VC-JWT: format, algorithm, key, signature, claims consistent with the body."""
    try:
        read = token if isinstance(token, jws.Token) else jws.read(token)
        jws.check_header(read)
        kid = read.header.get("kid")
        public_key = resolve_key(kid) if isinstance(kid, str) else None
        if public_key is None:
            return [Check.failure("key_unknown")]
        jws.verify(read, public_key)
    except jws.JoseError as error:
        return [Check.from_error(error, "signature" if error.code == "signature_mismatch" else "")]
    if not _claims_match(read.payload):
        return [Check.failure("jwt_claims")]
    return [Check.success("signature", "signature_valid")]
