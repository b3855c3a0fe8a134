"""RDFC-1.0 canonical N-Quads of our own credentials, without JSON-LD expansion.

The generic path (pyld) spends most of its time expanding JSON-LD. Our
credentials, their proof options and our status list always have the same
shape, so this module reads that shape directly: a table gives, for each node
type we emit, every key we use with its predicate IRI and value kind, exactly as
the vendored contexts define them. Anything outside the table (another key, a
nested ``@context``, a number where we put strings, a relative IRI, a control
character...) makes ``canonicalize_known`` return ``None``, and the caller takes
the generic path. The differential tests check the output byte for byte
against pyld.

Blank nodes are labelled with the first-degree hashes of RDFC-1.0 (section
4.6): in our documents each blank node has distinct content, so every hash is
unique and the N-degree step is never needed. That assumption is checked on
every call; when two blank nodes share a hash, we also fall back.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from insigne.openbadges.rdf.jsonld import (
    CONTROL_CHARACTERS,
    OB_V3P0,
    VC_V2,
    canonicalize_generic,
)

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
OB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
SDO = "https://schema.org/"
CRED = "https://www.w3.org/2018/credentials#"
STATUS = "https://www.w3.org/ns/credentials/status#"
SEC = "https://w3id.org/security#"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
XSD_ANYURI = "https://www.w3.org/2001/XMLSchema#anyURI"
XSD_BOOLEAN = "https://www.w3.org/2001/XMLSchema#boolean"

# What pyld accepts as an absolute IRI, minus the characters N-Quads cannot carry
# unescaped in an IRIREF: anything else goes the generic way.
_IRI = re.compile(r'^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>"{}|\\^`]*$')


class _Unknown(Exception):
    """The document leaves the known shape: use the generic path."""


# A term of a quad: a string already in N-Quads form, or an int naming a blank node.
Term = str | int
Quad = tuple[Term, str, Term]


@dataclass(frozen=True)
class _Kind:
    """One node type: its rdf:type IRIs and the keys we read, with their handlers."""

    types: dict[str, str]
    keys: dict[str, Callable[[_Emitter, Term, str, Any], None]]


class _Emitter:
    """Collects quads: ground ones as finished N-Quads lines, others as tuples."""

    def __init__(self) -> None:
        self.ground: list[str] = []
        self.blank_quads: list[Quad] = []
        self.blank_count = 0

    def add(self, subject: Term, predicate: str, obj: Term) -> None:
        if isinstance(subject, str) and isinstance(obj, str):
            self.ground.append(f"{subject} {predicate} {obj} .\n")
        else:
            self.blank_quads.append((subject, predicate, obj))

    def node(self, kind: _Kind, value: Any) -> Term:
        if not isinstance(value, Mapping):
            raise _Unknown
        subject: Term
        if "id" in value:
            subject = _iri(value["id"])
        else:
            subject = self.blank_count
            self.blank_count += 1
        # Our keys mean what the table says only under the type-scoped context of
        # the node's type: a typed kind must carry its type.
        if kind.types and not value.get("type"):
            raise _Unknown
        for key, item in value.items():
            if key == "id":
                continue
            if key == "type":
                for type_name in _strings(item):
                    if type_name not in kind.types:
                        raise _Unknown
                    self.add(subject, RDF_TYPE, kind.types[type_name])
                continue
            handler = kind.keys.get(key)
            if handler is None:
                raise _Unknown
            handler(self, subject, key, item)
        return subject


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    items = value if isinstance(value, list) else [value]
    for item in items:
        if not isinstance(item, str):
            raise _Unknown
    return items


def _iri(value: Any) -> str:
    if not isinstance(value, str) or not _IRI.match(value):
        raise _Unknown
    return f"<{value}>"


def _escape(text: str) -> str:
    if CONTROL_CHARACTERS.search(text):
        raise _Unknown
    if "\\" in text or '"' in text:
        return text.replace("\\", "\\\\").replace('"', '\\"')
    return text


def literal(predicate: str, datatype: str | None = None) -> Any:
    """Handler for a plain string (or typed) literal under ``predicate``."""
    suffix = f"^^<{datatype}>" if datatype else ""
    pred = f"<{predicate}>"

    def handle(emitter: _Emitter, subject: Term, key: str, value: Any) -> None:
        if isinstance(value, str) and isinstance(subject, str):  # the common case, inlined
            emitter.ground.append(f'{subject} {pred} "{_escape(value)}"{suffix} .\n')
            return
        for text in _strings(value):
            emitter.add(subject, pred, f'"{_escape(text)}"{suffix}')

    return handle


def boolean(predicate: str) -> Any:
    pred = f"<{predicate}>"

    def handle(emitter: _Emitter, subject: Term, key: str, value: Any) -> None:
        if not isinstance(value, bool):
            raise _Unknown
        text = "true" if value else "false"
        emitter.add(subject, pred, f'"{text}"^^<{XSD_BOOLEAN}>')

    return handle


def reference(predicate: str) -> Any:
    """Handler for an ``@type: @id`` term given as an IRI string."""
    pred = f"<{predicate}>"

    def handle(emitter: _Emitter, subject: Term, key: str, value: Any) -> None:
        for text in _strings(value):
            emitter.add(subject, pred, _iri(text))

    return handle


def vocab(predicate: str, terms: dict[str, str]) -> Any:
    """Handler for an ``@type: @vocab`` term whose allowed values are ``terms``."""
    pred = f"<{predicate}>"

    def handle(emitter: _Emitter, subject: Term, key: str, value: Any) -> None:
        for text in _strings(value):
            if text not in terms:
                raise _Unknown
            emitter.add(subject, pred, f"<{terms[text]}>")

    return handle


def nested(predicate: str, kind: Callable[[], _Kind], *, allow_iri: bool = False) -> Any:
    """Handler for embedded node objects of ``kind`` (a list means several values)."""
    pred = f"<{predicate}>"

    def handle(emitter: _Emitter, subject: Term, key: str, value: Any) -> None:
        for item in value if isinstance(value, list) else [value]:
            if allow_iri and isinstance(item, str):
                emitter.add(subject, pred, _iri(item))
            else:
                emitter.add(subject, pred, emitter.node(kind(), item))

    return handle


def _types(**names: str) -> dict[str, str]:
    return {name: f"<{iri}>" for name, iri in names.items()}


IMAGE = _Kind(_types(Image=OB + "Image"), {"caption": literal(SDO + "caption")})
ALIGNMENT = _Kind(
    _types(Alignment=SDO + "AlignmentObject"),
    {
        "targetName": literal(SDO + "targetName"),
        "targetUrl": literal(SDO + "targetUrl", XSD_ANYURI),
        "targetDescription": literal(SDO + "targetDescription"),
        "targetFramework": literal(SDO + "targetFramework"),
        "targetCode": literal(OB + "targetCode"),
    },
)
CRITERIA = _Kind({}, {"narrative": literal(OB + "narrative")})
ACHIEVEMENT = _Kind(
    _types(Achievement=OB + "Achievement"),
    {
        "name": literal(SDO + "name"),
        "description": literal(SDO + "description"),
        "criteria": nested(OB + "Criteria", lambda: CRITERIA),
        "inLanguage": literal(SDO + "inLanguage"),
        "image": nested(OB + "image", lambda: IMAGE, allow_iri=True),
        "alignment": nested(OB + "alignment", lambda: ALIGNMENT),
    },
)
IDENTITY = _Kind(
    _types(IdentityObject=OB + "IdentityObject"),
    {
        "identityHash": literal(OB + "identityHash"),
        "identityType": literal(OB + "identityType"),
        "hashed": boolean(OB + "hashed"),
        "salt": literal(OB + "salt"),
    },
)
SUBJECT = _Kind(
    _types(AchievementSubject=OB + "AchievementSubject"),
    {
        "name": literal(SDO + "name"),
        "identifier": nested(OB + "identifier", lambda: IDENTITY),
        "achievement": nested(OB + "achievement", lambda: ACHIEVEMENT),
    },
)
PROFILE = _Kind(
    _types(Profile=OB + "Profile"),
    {
        "name": literal(SDO + "name"),
        "url": literal(SDO + "url", XSD_ANYURI),
        "email": literal(SDO + "email"),
        "image": nested(OB + "image", lambda: IMAGE, allow_iri=True),
    },
)
EVIDENCE = _Kind(
    _types(Evidence=OB + "Evidence"),
    {
        "name": literal(SDO + "name"),
        "narrative": literal(OB + "narrative"),
        "description": literal(SDO + "description"),
        "genre": literal(SDO + "genre"),
        "audience": literal(SDO + "audience"),
    },
)
STATUS_ENTRY = _Kind(
    _types(BitstringStatusListEntry=STATUS + "BitstringStatusListEntry"),
    {
        "statusPurpose": literal(STATUS + "statusPurpose"),
        "statusListIndex": literal(STATUS + "statusListIndex"),
        "statusListCredential": reference(STATUS + "statusListCredential"),
    },
)
STATUS_LIST = _Kind(
    _types(BitstringStatusList=STATUS + "BitstringStatusList"),
    {
        "statusPurpose": literal(STATUS + "statusPurpose"),
        "encodedList": literal(STATUS + "encodedList", SEC + "multibase"),
    },
)
_CREDENTIAL_KEYS = {
    "name": literal(SDO + "name"),
    "description": literal(SDO + "description"),
    "issuer": nested(CRED + "issuer", lambda: PROFILE, allow_iri=True),
    "validFrom": literal(CRED + "validFrom", XSD_DATETIME),
}
CREDENTIAL = _Kind(
    _types(
        VerifiableCredential=CRED + "VerifiableCredential",
        OpenBadgeCredential=OB + "OpenBadgeCredential",
    ),
    _CREDENTIAL_KEYS
    | {
        "credentialSubject": nested(CRED + "credentialSubject", lambda: SUBJECT),
        "evidence": nested(CRED + "evidence", lambda: EVIDENCE),
        "credentialStatus": nested(CRED + "credentialStatus", lambda: STATUS_ENTRY),
    },
)
# Signed under the VC 2.0 context alone, where ``Profile`` is not defined: the
# issuer can only be an IRI here.
STATUS_CREDENTIAL = _Kind(
    _types(
        VerifiableCredential=CRED + "VerifiableCredential",
        BitstringStatusListCredential=STATUS + "BitstringStatusListCredential",
    ),
    _CREDENTIAL_KEYS
    | {
        "issuer": reference(CRED + "issuer"),
        "credentialSubject": nested(CRED + "credentialSubject", lambda: STATUS_LIST),
    },
)
PROOF_OPTIONS = _Kind(
    _types(DataIntegrityProof=SEC + "DataIntegrityProof"),
    {
        "cryptosuite": literal(SEC + "cryptosuite", SEC + "cryptosuiteString"),
        "created": literal("http://purl.org/dc/terms/created", XSD_DATETIME),
        "verificationMethod": reference(SEC + "verificationMethod"),
        "proofPurpose": vocab(SEC + "proofPurpose", {"assertionMethod": SEC + "assertionMethod"}),
    },
)
_OB3 = (VC_V2, OB_V3P0)
_VC = (VC_V2,)
# The top-level node's kind follows from its @context and type list, exactly as
# written (the same type means other terms under other contexts).
_TOP_KINDS: dict[tuple[tuple[str, ...], tuple[str, ...]], _Kind] = {
    (_OB3, ("VerifiableCredential", "OpenBadgeCredential")): CREDENTIAL,
    (_OB3, ("DataIntegrityProof",)): PROOF_OPTIONS,
    (_VC, ("VerifiableCredential", "BitstringStatusListCredential")): STATUS_CREDENTIAL,
    (_VC, ("DataIntegrityProof",)): PROOF_OPTIONS,
}


def _as_tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, list) else (value,)


def _top_kind(doc: Mapping[str, Any]) -> _Kind:
    kind = _TOP_KINDS.get((_as_tuple(doc.get("@context")), _as_tuple(doc.get("type"))))
    if kind is None:
        raise _Unknown
    return kind


def _emit(doc: Mapping[str, Any]) -> _Emitter:
    kind = _top_kind(doc)
    emitter = _Emitter()
    emitter.node(kind, {key: value for key, value in doc.items() if key != "@context"})
    return emitter


def _first_degree_hashes(quads: list[Quad], blank_count: int) -> list[str]:
    """RDFC-1.0 §4.6 for each blank node: its quads with itself as _:a, others as _:z."""
    lines: list[list[str]] = [[] for _ in range(blank_count)]
    for subject, predicate, obj in quads:
        if isinstance(subject, int):
            o = obj if isinstance(obj, str) else ("_:a" if obj == subject else "_:z")
            lines[subject].append(f"_:a {predicate} {o} .\n")
        if isinstance(obj, int) and obj != subject:
            s = subject if isinstance(subject, str) else "_:z"
            lines[obj].append(f"{s} {predicate} _:a .\n")
    return [
        hashlib.sha256("".join(sorted(node_lines)).encode()).hexdigest() for node_lines in lines
    ]


def canonicalize_known(doc: Mapping[str, Any]) -> str | None:
    """Canonical N-Quads of a document of our known shape, or ``None`` if it is not one.

    The emitter follows our shapes, one call per level: a document deeper than any
    of them is not one of them, and gives up at Python's recursion limit without a
    walk of its own on the hot path (the generic path then refuses it, see
    ``jsonld.check_safe``)."""
    try:
        emitter = _emit(doc)
    except (_Unknown, RecursionError):
        return None
    # An RDF dataset is a set: a value written twice is one quad.
    quads = list(dict.fromkeys(emitter.blank_quads))
    hashes = _first_degree_hashes(quads, emitter.blank_count)
    if len(set(hashes)) != emitter.blank_count:
        return None  # two blank nodes look alike: RDFC-1.0 needs its N-degree step
    labels = [""] * emitter.blank_count
    for rank, node in enumerate(sorted(range(emitter.blank_count), key=hashes.__getitem__)):
        labels[node] = f"_:c14n{rank}"
    lines = set(emitter.ground)
    for subject, predicate, obj in quads:
        s = subject if isinstance(subject, str) else labels[subject]
        o = obj if isinstance(obj, str) else labels[obj]
        lines.add(f"{s} {predicate} {o} .\n")
    return "".join(sorted(lines))


def canonicalize(doc: Mapping[str, Any]) -> str:
    """Canonical N-Quads (RDFC-1.0) of ``doc``: our fast path when the shape is known,
    otherwise pyld with the safe mode (which raises ``JsonLdSafetyError``)."""
    known = canonicalize_known(doc)
    if known is not None:
        return known
    return canonicalize_generic(doc)
