"""JSON-LD with local contexts only, a safe mode, and the generic canonical form.

Three guarantees, each with a stable error code (``JsonLdSafetyError.code``):

* ``unknown_context`` — only the vendored contexts (see ``contexts/README.md``)
  are ever loaded, by exact URL; inline contexts are refused too, because they
  could redefine what our terms mean.
* ``undefined_term`` / ``relative_iri`` — pyld silently drops a property or a
  type the contexts do not define, and drops triples whose IRI is relative; a
  signature would then not cover that text. Safe mode refuses such documents.
* ``control_character`` — RDFC-1.0 and pyld disagree on how control characters
  are escaped, and they have no business in a badge: refused in documents,
  stripped from our own input by ``clean_text``.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from pyld import jsonld

from insigne.platform import json_limits
from insigne.platform.errors import CodedError

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3P0 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_V3P0_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DID_V1 = "https://www.w3.org/ns/did/v1"
OPENBADGES_V2 = "https://w3id.org/openbadges/v2"
# Read only when verifying other issuers' badges (VC 1.1, older OB 3.0 contexts, suites).
VC_V1 = "https://www.w3.org/2018/credentials/v1"
OB_V3P0_300 = "https://purl.imsglobal.org/spec/ob/v3p0/context.json"
OB_V3P0_301 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json"
OB_V3P0_302 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json"
OB_V3P0_CONTEXTS = (OB_V3P0_300, OB_V3P0_301, OB_V3P0_302, OB_V3P0)
DATA_INTEGRITY_V1 = "https://w3id.org/security/data-integrity/v1"
ED25519_2020_V1 = "https://w3id.org/security/suites/ed25519-2020/v1"

CONTEXT_FILES: dict[str, str] = {
    VC_V2: "credentials-v2.jsonld",
    OB_V3P0: "ob-v3p0-context-3.0.3.json",
    OB_V3P0_EXTENSIONS: "ob-v3p0-extensions.json",
    DATA_INTEGRITY_V2: "data-integrity-v2.jsonld",
    MULTIKEY_V1: "multikey-v1.jsonld",
    DID_V1: "did-v1.jsonld",
    OPENBADGES_V2: "openbadges-v2.jsonld",
    VC_V1: "credentials-v1.jsonld",
    OB_V3P0_300: "ob-v3p0-context-3.0.0.json",
    OB_V3P0_301: "ob-v3p0-context-3.0.1.json",
    OB_V3P0_302: "ob-v3p0-context-3.0.2.json",
    DATA_INTEGRITY_V1: "data-integrity-v1.jsonld",
    ED25519_2020_V1: "ed25519-signature-2020-v1.jsonld",
}

# Expansion runs with this @vocab underneath the document's contexts: a key or a
# type the contexts do not define then expands into this namespace instead of
# vanishing, so the safe-mode walk can see it.
_UNDEFINED_VOCAB = "urn:insigne:undefined-term#"
_KEYWORDS = frozenset(
    [
        "@base",
        "@container",
        "@context",
        "@direction",
        "@graph",
        "@id",
        "@import",
        "@included",
        "@index",
        "@json",
        "@language",
        "@list",
        "@nest",
        "@none",
        "@prefix",
        "@propagate",
        "@protected",
        "@reverse",
        "@set",
        "@type",
        "@value",
        "@version",
        "@vocab",
    ]
)
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*$")


class JsonLdSafetyError(CodedError):
    """A document the safe mode refuses; ``detail`` says where (for logs and tests)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(code, detail=detail)
        self.detail = detail


@cache
def _context_text(url: str) -> str:
    return (CONTEXTS_DIR / CONTEXT_FILES[url]).read_text(encoding="utf-8")


def load_context(url: str) -> dict[str, Any]:
    """The vendored context document for ``url`` (a fresh copy), or ``unknown_context``."""
    if url not in CONTEXT_FILES:
        raise JsonLdSafetyError("unknown_context", url)
    loaded: dict[str, Any] = json.loads(_context_text(url))
    return loaded


def document_loader(url: str, options: Any = None) -> dict[str, Any]:
    """pyld document loader serving only the local copies; never the network."""
    return {"contextUrl": None, "documentUrl": url, "document": load_context(url)}


_SPACE_LIKE = frozenset("\t\n\x0b\x0c\r\x85")


# Unicode category Cc (C0, DEL, C1) and Cs (lone surrogates, which cannot even
# be encoded): a character class is much faster than unicodedata per character.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _is_control(char: str) -> bool:
    return CONTROL_CHARACTERS.match(char) is not None


def has_control_character(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


def clean_text(text: str) -> str:
    """``text`` without control characters (C0 including newlines and tabs, DEL, C1).

    Every string that goes into a credential passes through here, so what is
    signed never depends on how a canonicaliser escapes such characters.
    """
    if not has_control_character(text):
        return text
    # Line breaks and tabs become spaces so that words do not run together.
    return "".join(
        " " if char in _SPACE_LIKE else char
        for char in text
        if char in _SPACE_LIKE or not _is_control(char)
    )


def present(entries: dict[str, str]) -> dict[str, str]:
    """The non-empty entries, cleaned: an absent fact is left out, not signed empty."""
    cleaned = {key: clean_text(value) for key, value in entries.items()}
    return {key: value for key, value in cleaned.items() if value}


def _walk_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield key
            yield from _walk_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk_strings(item)


def _check_contexts(value: Any, *, top: bool) -> None:
    if isinstance(value, list):
        for item in value:
            _check_contexts(item, top=False)
        return
    if not isinstance(value, Mapping):
        return
    for key, item in value.items():
        if key == "@context":
            urls = item if isinstance(item, list) else [item]
            for url in urls:
                if not isinstance(url, str) or url not in CONTEXT_FILES:
                    raise JsonLdSafetyError("unknown_context", json.dumps(url)[:200])
            if not top:
                raise JsonLdSafetyError("unknown_context", "nested @context")
        elif key.startswith("@") and key not in _KEYWORDS:
            raise JsonLdSafetyError("undefined_term", key)
        else:
            _check_contexts(item, top=False)


def _check_expanded(value: Any, *, key: str = "") -> None:
    if isinstance(value, list):
        for item in value:
            _check_expanded(item, key=key)
    elif isinstance(value, Mapping):
        for child_key, item in value.items():
            if child_key.startswith(_UNDEFINED_VOCAB):
                raise JsonLdSafetyError("undefined_term", child_key[len(_UNDEFINED_VOCAB) :])
            if child_key == "@value":
                continue
            _check_expanded(item, key=child_key)
    elif isinstance(value, str) and key in ("@id", "@type"):
        if value.startswith(_UNDEFINED_VOCAB):
            raise JsonLdSafetyError("undefined_term", value[len(_UNDEFINED_VOCAB) :])
        if not value.startswith("_:") and not _ABSOLUTE_IRI.match(value):
            raise JsonLdSafetyError("relative_iri", value[:200])


def _check_depth(doc: Mapping[str, Any]) -> None:
    """Expansion and the walks below recurse once per level: a deep document is refused
    first, by an iterative measure."""
    found = json_limits.depth(doc)
    if found > json_limits.MAX_DEPTH:
        raise JsonLdSafetyError("jsonld_too_deep", f"depth {found}")


def check_safe(doc: Mapping[str, Any]) -> None:
    """Raise ``JsonLdSafetyError`` unless every term, IRI and string of ``doc`` is safe."""
    _check_depth(doc)
    for text in _walk_strings(doc):
        if has_control_character(text):
            raise JsonLdSafetyError("control_character", repr(text[:80]))
    if "@context" not in doc:
        raise JsonLdSafetyError("unknown_context", "no @context")
    _check_contexts(doc, top=True)
    expanded = jsonld.expand(
        copy.deepcopy(dict(doc)),
        {
            "documentLoader": document_loader,
            "expandContext": {"@vocab": _UNDEFINED_VOCAB},
            "base": None,
        },
    )
    _check_expanded(expanded)


def canonicalize_generic(doc: Mapping[str, Any], *, safe: bool = True) -> str:
    """RDFC-1.0 canonical N-Quads of any JSON-LD document, through pyld."""
    if safe:
        check_safe(doc)
    else:
        _check_depth(doc)
    result: str = jsonld.normalize(
        copy.deepcopy(dict(doc)),
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": document_loader,
            # pyld would otherwise resolve relative IRIs against http://example.org/base/
            "base": None,
        },
    )
    return result
