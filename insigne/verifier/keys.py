"""Which public key signed a badge, and does it belong to the badge's issuer?

A signature only proves something if the key is the issuer's. The rule
(key binding) depends on how the key is named:

* ``did:key:z6Mk…#z6Mk…`` — the key is the DID itself; bound when the issuer id is
  that DID. No network.
* ``did:web:…#frag`` — bound when the DID (before ``#``) is the issuer id; the key
  is read from the DID document (``https://host/.well-known/did.json``, or
  ``https://host/path/did.json``) and must be listed for ``assertionMethod``.
  Our own DID is resolved from our key file, without HTTP.
* ``https://…`` (a JWKS or JWK URL, the usual ``kid`` of a VC-JWT) — bound when it
  has the issuer id's origin, or when its document names the issuer as controller.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urldefrag, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings

from insigne.badges.keys import issuer_keys
from insigne.openbadges.checks import Check
from insigne.openbadges.multibase import ED25519_PUB_PREFIX, b64url_decode, decode_multibase_z
from insigne.openbadges.ob3 import did_web
from insigne.platform.errors import CodedError
from insigne.verifier.fetch import FetchError, fetch_json, http_hosts


class KeyProblem(CodedError):
    """Why the key that signed a badge cannot be trusted for its issuer."""


def multikey_public_key(multibase: str) -> Ed25519PublicKey:
    """An Ed25519 key from its ``publicKeyMultibase`` (``z6Mk…``)."""
    raw = decode_multibase_z(multibase)
    if not raw.startswith(ED25519_PUB_PREFIX) or len(raw) != 34:
        raise ValueError("not an Ed25519 multikey")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def jwk_public_key(jwk: Mapping[str, Any]) -> Ed25519PublicKey:
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519" or not isinstance(jwk.get("x"), str):
        raise ValueError("not an Ed25519 JWK")
    return Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))


def _method_key(method: Mapping[str, Any]) -> Ed25519PublicKey:
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


def _did_web_key(method_id: str, did: str) -> Ed25519PublicKey:
    url = did_web_url(did)
    try:
        document = fetch_json(url)
    except FetchError as error:
        raise KeyProblem("key_unreachable", url=url) from error
    if not isinstance(document, Mapping) or document.get("id") != did:
        raise KeyProblem("key_unknown", reason="did_document_mismatch")
    assertion = [
        _absolute(item if isinstance(item, str) else str(item.get("id")), did)
        for item in document.get("assertionMethod") or []
        if isinstance(item, str | Mapping)
    ]
    candidates = [*(document.get("verificationMethod") or [])]
    candidates += [
        item for item in document.get("assertionMethod") or [] if isinstance(item, Mapping)
    ]
    for method in candidates:
        if isinstance(method, Mapping) and _absolute(str(method.get("id")), did) == method_id:
            if method_id not in assertion:
                raise KeyProblem("key_purpose")
            return _method_key(method)
    raise KeyProblem("key_unknown", reason="key_not_found")


def _did_key(method_id: str, did: str) -> Ed25519PublicKey:
    fragment = urldefrag(method_id).fragment
    multibase = did.removeprefix("did:key:")
    if fragment and fragment != multibase:
        raise KeyProblem("key_unknown", reason="key_not_found")
    return multikey_public_key(multibase)


def _same_origin(first: str, second: str) -> bool:
    a, b = urlsplit(first), urlsplit(second)
    return (a.scheme, a.netloc.lower()) == (b.scheme, b.netloc.lower()) and bool(a.netloc)


def _url_key(method_id: str, issuer_id: str) -> Ed25519PublicKey:
    url, fragment = urldefrag(method_id)
    try:
        document = fetch_json(url)
    except FetchError as error:
        raise KeyProblem("key_unreachable", url=url) from error
    if not isinstance(document, Mapping):
        raise KeyProblem("key_unknown", reason="key_not_found")
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


def public_key(method_id: str, issuer_id: str) -> Ed25519PublicKey:
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
            raise KeyProblem("key_unknown", reason="did_method_unsupported")
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

    def __call__(self, method_id: str) -> Ed25519PublicKey | None:
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
