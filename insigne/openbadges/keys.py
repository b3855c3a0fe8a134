"""The issuer's Ed25519 keys: a key file, a ``did:web`` document, a controller document
and a JWKS.

Each key is published under three verification method ids, all ``assertionMethod``:

* ``did:web:host#key-N``, a ``Multikey``: the ``verificationMethod`` of the Data
  Integrity proofs (``eddsa-rdfc-2022`` wants a Multikey);
* ``did:web:host#key-N-jwk``, a ``JsonWebKey2020`` with its ``publicKeyJwk``: the
  ``kid`` of the VC-JWTs, so that a JOSE verifier dereferencing the DID URL finds a
  JWK (VC-JOSE-COSE), and the same ``kid`` is in the JWKS;
* ``https://host/.well-known/controller.json#key-N``, a ``Multikey`` in a W3C
  controlled-identifier document (CID 1.0), for verifiers that only follow HTTPS URLs
  (OB 3.0 §8.5 makes them the one key reference every verifier supports).

The proofs keep naming the ``did:web`` method: the issuer is ``did:web:host`` and
Data Integrity verifiers (Digital Bazaar's, the DCC's) require the verification
method's controller to be the issuer; a proof naming the HTTPS method would fail
there. The controller document says it is the same key: it lists the DID in
``alsoKnownAs`` and the DID document lists the controller document likewise.

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

from insigne.openbadges import addresses
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
        """The ``did:web`` Multikey method: what Data Integrity proofs name."""
        return f"{did_web(site_url)}#{self.key_id}"

    def jwk_method(self, site_url: str) -> str:
        """The ``did:web`` JsonWebKey method: the ``kid`` of VC-JWTs."""
        return f"{did_web(site_url)}#{self.key_id}-jwk"

    def controller_method(self, site_url: str) -> str:
        """The method of the HTTPS controller document."""
        return f"{controller_url(site_url)}#{self.key_id}"

    def method_ids(self, site_url: str) -> tuple[str, str, str]:
        return (
            self.verification_method(site_url),
            self.jwk_method(site_url),
            self.controller_method(site_url),
        )

    def public_jwk(self) -> dict[str, str]:
        return {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(self.public_bytes)}


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

    @property
    def jwt_kid(self) -> str:
        return self.active.jwk_method(self.site_url)

    def resolve(self, verification_method: str) -> Ed25519PublicKey | None:
        """The public key behind one of our verification method ids (any of the three
        forms of every key, old ones included), else ``None``."""
        for key in self.keys:
            if verification_method in key.method_ids(self.site_url):
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


# Contexts named by the documents we serve but never process ourselves (so not
# vendored in ``rdf/contexts``): ``JsonWebKey2020`` and ``publicKeyJwk`` (W3C CCG
# JWS 2020 suite), and W3C Controlled Identifiers 1.0 for the controller document.
JWS_2020_V1 = "https://w3id.org/security/suites/jws-2020/v1"
CID_V1 = "https://www.w3.org/ns/cid/v1"


def controller_url(site_url: str) -> str:
    return addresses.url(site_url, "controller_json")


def _multikey(key: IssuerKey, method_id: str, controller: str) -> dict[str, Any]:
    return {
        "id": method_id,
        "type": "Multikey",
        "controller": controller,
        "publicKeyMultibase": ed25519_multikey(key.public_bytes),
    }


def did_document(keys: IssuerKeys) -> dict[str, Any]:
    """The ``did:web`` document: every key as a Multikey and as a JWK, all for assertions."""
    methods: list[dict[str, Any]] = []
    for key in keys.keys:
        methods.append(_multikey(key, key.verification_method(keys.site_url), keys.did))
        methods.append(
            {
                "id": key.jwk_method(keys.site_url),
                "type": "JsonWebKey2020",
                "controller": keys.did,
                "publicKeyJwk": key.public_jwk(),
            }
        )
    return {
        "@context": [DID_V1, MULTIKEY_V1, JWS_2020_V1],
        "id": keys.did,
        "alsoKnownAs": [controller_url(keys.site_url)],
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def controller_document(keys: IssuerKeys) -> dict[str, Any]:
    """The same keys in a controller document at an HTTPS URL (W3C CID 1.0, Multikey)."""
    url = controller_url(keys.site_url)
    methods = [_multikey(key, key.controller_method(keys.site_url), url) for key in keys.keys]
    return {
        "@context": CID_V1,
        "id": url,
        "alsoKnownAs": [keys.did],
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def jwks(keys: IssuerKeys) -> dict[str, Any]:
    """JSON Web Key Set of the public keys, each under the ``kid`` of the VC-JWTs
    (``#key-N-jwk``) and, for the tokens signed before it existed, ``#key-N``."""
    return {
        "keys": [
            key.public_jwk() | {"kid": kid, "alg": "EdDSA", "use": "sig"}
            for key in keys.keys
            for kid in (key.jwk_method(keys.site_url), key.verification_method(keys.site_url))
        ]
    }
