"""Baking: Open Badges data embedded in PNG and SVG images, both versions.

Pure functions, no database. The layouts follow the Open Badges baking
specifications:

* PNG: one uncompressed ``iTXt`` chunk, keyword ``openbadges`` (2.0: the assertion
  URL or JSON) or ``openbadgecredential`` (3.0: the signed JSON or the VC-JWT). The
  chunk goes right after ``IHDR``, where openbadges-bakery puts it and where
  readers that stop early still find it. A previous chunk with the same keyword is
  replaced, never duplicated.
* SVG: one ``openbadges:assertion`` element (namespace ``http://openbadges.org``,
  with a ``verify`` attribute) or ``openbadges:credential`` element (namespace
  ``https://purl.imsglobal.org/ob/v3p0``), first child of the root, payload in CDATA.

Corrupt input raises :class:`BakingError`, whose ``code`` is stable.
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from collections.abc import Iterator
from functools import lru_cache
from typing import Literal
from xml.dom.minidom import Document, Element, Text
from xml.sax.saxutils import quoteattr

from insigne.openbadges import svg as svg_safety
from insigne.platform.errors import CodedError

OB2_KEYWORD = "openbadges"
OB3_KEYWORD = "openbadgecredential"
OB2_SVG_NAMESPACE = "http://openbadges.org"
OB3_SVG_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
XMLNS_NAMESPACE = "http://www.w3.org/2000/xmlns/"

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# A compressed text chunk may not inflate beyond this: a baked credential is a few
# kilobytes, and a zip bomb must not exhaust memory.
MAX_TEXT_BYTES = 1024 * 1024
# Bounds on what one image may hold, checked while the chunks are read: an image
# has a few dozen chunks, a baked one one or two text chunks.
MAX_CHUNKS = 4096
MAX_TEXT_CHUNKS = 64

SvgVersion = Literal["ob2", "ob3"]
_SVG_ELEMENTS: dict[str, tuple[str, str, str]] = {
    # version: (namespace, qualified name, PNG keyword it corresponds to)
    "ob2": (OB2_SVG_NAMESPACE, "openbadges:assertion", OB2_KEYWORD),
    "ob3": (OB3_SVG_NAMESPACE, "openbadges:credential", OB3_KEYWORD),
}
# Characters XML 1.0 cannot carry, even in CDATA (controls, surrogates, U+FFFE/U+FFFF).
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_JWS = re.compile(r"^[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*\.[A-Za-z0-9_\-]+$")


class BakingError(CodedError):
    """An image that cannot be baked or unbaked (its text: ``insigne.platform.messages``)."""


# --- PNG -------------------------------------------------------------------------


def _chunks(png: bytes) -> Iterator[tuple[bytes, bytes]]:
    """Yield (type, data) for every chunk up to IEND, checking lengths and CRCs."""
    if not png.startswith(PNG_SIGNATURE):
        raise BakingError("png_signature")
    pos = len(PNG_SIGNATURE)
    for _count in range(MAX_CHUNKS):
        if pos + 8 > len(png):
            raise BakingError("png_truncated")
        length, ctype = struct.unpack(">I4s", png[pos : pos + 8])
        end = pos + 8 + length + 4
        if length > 0x7FFFFFFF or end > len(png):
            raise BakingError("png_truncated")
        data = png[pos + 8 : end - 4]
        (crc,) = struct.unpack(">I", png[end - 4 : end])
        if zlib.crc32(ctype + data) != crc:
            raise BakingError("png_bad_crc")
        yield ctype, data
        if ctype == b"IEND":
            return
        pos = end
    raise BakingError("png_too_many_chunks", max=MAX_CHUNKS)


def _checked_chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    chunks = list(_chunks(png))
    if chunks[0][0] != b"IHDR":
        raise BakingError("png_no_ihdr")
    return chunks


def _chunk_bytes(ctype: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + ctype + data + struct.pack(">I", zlib.crc32(ctype + data))


def _keyword_bytes(keyword: str) -> bytes:
    # PNG keywords: 1-79 Latin-1 printable characters, no leading/trailing/double space.
    try:
        raw = keyword.encode("latin-1")
    except UnicodeEncodeError:
        raw = b""
    if not (0 < len(raw) < 80) or keyword != keyword.strip() or "  " in keyword:
        raise BakingError("png_bad_keyword")
    if any(b < 32 or 126 < b < 161 for b in raw):
        raise BakingError("png_bad_keyword")
    return raw


def itxt_chunk(keyword: str, text: str) -> bytes:
    """The whole uncompressed iTXt chunk (length, type, data, CRC), no language tag."""
    try:
        payload = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BakingError("bad_text") from exc
    # keyword NUL, compression flag 0, method 0, empty language tag NUL, empty
    # translated keyword NUL, then UTF-8 text: the layout openbadges-bakery writes.
    data = _keyword_bytes(keyword) + b"\x00\x00\x00\x00\x00" + payload
    return _chunk_bytes(b"iTXt", data)


def _text_keyword(ctype: bytes, data: bytes) -> bytes | None:
    if ctype not in (b"iTXt", b"tEXt", b"zTXt"):
        return None
    return data.split(b"\x00", 1)[0]


def bake_png(png: bytes, keyword: str, text: str) -> bytes:
    """Return ``png`` with ``text`` in one iTXt chunk ``keyword`` right after IHDR."""
    head, tail = _png_around_chunk(png, keyword)
    return head + itxt_chunk(keyword, text) + tail


@lru_cache(maxsize=32)
def _png_around_chunk(png: bytes, keyword: str) -> tuple[bytes, bytes]:
    """What goes before and after the baked chunk, checked once per (image, keyword).

    A badge class image is baked thousands of times: its chunks are validated and
    its old chunk of that keyword dropped once, not at every bake.
    """
    key = _keyword_bytes(keyword)
    chunks = _checked_chunks(png)
    tail = [_chunk_bytes(t, d) for t, d in chunks[1:] if _text_keyword(t, d) != key]
    return PNG_SIGNATURE + _chunk_bytes(*chunks[0]), b"".join(tail)


def _inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(data, MAX_TEXT_BYTES)
    except zlib.error as exc:
        raise BakingError("png_bad_text") from exc
    if inflater.unconsumed_tail:
        raise BakingError("png_text_too_long")
    return raw


def _parse_itxt(data: bytes) -> tuple[str, str]:
    try:
        keyword, rest = data.split(b"\x00", 1)
        flag, method = rest[0], rest[1]
        _language, _translated, text = rest[2:].split(b"\x00", 2)
        if flag == 1 and method == 0:
            text = _inflate(text)
        elif flag != 0:
            raise ValueError("unknown compression")
        return keyword.decode("latin-1"), text.decode("utf-8")
    except (ValueError, IndexError) as exc:
        raise BakingError("png_bad_text") from exc


def _parse_text(ctype: bytes, data: bytes) -> tuple[str, str]:
    if ctype == b"iTXt":
        return _parse_itxt(data)
    keyword, _sep, text = data.partition(b"\x00")
    if ctype == b"zTXt":
        text = _inflate(text[1:])
    return keyword.decode("latin-1"), text.decode("latin-1")


def unbake_png(png: bytes) -> dict[str, str]:
    """Every text chunk of ``png`` as {keyword: text}; iTXt wins over tEXt/zTXt."""
    found: dict[str, str] = {}
    international: set[str] = set()
    texts = 0
    for ctype, data in _checked_chunks(png):
        if _text_keyword(ctype, data) is None:
            continue
        texts += 1
        if texts > MAX_TEXT_CHUNKS:
            raise BakingError("png_too_many_chunks", max=MAX_TEXT_CHUNKS)
        if len(data) > MAX_TEXT_BYTES:
            raise BakingError("png_text_too_long")
        keyword, text = _parse_text(ctype, data)
        if keyword in international:
            continue  # the first iTXt is the one bakers wrote (right after IHDR)
        found[keyword] = text
        if ctype == b"iTXt":
            international.add(keyword)
    return found


# --- SVG -------------------------------------------------------------------------


def _parse_svg(text: str) -> Document:
    try:
        return svg_safety.parse(text.encode("utf-8"), forbid_dtd=False)
    except svg_safety.SvgError as error:
        raise BakingError(error.code, reason=error.reason, **error.params) from error


def _verify_attribute(text: str) -> str | None:
    """The OB 2.0 ``verify`` attribute: the hosted assertion URL, or the JWS itself."""
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            assertion = json.loads(stripped)
        except ValueError:
            return None
        url = assertion.get("id") if isinstance(assertion, dict) else None
        return url if isinstance(url, str) and url.startswith(("https://", "http://")) else None
    if stripped.startswith(("https://", "http://")) or _JWS.match(stripped):
        return stripped
    return None


def _cdata_pieces(text: str) -> list[str]:
    """Split ``text`` so that no CDATA section contains ``]]>`` (the usual ``]]`` / ``>`` cut)."""
    parts = text.split("]]>")
    if len(parts) == 1:
        return parts
    pieces = [parts[0] + "]]"]
    pieces += [">" + part + "]]" for part in parts[1:-1]]
    pieces.append(">" + parts[-1])
    return pieces


def _remove_baked(root: Element, namespace: str, local_name: str) -> None:
    for node in list(root.getElementsByTagNameNS(namespace, local_name)):
        parent = node.parentNode
        if parent is not None:
            parent.removeChild(node)


def bake_svg(svg: str, version: SvgVersion, text: str) -> str:
    """Return ``svg`` with ``text`` baked as the ``version`` element, replacing any previous.

    XML parsers read a CR as LF, so text with CR comes back with LF (JSON has none raw).
    The image is parsed once (see :func:`_svg_around_element`); each bake only
    writes the element between the two fixed parts.
    """
    namespace, qname, _keyword = _SVG_ELEMENTS[version]
    if _NOT_XML_CHAR.search(text):
        raise BakingError("bad_text")
    head, open_tag, tail = _svg_around_element(svg, version)
    if version == "ob2" and (verify := _verify_attribute(text)):
        open_tag = f"{open_tag[:-1]} verify={quoteattr(verify)}>"
    body = "".join(f"<![CDATA[{piece}]]>" for piece in _cdata_pieces(text))
    return f"{head}{open_tag}{body}</{qname}>{tail}"


# A payload no real credential contains, to find where the element goes.
_MARKER = "insigne-baking-marker-5e0c1f"


@lru_cache(maxsize=32)
def _svg_around_element(svg: str, version: SvgVersion) -> tuple[str, str, str]:
    """(text before the element, its opening tag, text after it) for this image."""
    qname = _SVG_ELEMENTS[version][1]
    baked = _bake_svg_document(svg, version, _MARKER)
    start = baked.index(f"<{qname}")
    open_end = baked.index(">", start) + 1
    close = f"</{qname}>"
    end = baked.index(close, open_end) + len(close)
    return baked[:start], baked[start:open_end], baked[end:]


def _bake_svg_document(svg: str, version: SvgVersion, text: str) -> str:
    namespace, qname, _keyword = _SVG_ELEMENTS[version]
    doc = _parse_svg(svg)
    root = doc.documentElement
    assert root is not None  # checked by _parse_svg
    _remove_baked(root, namespace, qname.split(":")[1])
    element = doc.createElementNS(namespace, qname)
    declared = root.getAttribute("xmlns:openbadges")
    # The spec examples declare the prefix on the root; when the root already binds
    # it to the other version's namespace, the element declares its own.
    target = root if declared in ("", namespace) else element
    target.setAttributeNS(XMLNS_NAMESPACE, "xmlns:openbadges", namespace)
    if version == "ob2" and (verify := _verify_attribute(text)):
        element.setAttribute("verify", verify)
    for piece in _cdata_pieces(text):
        element.appendChild(doc.createCDATASection(piece))
    root.insertBefore(element, root.firstChild)
    return doc.toxml()


def _element_text(element: Element) -> str:
    # Several adjacent CDATA sections are one payload that contained "]]>".
    return "".join(n.data for n in element.childNodes if isinstance(n, Text))


def unbake_svg(svg: str) -> dict[str, str]:
    """Baked payloads of ``svg`` keyed like PNG chunks: ``openbadges``, ``openbadgecredential``.

    An OB 2.0 element with an empty body gives its ``verify`` attribute.
    """
    root = _parse_svg(svg).documentElement
    assert root is not None
    found: dict[str, str] = {}
    for namespace, qname, keyword in _SVG_ELEMENTS.values():
        elements = root.getElementsByTagNameNS(namespace, qname.split(":")[1])
        if not elements:
            continue
        element = elements[0]
        text = _element_text(element)
        verify = element.getAttribute("verify")
        found[keyword] = text if text.strip() or not verify else verify
    return found
