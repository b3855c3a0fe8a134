"""The one JWS layer (RFC 7515, compact serialisation), on joserfc.

Every signed token the platform writes or reads goes through here: our VC-JWTs,
other issuers' VC-JWTs (both layouts), signed Open Badges 2.0 assertions.

* Algorithms come from an allow-list: ``EdDSA`` (and its fully specified name
  ``Ed25519``, RFC 9864), ``ES256`` and ``RS256`` (OB 3.0 §8.2 names RS256 the
  minimum). Never ``none``, never HMAC: a public key is no shared secret.
* The key type must fit the algorithm (an RSA key cannot check an EdDSA token).
* ``crit`` is honoured (RFC 7515 §4.1.11): a token that names a critical header
  parameter this layer does not understand is refused, not silently accepted.

Errors are :class:`JoseError` with a stable code (text: ``insigne.platform.messages``).
"""

from __future__ import annotations

import base64
import json
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from joserfc import errors, jws
from joserfc.jwk import ECKey, OKPKey, RSAKey
from joserfc.jws import CompactSignature, JWSRegistry

from insigne.platform import json_limits
from insigne.platform.errors import CodedError

ALGORITHMS = ("EdDSA", "Ed25519", "ES256", "RS256")
PublicKey = Ed25519PublicKey | EllipticCurvePublicKey | RSAPublicKey
# A badge may carry its image inline; the verifier's input limit bounds it first.
MAX_PAYLOAD_BYTES = 2 * 1024 * 1024


class _Registry(JWSRegistry):
    max_payload_length = MAX_PAYLOAD_BYTES


# Header parameters this layer does not know are ignored, as RFC 7515 §4 wants,
# unless ``crit`` names them.
_REGISTRY = _Registry(algorithms=ALGORITHMS, strict_check_header=False)

# OB 3.0 and the VC-JOSE specifications name "EdDSA"; RFC 9864 deprecates it for its
# ambiguity (Ed25519 or Ed448), which an Ed25519 key already removes.
warnings.filterwarnings("ignore", message="EdDSA is deprecated", category=errors.SecurityWarning)


# One encoder for every token: json.dumps with options builds a new one per call.
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


class JoseError(CodedError):
    """A token refused by the JWS layer."""


@dataclass(frozen=True)
class Token:
    """A compact JWS read but not yet verified: ``header`` and ``payload`` are JSON objects."""

    text: str
    header: dict[str, Any]
    payload: dict[str, Any]
    _signature: CompactSignature = field(repr=False, compare=False)


def _object(data: bytes) -> dict[str, Any]:
    value = json_limits.loads(data)  # too deep is a ValueError too
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value


def _check_header_depth(text: str) -> None:
    """joserfc parses the header itself: a deeply nested one is refused before it does."""
    header = text.split(".", 1)[0]
    decoded = base64.urlsafe_b64decode(header + "=" * (-len(header) % 4))
    if json_limits.text_depth(decoded) > json_limits.MAX_DEPTH:
        raise json_limits.JsonTooDeep("json_too_deep", max=json_limits.MAX_DEPTH)


def _part(text: str, index: int) -> dict[str, Any] | None:
    """Part ``index`` of a compact JWS as a JSON object, unverified; ``None`` if unreadable."""
    parts = text.split(".")
    if len(parts) != 3:
        return None
    try:
        data = base64.urlsafe_b64decode(parts[index] + "=" * (-len(parts[index]) % 4))
        return _object(data)
    except (ValueError, TypeError):
        return None


def unverified_payload(text: str) -> dict[str, Any] | None:
    """What a token claims, read WITHOUT checking anything (to show it as unverified)."""
    return _part(text.strip(), 1)


def _refuse_algorithm(text: str) -> None:
    """A token whose header names no allowed algorithm is refused as such (``none``: unsigned),
    not as unreadable: it is a badge someone may be passing off as signed."""
    header = _part(text, 0)
    if header is None or "alg" not in header:
        return
    algorithm = header.get("alg")
    if algorithm not in ALGORITHMS:
        reason = "jwt_unsigned" if str(algorithm).lower() == "none" else "jwt_algorithm"
        raise JoseError("jwt_algorithm", reason=reason, algorithm=str(algorithm))


def read(text: str) -> Token:
    """Parse a compact JWS without checking its signature (to find its key and kind)."""
    text = text.strip()
    try:
        _check_header_depth(text)
    except (ValueError, UnicodeError, TypeError) as error:
        raise JoseError("jwt_malformed") from error
    _refuse_algorithm(text)
    try:
        signature = jws.extract_compact(text.encode("ascii"), registry=_REGISTRY)
        return Token(text, dict(signature.headers()), _object(signature.payload), signature)
    except (errors.JoseError, ValueError, UnicodeError, TypeError) as error:
        raise JoseError("jwt_malformed") from error


def _jose_key(key: PublicKey | Ed25519PrivateKey) -> OKPKey | ECKey | RSAKey:
    if isinstance(key, Ed25519PublicKey | Ed25519PrivateKey):
        return OKPKey.import_key(key)
    if isinstance(key, EllipticCurvePublicKey):
        return ECKey.import_key(key)
    return RSAKey.import_key(key)


def check_header(token: Token) -> None:
    """Refuse, before any key is looked up, an algorithm off the list or an unmet ``crit``."""
    algorithm = token.header.get("alg")
    if algorithm not in ALGORITHMS:
        raise JoseError("jwt_algorithm", algorithm=str(algorithm))
    try:
        _REGISTRY.check_header(token.header)
    except (errors.UnsupportedHeaderError, errors.MissingCritHeaderError) as error:
        raise JoseError("jwt_critical") from error
    except errors.JoseError as error:
        raise JoseError("jwt_malformed") from error


def verify(token: Token, key: PublicKey) -> None:
    """Raise :class:`JoseError` unless ``key`` signed ``token`` with an allowed algorithm."""
    check_header(token)
    try:
        valid = jws.validate_compact(token._signature, _jose_key(key), registry=_REGISTRY)
    except (errors.InvalidKeyTypeError, errors.InvalidKeyCurveError) as error:
        raise JoseError("jwt_key_type") from error
    except errors.JoseError as error:
        raise JoseError("jwt_malformed") from error
    if not valid:
        raise JoseError("signature_mismatch")


def sign(header: Mapping[str, Any], payload: Mapping[str, Any], key: Ed25519PrivateKey) -> str:
    """The compact JWS of ``payload`` (compact UTF-8 JSON) signed with an Ed25519 key."""
    body = _COMPACT.encode(payload).encode()
    return jws.serialize_compact(dict(header), body, _jose_key(key), registry=_REGISTRY)
