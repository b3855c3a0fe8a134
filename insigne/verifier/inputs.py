"""What was handed to the verifier: a JSON credential, a VC-JWT, a baked PNG or SVG.

:func:`read_input` detects the kind from the bytes themselves (PNG signature,
first non-space character, three base64url parts), unbakes images, and returns
the credential text with where it came from. A file it cannot read raises
:class:`InputError` with a stable ``code`` and a French message.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from typing import Any, Literal
from xml.dom.minidom import Element
from xml.parsers.expat import ExpatError

from defusedxml import DefusedXmlException
from defusedxml.minidom import parseString

from insigne.openbadges.baking import (
    OB2_KEYWORD,
    OB3_KEYWORD,
    PNG_SIGNATURE,
    BakingError,
    unbake_png,
    unbake_svg,
)

MAX_INPUT_BYTES = 2 * 1024 * 1024
Container = Literal["json", "jwt", "png", "svg", "url"]
JWS = re.compile(r"^[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+$")
# A badge image is shown to people; an SVG able to run code is refused outright.
_ACTIVE_ELEMENTS = frozenset(["script", "foreignObject", "iframe", "object", "embed", "handler"])


class InputError(ValueError):
    def __init__(self, code: str, message_fr: str) -> None:
        super().__init__(message_fr)
        self.code = code
        self.message_fr = message_fr


@dataclass(frozen=True)
class Payload:
    """The credential text (JSON, compact JWS or URL) and the container it came in."""

    container: Container
    text: str
    kind: Literal["json", "jwt", "url"]


def kind_of(text: str) -> Literal["json", "jwt", "url"] | None:
    stripped = text.strip()
    if stripped.startswith("{"):
        return "json"
    if JWS.match(stripped):
        return "jwt"
    if stripped.startswith(("https://", "http://")) and " " not in stripped:
        return "url"
    return None


def _decode_text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            "unknown_format", "Ce fichier n'est ni une image de badge ni du texte."
        ) from error


def _is_event_attribute(name: str, value: str) -> bool:
    if name.lower().startswith("on"):
        return True
    return name.lower().endswith("href") and value.strip().lower().startswith("javascript:")


def _has_active_content(element: Element) -> bool:
    if element.localName in _ACTIVE_ELEMENTS:
        return True
    for name, value in element.attributes.items():
        if _is_event_attribute(name, value):
            return True
    return any(
        _has_active_content(child) for child in element.childNodes if isinstance(child, Element)
    )


def _refuse_active_svg(svg: str) -> None:
    try:
        root = parseString(svg.encode("utf-8")).documentElement
    except (ExpatError, DefusedXmlException, ValueError) as error:
        raise InputError("svg_invalid", "Ce fichier SVG est illisible.") from error
    if root is not None and _has_active_content(root):
        raise InputError(
            "svg_script", "Ce fichier SVG contient du code exécutable : il est refusé par sécurité."
        )


def _from_baked(found: dict[str, str], container: Container) -> Payload:
    for keyword in (OB3_KEYWORD, OB2_KEYWORD):
        text = found.get(keyword, "").strip()
        kind = kind_of(text)
        if kind is not None:
            return Payload(container, text, kind)
    raise InputError(
        "not_baked", "Cette image ne contient pas de badge (aucune donnée Open Badges)."
    )


def _unbake(data: bytes, text: str | None) -> Payload:
    try:
        if text is None:
            return _from_baked(unbake_png(data), "png")
        _refuse_active_svg(text)
        return _from_baked(unbake_svg(text), "svg")
    except BakingError as error:
        raise InputError(error.code, error.message) from error


def read_input(data: bytes | str) -> Payload:
    """The credential carried by ``data``, whatever its kind, or ``InputError``."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_INPUT_BYTES:
        raise InputError("too_large", "Le fichier dépasse 2 Mio.")
    if not raw.strip():
        raise InputError("empty", "Aucun badge n'a été fourni.")
    if raw.startswith(PNG_SIGNATURE):
        return _unbake(raw, None)
    text = data if isinstance(data, str) else _decode_text(raw)
    stripped = text.strip()
    if stripped.startswith("<"):
        return _unbake(raw, stripped)
    kind = kind_of(stripped)
    if kind is None:
        raise InputError(
            "unknown_format",
            "Format non reconnu : déposez une image PNG ou SVG, du JSON ou un JWT.",
        )
    container: Container = "url" if kind == "url" else kind
    return Payload(container, stripped, kind)


def json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError as error:
        raise InputError("json_invalid", "Le texte JSON est illisible.") from error
    if not isinstance(value, dict):
        raise InputError("json_invalid", "Le JSON n'est pas un objet.")
    return value


def b64url_json(part: str) -> dict[str, Any]:
    try:
        decoded = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        return json_object(decoded.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise InputError("jwt_invalid", "Le JWT est illisible.") from error
