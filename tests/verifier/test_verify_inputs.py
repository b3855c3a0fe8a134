"""verify() reads what it is given, and says 'unreadable' with a code for what it cannot read."""

import pytest

from insigne.openbadges.baking import bake_png, bake_svg
from insigne.verifier.inputs import MAX_INPUT_BYTES, read_input
from insigne.verifier.verify import verify
from tests.personas import badge_png

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    '<rect width="10" height="10"/></svg>'
)
PAYLOAD = '{"@context": "https://w3id.org/openbadges/v2", "type": "Assertion"}'


def refusal(data, **kwargs):
    verdict = verify(data, **kwargs)
    assert verdict.status == "unreadable"
    return verdict.checks[0].code


def test_it_detects_each_kind_by_its_content():
    assert read_input(bake_png(badge_png(), "openbadges", PAYLOAD)).container == "png"
    assert read_input(bake_svg(SVG, "ob2", PAYLOAD)).container == "svg"
    assert read_input("  \n" + PAYLOAD).kind == "json"
    assert read_input("eyJhbGciOiJFZERTQSJ9.eyJhIjoxfQ.c2ln").kind == "jwt"
    assert read_input(b"\xef\xbb\xbf" + PAYLOAD.encode()).kind == "json"  # UTF-8 BOM


def test_it_prefers_the_ob3_payload_when_an_image_carries_both():
    png = bake_png(bake_png(badge_png(), "openbadges", PAYLOAD), "openbadgecredential", "{}")
    assert read_input(png).text == "{}"


def test_it_refuses_a_truncated_png():
    png = bake_png(badge_png(), "openbadges", PAYLOAD)
    assert refusal(png[: len(png) // 2]) == "png_truncated"


def test_it_refuses_an_svg_with_a_script():
    hostile = SVG.replace("<rect", '<script>alert("x")</script><rect')
    assert refusal(bake_svg(hostile, "ob2", PAYLOAD)) == "svg_script"


def test_it_refuses_an_svg_with_an_event_handler():
    hostile = SVG.replace("<rect", '<rect onload="alert(1)"')
    assert refusal(hostile) == "svg_script"


def test_it_refuses_an_svg_with_an_entity_declaration():
    bomb = '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]>' + SVG.replace(
        "<rect", "<desc>&a;</desc><rect"
    )
    assert refusal(bomb) == "svg_invalid"


def test_it_refuses_an_image_without_badge():
    assert refusal(badge_png()) == "not_baked"
    assert refusal(SVG) == "not_baked"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\xff\xfe", "unknown_format"),
        ("Bonjour, voici mon badge", "unknown_format"),
        ("{pas du json", "json_invalid"),
        ('{"name": "un objet quelconque"}', "unknown_version"),
        ("eyJhIjoxfQ.bm9uLWpzb24.c2ln", "jwt_invalid"),
        (b"x" * (MAX_INPUT_BYTES + 1), "too_large"),
    ],
)
def test_it_refuses_unreadable_input_with_a_code(data, code):
    assert refusal(data) == code


def test_it_names_the_promised_format_when_the_file_is_not_that_image():
    assert refusal(b"GIF89a...", filename="badge.png") == "png_invalid"
