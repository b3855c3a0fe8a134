"""PNG baking: our iTXt chunk against openbadges-bakery, and corrupt files refused by code."""

import io
import json
import struct
import zlib

import openbadges_bakery
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from insigne.openbadges import baking

ASSERTION = json.dumps(
    {"id": "https://badges.example.test/ob2/assertions/abc", "note": "été ]]> fini"},
    ensure_ascii=False,
)
VC_JWT = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"


def _png(size: int = 64) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), (0, 0, 145)).save(out, "PNG")
    return out.getvalue()


PNG = _png()


def _chunk_types(png: bytes) -> list[bytes]:
    types, pos = [], 8
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        types.append(png[pos + 4 : pos + 8])
        pos += 12 + length
    return types


def test_openbadges_bakery_reads_exactly_what_we_baked() -> None:
    baked = baking.bake_png(_png(), baking.OB2_KEYWORD, ASSERTION)

    assert openbadges_bakery.unbake(io.BytesIO(baked)) == ASSERTION


def test_we_read_what_openbadges_bakery_bakes() -> None:
    baked = openbadges_bakery.bake(io.BytesIO(_png()), ASSERTION).read()

    assert baking.unbake_png(baked) == {"openbadges": ASSERTION}


def test_both_versions_round_trip_in_one_image() -> None:
    png = baking.bake_png(_png(), baking.OB2_KEYWORD, ASSERTION)
    png = baking.bake_png(png, baking.OB3_KEYWORD, VC_JWT)

    assert baking.unbake_png(png) == {"openbadges": ASSERTION, "openbadgecredential": VC_JWT}
    assert Image.open(io.BytesIO(png)).size == (64, 64)


def test_it_puts_one_uncompressed_itxt_right_after_ihdr() -> None:
    png = baking.bake_png(_png(), baking.OB3_KEYWORD, VC_JWT)

    types = _chunk_types(png)
    assert types[:2] == [b"IHDR", b"iTXt"]
    assert types[-1] == b"IEND"
    assert png[33 + 8 : 33 + 8 + 25] == b"openbadgecredential\x00\x00\x00\x00\x00e"


def test_it_replaces_a_previous_chunk_with_the_same_keyword() -> None:
    once = baking.bake_png(_png(), baking.OB2_KEYWORD, "https://old.example.test/a")
    twice = baking.bake_png(once, baking.OB2_KEYWORD, ASSERTION)

    assert _chunk_types(twice).count(b"iTXt") == 1
    assert baking.unbake_png(twice) == {"openbadges": ASSERTION}


def test_it_reads_a_compressed_itxt_chunk() -> None:
    data = b"openbadges\x00\x01\x00\x00\x00" + zlib.compress(ASSERTION.encode())
    chunk = struct.pack(">I", len(data)) + b"iTXt" + data
    chunk += struct.pack(">I", zlib.crc32(b"iTXt" + data))
    png = _png()
    png = png[:33] + chunk + png[33:]

    assert baking.unbake_png(png) == {"openbadges": ASSERTION}


def test_it_rejects_a_truncated_png() -> None:
    baked = baking.bake_png(_png(), baking.OB2_KEYWORD, ASSERTION)

    with pytest.raises(baking.BakingError) as error:
        baking.unbake_png(baked[: len(baked) // 2])
    assert error.value.code == "png_truncated"


def test_it_rejects_a_png_with_a_bad_crc() -> None:
    baked = bytearray(baking.bake_png(_png(), baking.OB2_KEYWORD, ASSERTION))
    baked[60] ^= 0xFF  # inside the iTXt payload

    with pytest.raises(baking.BakingError) as error:
        baking.unbake_png(bytes(baked))
    assert error.value.code == "png_bad_crc"


def test_it_refuses_to_bake_something_that_is_not_a_png() -> None:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "GIF")

    with pytest.raises(baking.BakingError) as error:
        baking.bake_png(out.getvalue(), baking.OB2_KEYWORD, ASSERTION)
    assert error.value.code == "png_signature"


def test_it_refuses_an_invalid_keyword() -> None:
    with pytest.raises(baking.BakingError) as error:
        baking.bake_png(_png(), "open\x00badges", ASSERTION)
    assert error.value.code == "png_bad_keyword"


@given(text=st.text(st.characters(blacklist_categories=["Cs"])))
def test_any_text_round_trips(text: str) -> None:
    assert baking.unbake_png(baking.bake_png(PNG, baking.OB3_KEYWORD, text)) == {
        "openbadgecredential": text
    }
