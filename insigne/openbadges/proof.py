"""Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (W3C vc-di-eddsa).

Signing: canonicalise the proof options (with the document's ``@context``) and
the document without its proof, hash each with SHA-256, sign
``hash(proof options) + hash(document)`` with Ed25519, and store the proof in
an array (the OB 3.0 JSON Schema wants one).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyld.jsonld import JsonLdError

from insigne.openbadges.checks import Check
from insigne.openbadges.keys import KeyResolver
from insigne.openbadges.multibase import decode_multibase_z, multibase_z
from insigne.openbadges.rdf.canon import canonicalize
from insigne.openbadges.rdf.jsonld import JsonLdSafetyError

CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"
PROOF_PURPOSE = "assertionMethod"


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
) -> bytes:
    """The bytes signed: SHA-256 of the canonical proof options, then of the document."""
    config = {"@context": document["@context"], **options}
    canonical = _known_options(config) if canonicalizer is canonicalize else None
    if canonical is None:
        canonical = canonicalizer(config)
    config_hash = hashlib.sha256(canonical.encode()).digest()
    document_hash = hashlib.sha256(canonicalizer(document).encode()).digest()
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


def _our_proof(document: Mapping[str, Any]) -> Mapping[str, Any] | None:
    proofs = document.get("proof")
    proofs = proofs if isinstance(proofs, list) else [proofs]
    for proof in proofs:
        if isinstance(proof, Mapping) and proof.get("cryptosuite") == CRYPTOSUITE:
            return proof
    return None


def _check_options(proof: Mapping[str, Any]) -> list[Check]:
    if proof.get("type") != PROOF_TYPE or not isinstance(proof.get("proofValue"), str):
        return [Check.failure("proof_malformed")]
    if proof.get("proofPurpose") != PROOF_PURPOSE:
        return [Check.failure("proof_purpose")]
    if not isinstance(proof.get("verificationMethod"), str):
        return [Check.failure("proof_malformed", "proof_no_key")]
    return []


def verify(document: Mapping[str, Any], resolve_key: KeyResolver) -> list[Check]:
    """Checks of the ``eddsa-rdfc-2022`` proof of ``document``; the last one is the signature."""
    if "@context" not in document:
        return [Check.failure("unknown_context")]
    proof = _our_proof(document)
    if proof is None:
        return [Check.failure("proof_missing")]
    problems = _check_options(proof)
    if problems:
        return problems
    public_key = resolve_key(proof["verificationMethod"])
    if public_key is None:
        return [Check.failure("key_unknown")]
    unsigned = {name: value for name, value in document.items() if name != "proof"}
    options = {name: value for name, value in proof.items() if name != "proofValue"}
    try:
        signed_bytes = hash_data(unsigned, options)
        signature = decode_multibase_z(proof["proofValue"])
    except JsonLdSafetyError as error:
        return [Check.from_error(error)]
    except JsonLdError:
        return [Check.failure("jsonld_invalid")]
    except (ValueError, KeyError, TypeError):
        return [Check.failure("proof_malformed")]
    try:
        public_key.verify(signature, signed_bytes)
    except InvalidSignature:
        return [Check.failure("signature", "signature_mismatch")]
    return [
        Check.success("jsonld", "jsonld_safe"),
        Check.success("signature", "signature_valid"),
    ]
