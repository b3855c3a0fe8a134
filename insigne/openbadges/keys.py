"""The issuer's Ed25519 keys: a key file, a ``did:web`` document and a JWKS.

Pure key handling, no Django: the site's own cached keys are
``insigne.badges.keys.issuer_keys``. The key file is JSON,
``{"keys": [{"id": "key-1", "created": "...Z", "private_key": "<base64url>"}]}``;
the last key signs, the earlier ones stay published so that badges signed
before a rotation keep verifying. It is created on first use (mode 0600,
atomically: two processes starting together end up with the same key) and read
once per process by the caller.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from insigne.openbadges.multibase import b64url_decode, b64url_encode, ed25519_multikey
from insigne.openbadges.ob3 import did_web, format_datetime
from insigne.openbadges.rdf.jsonld import DID_V1, MULTIKEY_V1


@dataclass(frozen=True)
class IssuerKey:
    key_id: str
    created: str
    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def public_bytes(self) -> bytes:
        return self.public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)

    def verification_method(self, site_url: str) -> str:
        return f"{did_web(site_url)}#{self.key_id}"


@dataclass(frozen=True)
class IssuerKeys:
    """All issuer keys, oldest first; ``active`` (the newest) signs."""

    keys: tuple[IssuerKey, ...]
    site_url: str

    @property
    def active(self) -> IssuerKey:
        return self.keys[-1]

    @property
    def did(self) -> str:
        return did_web(self.site_url)

    @property
    def verification_method(self) -> str:
        return self.active.verification_method(self.site_url)

    def resolve(self, verification_method: str) -> Ed25519PublicKey | None:
        """The public key behind one of our verification method ids, else ``None``."""
        for key in self.keys:
            if key.verification_method(self.site_url) == verification_method:
                return key.public_key
        return None


# Verification also reads other issuers' keys: ECDSA (ecdsa-rdfc-2019, ES256) and RSA (RS256).
VerificationKey = Ed25519PublicKey | EllipticCurvePublicKey | RSAPublicKey
KeyResolver = Callable[[str], VerificationKey | None]


def new_key(key_id: str, now: datetime | None = None) -> IssuerKey:
    created = format_datetime(now or datetime.now(UTC))
    return IssuerKey(key_id=key_id, created=created, private_key=Ed25519PrivateKey.generate())


def _serialise(keys: tuple[IssuerKey, ...]) -> str:
    entries = [
        {
            "id": key.key_id,
            "created": key.created,
            "private_key": b64url_encode(key.private_key.private_bytes_raw()),
        }
        for key in keys
    ]
    return json.dumps({"keys": entries}, indent=2) + "\n"


def _parse(text: str) -> tuple[IssuerKey, ...]:
    entries = json.loads(text)["keys"]
    return tuple(
        IssuerKey(
            key_id=entry["id"],
            created=entry["created"],
            private_key=Ed25519PrivateKey.from_private_bytes(b64url_decode(entry["private_key"])),
        )
        for entry in entries
    )


def _write_private_temp(path: Path, text: str) -> Path:
    """A 0600 file next to ``path`` holding ``text`` (same file system: link/rename are atomic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=".keys-", dir=path.parent)
    os.fchmod(handle, 0o600)
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    return Path(name)


def create_key_file(path: Path) -> None:
    """Create ``path`` with one new key, unless it exists (then keep the existing one)."""
    temp = _write_private_temp(path, _serialise((new_key("key-1"),)))
    try:
        os.link(temp, path)  # fails if another process created it first: theirs wins
    except FileExistsError:
        pass
    finally:
        temp.unlink()


def read_keys(path: Path) -> tuple[IssuerKey, ...]:
    if not path.exists():
        create_key_file(path)
    keys = _parse(path.read_text(encoding="utf-8"))
    if not keys:
        raise ValueError(f"no key in {path}")
    return keys


def rotate_key_file(path: Path, now: datetime | None = None) -> IssuerKey:
    """Add a new active key to ``path``; older keys stay (public halves stay published)."""
    keys = read_keys(path)
    number = 1 + max(int(key.key_id.rsplit("-", 1)[-1]) for key in keys)
    added = new_key(f"key-{number}", now)
    temp = _write_private_temp(path, _serialise((*keys, added)))
    os.replace(temp, path)
    return added


def did_document(keys: IssuerKeys) -> dict[str, Any]:
    """The ``did:web`` document: every key as a Multikey, all usable for assertions."""
    methods = [
        {
            "id": key.verification_method(keys.site_url),
            "type": "Multikey",
            "controller": keys.did,
            "publicKeyMultibase": ed25519_multikey(key.public_bytes),
        }
        for key in keys.keys
    ]
    return {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": keys.did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def jwks(keys: IssuerKeys) -> dict[str, Any]:
    """JSON Web Key Set of the public keys; ``kid`` is the verification method id."""
    return {
        "keys": [
            {
                "kty": "OKP",
                "crv": "Ed25519",
                "x": b64url_encode(key.public_bytes),
                "kid": key.verification_method(keys.site_url),
                "alg": "EdDSA",
                "use": "sig",
            }
            for key in keys.keys
        ]
    }
