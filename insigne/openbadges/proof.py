"""Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (W3C vc-di-eddsa).

Signing: canonicalise the proof options (with the document's ``@context``) and
the document without its proof, hash each with SHA-256, sign
``hash(proof options) + hash(document)`` with Ed25519, and store the proof in
an array (the OB 3.0 JSON Schema wants one).

Verifying reads what other issuers emit too, all on the same RDFC-1.0 recipe:

* ``DataIntegrityProof`` / ``eddsa-rdfc-2022`` (Ed25519);
* ``DataIntegrityProof`` / ``ecdsa-rdfc-2019`` (W3C vc-di-ecdsa: P-256 with SHA-256,
  P-384 with SHA-384; the signature is the raw ``r || s``);
* ``Ed25519Signature2020`` (the W3C CCG suite the DCC wallets still hold).

Any other proof is *unsupported* (a check ``unsupported`` naming the suite), not
"forged": the verdict then says which format it is and where else to check it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from pyld.jsonld import JsonLdError

from insigne.openbadges.checks import Check
from insigne.openbadges.keys import KeyResolver
from insigne.openbadges.multibase import decode_multibase_z, multibase_z
from insigne.openbadges.rdf.canon import canonicalize
from insigne.openbadges.rdf.jsonld import JsonLdSafetyError

CRYPTOSUITE = "eddsa-rdfc-2022"
ECDSA_SUITE = "ecdsa-rdfc-2019"
ED25519_2020 = "Ed25519Signature2020"
PROOF_TYPE = "DataIntegrityProof"
PROOF_PURPOSE = "assertionMethod"
# What a proof's suite is called: its cryptosuite, or its type for the older suites.
SUPPORTED_SUITES = frozenset([CRYPTOSUITE, ECDSA_SUITE, ED25519_2020])


def proof_options(verification_method: str, created: str) -> dict[str, Any]:
    return {
        "type": PROOF_TYPE,
        "created": created,
        "verificationMethod": verification_method,
        "cryptosuite": CRYPTOSUITE,
        "proofPurpose": PROOF_PURPOSE,
    }


Canonicalizer = Callable[[Mapping[str, Any]], str]


def hash_data(
    document: Mapping[str, Any],
    options: Mapping[str, Any],
    canonicalizer: Canonicalizer = canonicalize,
    digest: str = "sha256",
) -> bytes:
    """The bytes signed: the hash of the canonical proof options, then of the document."""
    config = {"@context": document["@context"], **options}
    canonical = _known_options(config) if canonicalizer is canonicalize else None
    if canonical is None:
        canonical = canonicalizer(config)
    config_hash = hashlib.new(digest, canonical.encode()).digest()
    document_hash = hashlib.new(digest, canonicalizer(document).encode()).digest()
    return config_hash + document_hash


# Proof options differ between credentials only by ``created``. Their canonical
# form has one blank node and one line per option, sorted by predicate, so it is
# a fixed text with the date in it: canonicalised once per key and context,
# then filled in. Anything else (other keys, a date with other characters)
# goes through the canonicaliser.
_OPTION_KEYS = frozenset(
    ["@context", "type", "created", "verificationMethod", "cryptosuite", "proofPurpose"]
)
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z")
_PLACEHOLDER = "2000-01-01T00:00:00Z"


def _known_options(config: Mapping[str, Any]) -> str | None:
    context = config.get("@context")
    created = config.get("created")
    if set(config) != _OPTION_KEYS or not isinstance(created, str):
        return None
    if not _DATETIME.fullmatch(created) or not isinstance(context, list):
        return None
    if not all(isinstance(item, str) for item in context):
        return None
    others = tuple(
        str(config[key]) for key in ("type", "verificationMethod", "cryptosuite", "proofPurpose")
    )
    template = _options_template(tuple(context), others)
    return template.replace(f'"{_PLACEHOLDER}"', f'"{created}"', 1)


@lru_cache(maxsize=64)
def _options_template(context: tuple[str, ...], others: tuple[str, ...]) -> str:
    proof_type, method, suite, purpose = others
    config = {
        "@context": list(context),
        "type": proof_type,
        "created": _PLACEHOLDER,
        "verificationMethod": method,
        "cryptosuite": suite,
        "proofPurpose": purpose,
    }
    return canonicalize(config)


def sign(
    document: Mapping[str, Any],
    key: Ed25519PrivateKey,
    verification_method: str,
    created: str,
    canonicalizer: Canonicalizer = canonicalize,
) -> dict[str, Any]:
    """``document`` with an ``eddsa-rdfc-2022`` proof in its ``proof`` array.

    ``canonicalizer`` is only ever changed to compare with the generic path.
    """
    unsigned = {name: value for name, value in document.items() if name != "proof"}
    options = proof_options(verification_method, created)
    signature = key.sign(hash_data(unsigned, options, canonicalizer))
    return unsigned | {"proof": [options | {"proofValue": multibase_z(signature)}]}


def suite_of(proof: Mapping[str, Any]) -> str:
    """A proof's suite name: its ``cryptosuite`` (Data Integrity) or its ``type``."""
    if proof.get("type") == PROOF_TYPE:
        return str(proof.get("cryptosuite") or PROOF_TYPE)
    return str(proof.get("type") or "")


def _proofs(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    proofs = document.get("proof")
    proofs = proofs if isinstance(proofs, list) else [proofs]
    return [proof for proof in proofs if isinstance(proof, Mapping)]


def _check_options(proof: Mapping[str, Any]) -> list[Check]:
    if not isinstance(proof.get("proofValue"), str):
        return [Check.failure("proof_malformed")]
    if proof.get("proofPurpose") != PROOF_PURPOSE:
        return [Check.failure("proof_purpose")]
    if not isinstance(proof.get("verificationMethod"), str):
        return [Check.failure("proof_malformed", "proof_no_key")]
    return []


_CURVE_DIGESTS = {"secp256r1": "sha256", "secp384r1": "sha384"}


def _signature_valid(suite: str, public_key: Any, proof: Mapping[str, Any], data: bytes) -> bool:
    """Check ``proofValue`` over ``data`` with a key of the kind ``suite`` wants."""
    signature = decode_multibase_z(str(proof["proofValue"]))
    try:
        if suite == ECDSA_SUITE:
            size = (public_key.curve.key_size + 7) // 8
            if len(signature) != 2 * size:
                return False
            der = encode_dss_signature(
                int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big")
            )
            digest = hashes.SHA256() if size == 32 else hashes.SHA384()
            public_key.verify(der, data, ec.ECDSA(digest))
        else:
            public_key.verify(signature, data)
    except InvalidSignature:
        return False
    return True


def _key_fits(suite: str, public_key: Any) -> bool:
    if suite == ECDSA_SUITE:
        return (
            isinstance(public_key, ec.EllipticCurvePublicKey)
            and public_key.curve.name in _CURVE_DIGESTS
        )
    return isinstance(public_key, Ed25519PublicKey)


def verify(document: Mapping[str, Any], resolve_key: KeyResolver) -> list[Check]:
    """Checks of the proof of ``document`` (a supported suite); the last one is the signature."""
    if "@context" not in document:
        return [Check.failure("unknown_context")]
    proofs = _proofs(document)
    if not proofs:
        return [Check.failure("proof_missing")]
    supported = [proof for proof in proofs if suite_of(proof) in SUPPORTED_SUITES]
    if not supported:
        return [Check.failure("unsupported", "format_unsupported", format=suite_of(proofs[0]))]
    proof = supported[0]
    suite = suite_of(proof)
    problems = _check_options(proof)
    if problems:
        return problems
    public_key = resolve_key(proof["verificationMethod"])
    if public_key is None:
        return [Check.failure("key_unknown")]
    if not _key_fits(suite, public_key):
        return [Check.failure("key_unknown", "key_unreadable")]
    unsigned = {name: value for name, value in document.items() if name != "proof"}
    options = {name: value for name, value in proof.items() if name != "proofValue"}
    digest = "sha256"
    if suite == ECDSA_SUITE:
        digest = _CURVE_DIGESTS[public_key.curve.name]  # type: ignore[union-attr]
    try:
        signed_bytes = hash_data(unsigned, options, digest=digest)
        valid = _signature_valid(suite, public_key, proof, signed_bytes)
    except JsonLdSafetyError as error:
        return [Check.from_error(error)]
    except JsonLdError:
        return [Check.failure("jsonld_invalid")]
    except (ValueError, KeyError, TypeError):
        return [Check.failure("proof_malformed")]
    if not valid:
        return [Check.failure("signature", "signature_mismatch")]
    return [
        Check.success("jsonld", "jsonld_safe"),
        Check.success("signature", "signature_valid"),
    ]
