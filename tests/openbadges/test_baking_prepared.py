"""Baking reuses the parsed image: the result must equal a full parse-and-write bake."""

from __future__ import annotations

import pytest
from defusedxml.minidom import parseString
from hypothesis import given, settings
from hypothesis import strategies as st

from insigne.openbadges import baking, images

XML_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\ufffe\uffff")
).filter(lambda t: not baking._NOT_XML_CHAR.search(t))


@settings(max_examples=200, deadline=None)
@given(text=XML_TEXT, version=st.sampled_from(["ob2", "ob3"]))
def test_the_fast_svg_bake_reads_back_like_the_full_one(text, version):
    svg = images.DEFAULT_BADGE_SVG
    keyword = baking.OB2_KEYWORD if version == "ob2" else baking.OB3_KEYWORD
    fast = baking.bake_svg(svg, version, text)
    full = baking._bake_svg_document(svg, version, text)
    assert baking.unbake_svg(fast) == baking.unbake_svg(full)
    assert baking.unbake_svg(fast)[keyword] == text or not text.strip()


@pytest.mark.parametrize("version", ["ob2", "ob3"])
def test_a_second_bake_replaces_the_first(version):
    once = baking.bake_svg(images.DEFAULT_BADGE_SVG, version, "premier")
    twice = baking.bake_svg(once, version, "second ]]> suite")
    keyword = baking.OB2_KEYWORD if version == "ob2" else baking.OB3_KEYWORD
    assert baking.unbake_svg(twice) == {keyword: "second ]]> suite"}


def test_the_ob2_verify_attribute_is_escaped():
    assertion = '{"id": "https://badges.example.test/ob2/assertions/a\\"b<c>"}'
    baked = baking.bake_svg(images.DEFAULT_BADGE_SVG, "ob2", assertion)
    element = parseString(baked).getElementsByTagNameNS(baking.OB2_SVG_NAMESPACE, "assertion")[0]
    assert element.getAttribute("verify") == 'https://badges.example.test/ob2/assertions/a"b<c>'
    assert baking.unbake_svg(baked)["openbadges"] == assertion


def test_the_png_bake_is_byte_identical_whatever_the_cache():
    png = images.default_badge_png()
    first = baking.bake_png(png, baking.OB3_KEYWORD, "texte")
    baking._png_around_chunk.cache_clear()
    assert baking.bake_png(png, baking.OB3_KEYWORD, "texte") == first
    assert baking.unbake_png(baking.bake_png(first, baking.OB3_KEYWORD, "autre")) == {
        baking.OB3_KEYWORD: "autre"
    }
