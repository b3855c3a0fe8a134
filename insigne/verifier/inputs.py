"""What was handed to the verifier: a JSON credential, a VC-JWT, a baked PNG or SVG.

:func:`read_input` detects the kind from the bytes themselves (PNG signature,
first non-space character, three base64url parts), unbakes images, and returns
the credential text with where it came from. A file it cannot read raises
:class:`InputError` with a stable ``code`` (its sentence: ``insigne.platform.messages``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from insigne.openbadges import svg
from insigne.openbadges.baking import (
    OB2_KEYWORD,
    OB3_KEYWORD,
    PNG_SIGNATURE,
    BakingError,
    unbake_png,
    unbake_svg,
)
from insigne.platform import json_limits
from insigne.platform.errors import CodedError
from insigne.verifier.qr import QrError, looks_like_photo, read_qr

MAX_INPUT_BYTES = 2 * 1024 * 1024
Container = Literal["json", "jwt", "png", "svg", "url", "id", "qr"]
Kind = Literal["json", "jwt", "url", "id"]
# An address pasted without its scheme ("badges.example.fr/badges/abc"): a host name
# with a dot (or localhost, or an address), an optional port, then a path.
BARE_URL = re.compile(
    r"^(?:[A-Za-z0-9-]+\.)+[A-Za-z0-9-]+(?::\d{1,5})?/\S*$|^localhost(?::\d{1,5})?/\S*$"
)
# The identifier LinkedIn shows under a certification: one of our badges' public id.
PUBLIC_ID = re.compile(r"^[A-Za-z0-9_-]{8,32}$")
# The signature part may be empty: an unsigned token (``alg: none``) is read, then refused.
JWS = re.compile(r"^[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*$")


class InputError(CodedError):
    """What was handed to the verifier cannot be read as a badge."""


@dataclass(frozen=True)
class Payload:
    """The credential text (JSON, compact JWS or URL) and the container it came in."""

    container: Container
    text: str
    kind: Kind


def kind_of(text: str) -> Kind | None:
    """What pasted text is: JSON, a compact JWS, an address (with or without its scheme)
    or a badge identifier as LinkedIn shows it."""
    stripped = text.strip()
    if stripped.startswith("{"):
        return "json"
    if JWS.match(stripped):
        return "jwt"
    if stripped.startswith(("https://", "http://")) and not any(c.isspace() for c in stripped):
        return "url"
    if BARE_URL.match(stripped):
        return "url"
    if PUBLIC_ID.match(stripped):
        return "id"
    return None


def with_scheme(url: str, site_url: str, http_hosts: frozenset[str]) -> str:
    """An address with its scheme: as given; else our site's own for our host, http for the
    hosts allowed over http (tests), https for everyone else."""
    if url.startswith(("https://", "http://")):
        return url
    host = url.split("/", 1)[0].lower()
    site_scheme, _, site_host = site_url.partition("://")
    if host == site_host.split("/", 1)[0].lower():
        return f"{site_scheme}://{url}"
    return f"{'http' if host in http_hosts else 'https'}://{url}"


def _decode_text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError("unknown_format", reason="not_text") from error


def _refuse_active_svg(text: str) -> None:
    """A badge image is shown to people: an SVG able to run code is refused outright."""
    try:
        found = svg.findings(svg.parse(text.encode("utf-8"), forbid_dtd=False))
    except svg.SvgError as error:
        if error.code == "svg_too_complex":
            raise InputError(error.code, reason=error.reason, **error.params) from error
        raise InputError("svg_invalid") from error
    if svg.ACTIVE.intersection(found):
        raise InputError("svg_script")


def _from_baked(found: dict[str, str], container: Container) -> Payload:
    for keyword in (OB3_KEYWORD, OB2_KEYWORD):
        text = found.get(keyword, "").strip()
        kind = kind_of(text)
        if kind is not None:
            return Payload(container, text, kind)
    raise InputError("not_baked")


def _unbake(data: bytes, text: str | None) -> Payload:
    try:
        if text is None:
            return _from_baked(unbake_png(data), "png")
        _refuse_active_svg(text)
        return _from_baked(unbake_svg(text), "svg")
    except BakingError as error:
        raise InputError(error.code, reason=error.reason, **error.params) from error


def _from_qr(data: bytes, otherwise: InputError) -> Payload:
    """The address or identifier in an image's QR code (a photo of a badge page or PDF)."""
    try:
        text = read_qr(data)
    except QrError as error:
        # A PNG that is neither baked nor a QR code: say it is not baked, as before.
        raise (
            otherwise
            if otherwise.code == "not_baked"
            else InputError(error.code, reason=error.reason)
        ) from error
    kind = kind_of(text)
    if kind not in ("url", "id"):
        raise InputError("qr_unreadable", reason="qr_not_badge")
    return Payload("qr", text, kind)


def read_input(data: bytes | str) -> Payload:
    """The credential carried by ``data``, whatever its kind, or ``InputError``."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_INPUT_BYTES:
        raise InputError("too_large", mib=MAX_INPUT_BYTES // (1024 * 1024))
    if not raw.strip():
        raise InputError("empty")
    if raw.startswith(PNG_SIGNATURE):
        try:
            return _unbake(raw, None)
        except InputError as error:
            if error.code != "not_baked":
                raise
            return _from_qr(raw, error)
    if looks_like_photo(raw):
        return _from_qr(raw, InputError("qr_unreadable"))
    text = data if isinstance(data, str) else _decode_text(raw)
    stripped = text.strip()
    if stripped.startswith("<"):
        return _unbake(raw, stripped)
    kind = kind_of(stripped)
    if kind is None:
        raise InputError("unknown_format")
    return Payload(kind, stripped, kind)


def json_object(text: str) -> dict[str, Any]:
    try:
        value = json_limits.loads(text)
    except json_limits.JsonTooDeep as error:
        raise InputError(error.code, reason=error.reason, **error.params) from error
    except ValueError as error:
        raise InputError("json_invalid") from error
    if not isinstance(value, dict):
        raise InputError("json_invalid", reason="json_not_object")
    return value
