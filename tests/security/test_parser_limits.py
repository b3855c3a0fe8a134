"""Depth and size limits of the parsers, called directly (no recursion at any depth)."""

from __future__ import annotations

import base64
import io
import struct
import zlib

import pytest
from PIL import Image

from insigne.openbadges import baking, svg
from insigne.openbadges.jose import jws
from insigne.openbadges.rdf import canon, jsonld
from insigne.platform import json_limits

DEEP = 100_000


def nested(depth: int) -> dict:
    value: dict = {"name": "fond"}
    for _ in range(depth):
        value = {"name": value}
    return value


def test_json_depth_is_measured_without_recursion():
    assert json_limits.text_depth('{"a": "[[[{{{", "b": [1, [2, {"c": []}]]}') == 5
    assert json_limits.text_depth("[" * DEEP + "]" * DEEP) == DEEP
    with pytest.raises(json_limits.JsonTooDeep):
        json_limits.loads('{"a":' * DEEP + "1" + "}" * DEEP)
    assert json_limits.loads("[" * 32 + "]" * 32) is not None
    assert json_limits.depth(nested(DEEP)) == DEEP + 1


@pytest.mark.parametrize("walk", [jsonld.check_safe, canon.canonicalize])
def test_a_deep_json_ld_document_is_refused_cleanly(walk):
    document = {"@context": [jsonld.VC_V2], "type": ["VerifiableCredential"]} | nested(DEEP)
    with pytest.raises(jsonld.JsonLdSafetyError) as caught:
        walk(document)
    assert caught.value.code == "jsonld_too_deep"


def test_the_fast_canonical_path_declines_a_deep_document():
    assert canon.canonicalize_known(nested(DEEP)) is None


def test_a_jwt_with_a_deep_payload_is_malformed():
    def part(text: str) -> str:
        return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()

    header = part('{"alg":"EdDSA"}')
    token = header + "." + part("[" * DEEP + "]" * DEEP) + ".c2ln"
    with pytest.raises(jws.JoseError) as caught:
        jws.read(token)
    assert caught.value.code == "jwt_malformed"


def test_an_svg_too_deep_or_too_large_is_refused_before_it_is_built():
    deep = b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * 200_000 + b"</g>" * 200_000
    wide = b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g/>" * 150_000
    for document in (deep + b"</svg>", wide + b"</svg>"):
        with pytest.raises(svg.SvgError) as caught:
            svg.parse(document, forbid_dtd=False)
        assert caught.value.code == "svg_too_complex"
    with pytest.raises(baking.BakingError) as caught:
        baking.unbake_svg((deep + b"</svg>").decode())
    assert caught.value.code == "svg_too_complex"
    assert svg.parse(
        b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * 200 + b"</g>" * 200 + b"</svg>"
    )


def _png() -> bytes:
    image = io.BytesIO()
    Image.new("RGB", (4, 4)).save(image, "PNG")
    return image.getvalue()


def _chunk(ctype: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + ctype + data + struct.pack(">I", zlib.crc32(ctype + data))


def test_png_chunks_are_bounded_in_count():
    png = _png()
    ihdr_end = 8 + 25
    many = png[:ihdr_end] + _chunk(b"tIME", b"\0" * 7) * 5000 + png[ihdr_end:]
    with pytest.raises(baking.BakingError) as caught:
        baking.unbake_png(many)
    assert caught.value.code == "png_too_many_chunks"
    texts = png[:ihdr_end] + _chunk(b"tEXt", b"k\0v") * 100 + png[ihdr_end:]
    with pytest.raises(baking.BakingError) as caught:
        baking.unbake_png(texts)
    assert caught.value.code == "png_too_many_chunks"
    assert baking.unbake_png(baking.bake_png(png, baking.OB3_KEYWORD, "{}")) == {
        baking.OB3_KEYWORD: "{}"
    }
