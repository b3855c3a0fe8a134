"""Which public key signed a badge, and does it belong to the badge's issuer?

A signature only proves something if the key is the issuer's. The rule
(key binding) depends on how the key is named:

* ``did:key:z6Mk…#z6Mk…`` — the key is the DID itself; bound when the issuer id is
  that DID. No network.
* ``did:web:…#frag`` — bound when the DID (before ``#``) is the issuer id; the key
  is read from the DID document (``https://host/.well-known/did.json``, or
  ``https://host/path/did.json``) and must be listed for ``assertionMethod``.
  Our own DID is resolved from our key file, without HTTP.
* ``https://…#frag`` in a controller document (OB 3.0 §8.5: the key reference every
  verifier must support) — the document at the URL lists the method in
  ``verificationMethod``; bound when the document is the issuer's (its ``id``, or the
  method's ``controller``, is the issuer id) and the method is listed for
  ``assertionMethod`` (else ``key_purpose``).
* ``https://…`` (a JWKS or JWK URL, the usual ``kid`` of a VC-JWT) — bound when it
  has the issuer id's origin, or when its document names the issuer as controller.

Keys may be Ed25519, ECDSA P-256/P-384 (Multikey or JWK) or RSA (JWK). A DID method
this verifier cannot resolve makes the badge *unsupported*, not forged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urldefrag, urlsplit

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings

from insigne.badges.keys import issuer_keys
from insigne.openbadges.checks import Check
from insigne.openbadges.keys import VerificationKey
from insigne.openbadges.multibase import ED25519_PUB_PREFIX, b64url_decode, decode_multibase_z
from insigne.openbadges.ob3 import did_web
from insigne.platform.errors import CodedError
from insigne.verifier.fetch import FetchError, fetch_json, http_hosts


class KeyProblem(CodedError):
    """Why the key that signed a badge cannot be trusted for its issuer."""


# Multicodec prefixes of compressed ECDSA public keys (``zDn…`` for P-256, ``z82…`` for P-384).
_EC_MULTIKEYS: dict[bytes, tuple[ec.EllipticCurve, int]] = {
    b"\x80\x24": (ec.SECP256R1(), 33),
    b"\x81\x24": (ec.SECP384R1(), 49),
}
_JWK_CURVES: dict[str, ec.EllipticCurve] = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1()}


def multikey_public_key(multibase: str) -> VerificationKey:
    """An Ed25519 (``z6Mk…``) or ECDSA P-256/P-384 key from its ``publicKeyMultibase``."""
    raw = decode_multibase_z(multibase)
    if raw.startswith(ED25519_PUB_PREFIX) and len(raw) == 34:
        return Ed25519PublicKey.from_public_bytes(raw[2:])
    curve, size = _EC_MULTIKEYS.get(raw[:2], (None, 0))
    if curve is not None and len(raw) == 2 + size:
        return ec.EllipticCurvePublicKey.from_encoded_point(curve, raw[2:])
    raise ValueError("not a supported multikey")


def _jwk_int(jwk: Mapping[str, Any], name: str) -> int:
    value = jwk.get(name)
    if not isinstance(value, str):
        raise ValueError(f"JWK without {name}")
    return int.from_bytes(b64url_decode(value), "big")


def jwk_public_key(jwk: Mapping[str, Any]) -> VerificationKey:
    """An Ed25519 (OKP), P-256/P-384 (EC) or RSA public key from its JWK."""
    kty = jwk.get("kty")
    if kty == "OKP" and jwk.get("crv") == "Ed25519" and isinstance(jwk.get("x"), str):
        return Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))
    if kty == "EC" and jwk.get("crv") in _JWK_CURVES:
        curve = _JWK_CURVES[str(jwk["crv"])]
        numbers = ec.EllipticCurvePublicNumbers(_jwk_int(jwk, "x"), _jwk_int(jwk, "y"), curve)
        return numbers.public_key()
    if kty == "RSA":
        public = rsa.RSAPublicNumbers(_jwk_int(jwk, "e"), _jwk_int(jwk, "n")).public_key()
        if public.key_size < 2048:
            raise ValueError("RSA key under 2048 bits")
        return public
    raise ValueError("not a supported JWK")


def _method_key(method: Mapping[str, Any]) -> VerificationKey:
    if isinstance(method.get("publicKeyMultibase"), str):
        return multikey_public_key(method["publicKeyMultibase"])
    if isinstance(method.get("publicKeyJwk"), Mapping):
        return jwk_public_key(method["publicKeyJwk"])
    raise ValueError("no supported key material")


def did_web_url(did: str) -> str:
    """Where a ``did:web`` document lives (http only for the test allow-list)."""
    parts = did.split(":")[2:]
    if not parts or not parts[0]:
        raise KeyProblem("key_unknown", reason="did_web_invalid")
    host = unquote(parts[0])
    scheme = "http" if host in http_hosts() else "https"
    path = "/".join(unquote(part) for part in parts[1:])
    return (
        f"{scheme}://{host}/{path}/did.json" if path else f"{scheme}://{host}/.well-known/did.json"
    )


def _absolute(method_id: str, did: str) -> str:
    return f"{did}{method_id}" if method_id.startswith("#") else method_id


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value else []


def _controller_method(document: Mapping[str, Any], method_id: str) -> Mapping[str, Any]:
    """The method ``method_id`` of a controller (or DID) document, checked for assertions."""
    controller = str(document.get("id", ""))
    assertion = [
        _absolute(item if isinstance(item, str) else str(item.get("id")), controller)
        for item in _listed(document.get("assertionMethod"))
        if isinstance(item, str | Mapping)
    ]
    candidates = [*_listed(document.get("verificationMethod"))]
    candidates += [
        item for item in _listed(document.get("assertionMethod")) if isinstance(item, Mapping)
    ]
    for method in candidates:
        if (
            isinstance(method, Mapping)
            and _absolute(str(method.get("id")), controller) == method_id
        ):
            if method_id not in assertion:
                raise KeyProblem("key_purpose")
            return method
    raise KeyProblem("key_unknown", reason="key_not_found")


def _did_web_key(method_id: str, did: str) -> VerificationKey:
    url = did_web_url(did)
    try:
        document = fetch_json(url)
    except FetchError as error:
        raise KeyProblem("key_unreachable", url=url) from error
    if not isinstance(document, Mapping) or document.get("id") != did:
        raise KeyProblem("key_unknown", reason="did_document_mismatch")
    return _method_key(_controller_method(document, method_id))


def _did_key(method_id: str, did: str) -> VerificationKey:
    fragment = urldefrag(method_id).fragment
    multibase = did.removeprefix("did:key:")
    if fragment and fragment != multibase:
        raise KeyProblem("key_unknown", reason="key_not_found")
    return multikey_public_key(multibase)


def _same_origin(first: str, second: str) -> bool:
    a, b = urlsplit(first), urlsplit(second)
    return (a.scheme, a.netloc.lower()) == (b.scheme, b.netloc.lower()) and bool(a.netloc)


def _controller_document_key(
    document: Mapping[str, Any], method_id: str, issuer_id: str
) -> VerificationKey:
    method = _controller_method(document, method_id)
    if issuer_id not in (document.get("id"), method.get("controller")):
        raise KeyProblem("key_binding")
    return _method_key(method)


def _url_key(method_id: str, issuer_id: str) -> VerificationKey:
    url, fragment = urldefrag(method_id)
    try:
        document = fetch_json(url)
    except FetchError as error:
        raise KeyProblem("key_unreachable", url=url) from error
    if not isinstance(document, Mapping):
        raise KeyProblem("key_unknown", reason="key_not_found")
    if isinstance(document.get("verificationMethod"), list | Mapping):
        return _controller_document_key(document, method_id, issuer_id)
    if not _same_origin(url, issuer_id) and document.get("controller") != issuer_id:
        raise KeyProblem("key_binding")
    if isinstance(document.get("keys"), list):
        for jwk in document["keys"]:
            if isinstance(jwk, Mapping) and jwk.get("kid") in (method_id, fragment):
                return jwk_public_key(jwk)
        raise KeyProblem("key_unknown", reason="key_not_found")
    if "kty" in document:
        return jwk_public_key(document)
    return _method_key(document)


def check_binding(method_id: str, issuer_id: str) -> None:
    """Raise ``key_binding`` unless the key named ``method_id`` may speak for ``issuer_id``."""
    did = method_id.split("#", 1)[0]
    if method_id.startswith("did:"):
        if did != issuer_id:
            raise KeyProblem("key_binding")
    elif not method_id.startswith(("https://", "http://")) or issuer_id.startswith("did:"):
        raise KeyProblem("key_binding")
    # URL keys of URL issuers: the origin (or controller) is checked once fetched.


def public_key(method_id: str, issuer_id: str) -> VerificationKey:
    """The key behind ``method_id``, checked to belong to ``issuer_id``; else ``KeyProblem``."""
    method_id = _absolute(method_id, issuer_id)
    check_binding(method_id, issuer_id)
    did = method_id.split("#", 1)[0]
    try:
        if did == did_web(settings.SITE_URL):
            key = issuer_keys().resolve(method_id)
            if key is None:
                raise KeyProblem("key_unknown", reason="key_not_found")
            return key
        if did.startswith("did:key:"):
            return _did_key(method_id, did)
        if did.startswith("did:web:"):
            return _did_web_key(method_id, did)
        if did.startswith("did:"):
            method = ":".join(did.split(":", 2)[:2])
            raise KeyProblem("unsupported", reason="format_unsupported", format=method)
        return _url_key(method_id, issuer_id)
    except (ValueError, TypeError) as error:
        raise KeyProblem("key_unknown", reason="key_unreadable") from error


@dataclass
class IssuerKeyResolver:
    """A ``KeyResolver`` for the credential core that remembers why a key was refused.

    The core only learns "no key"; the verdict wants to say whether the key was
    not the issuer's, unreachable, or unknown.
    """

    issuer_id: str
    checks: list[Check] = field(default_factory=list)

    def __call__(self, method_id: str) -> VerificationKey | None:
        try:
            key = public_key(method_id, self.issuer_id)
        except KeyProblem as problem:
            self.checks = [Check.from_error(problem)]
            return None
        self.checks = [Check.success("key_binding", "key_bound", issuer=self.issuer_id)]
        return key

    def explain(self, checks: list[Check]) -> list[Check]:
        """``checks`` from the core with its generic ``key_unknown`` replaced by our reason."""
        if any(check.code == "key_unknown" and not check.ok for check in checks) and self.checks:
            others = [check for check in checks if check.code != "key_unknown"]
            return [*self.checks, *others]
        return [*self.checks, *checks]
