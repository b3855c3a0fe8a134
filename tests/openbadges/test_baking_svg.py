"""SVG baking: both Open Badges elements, openbadges-bakery compatibility, CDATA escaping."""

import io
import json
from xml.dom.minidom import parseString

import openbadges_bakery
import pytest
from hypothesis import given
from hypothesis import strategies as st

from insigne.openbadges import baking

# openbadges-bakery calls a deprecated rfc3986 helper; not our concern here.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rfc3986")

URL = "https://badges.example.test/ob2/assertions/abc"
ASSERTION = json.dumps({"id": URL, "note": "crochets ]]> et <balises> & accents é"})
OB3_JSON = json.dumps({"type": ["VerifiableCredential"], "name": "x]]>y]]>"})
SVG = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
    '<circle cx="50" cy="50" r="40" fill="#000091"/></svg>'
)


def test_openbadges_bakery_reads_our_ob2_svg() -> None:
    baked = baking.bake_svg(SVG, "ob2", ASSERTION)

    # The bakery answers the verify attribute when there is one: the hosted URL.
    assert openbadges_bakery.unbake(io.BytesIO(baked.encode())) == URL
    element = parseString(baked).getElementsByTagName("openbadges:assertion")[0]
    assert "".join(node.data for node in element.childNodes) == ASSERTION


def test_openbadges_bakery_reads_a_baked_url_exactly() -> None:
    baked = baking.bake_svg(SVG, "ob2", URL)

    assert openbadges_bakery.unbake(io.BytesIO(baked.encode())) == URL


def test_we_read_what_openbadges_bakery_bakes() -> None:
    payload = json.dumps({"id": URL})
    baked = openbadges_bakery.bake(io.BytesIO(SVG.encode()), payload).read().decode()

    assert baking.unbake_svg(baked) == {"openbadges": payload}


def test_both_versions_round_trip_in_one_image() -> None:
    svg = baking.bake_svg(SVG, "ob2", ASSERTION)
    svg = baking.bake_svg(svg, "ob3", OB3_JSON)

    assert baking.unbake_svg(svg) == {"openbadges": ASSERTION, "openbadgecredential": OB3_JSON}


def test_each_element_is_in_its_version_namespace() -> None:
    svg = baking.bake_svg(baking.bake_svg(SVG, "ob3", OB3_JSON), "ob2", URL)
    doc = parseString(svg)

    assert doc.getElementsByTagNameNS(baking.OB3_SVG_NAMESPACE, "credential").length == 1
    assert doc.getElementsByTagNameNS(baking.OB2_SVG_NAMESPACE, "assertion").length == 1
    assert not doc.getElementsByTagNameNS(baking.OB3_SVG_NAMESPACE, "credential")[0].hasAttribute(
        "verify"
    )


def test_it_replaces_a_previous_element_of_the_same_version() -> None:
    svg = baking.bake_svg(baking.bake_svg(SVG, "ob3", "old"), "ob3", OB3_JSON)

    assert svg.count("openbadges:credential") == 2  # one opening and one closing tag
    assert baking.unbake_svg(svg) == {"openbadgecredential": OB3_JSON}


def test_an_empty_ob2_element_gives_its_verify_attribute() -> None:
    svg = SVG.replace(
        'viewBox="0 0 100 100">',
        f'viewBox="0 0 100 100" xmlns:openbadges="http://openbadges.org">'
        f'<openbadges:assertion verify="{URL}"/>',
    )

    assert baking.unbake_svg(svg) == {"openbadges": URL}


def test_it_rejects_a_document_that_is_not_svg() -> None:
    with pytest.raises(baking.BakingError) as error:
        baking.bake_svg("<html/>", "ob2", URL)
    assert error.value.code == "svg_not_svg"


def test_it_rejects_malformed_xml_and_entities() -> None:
    bomb = '<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>'
    for text in ("<svg", bomb):
        with pytest.raises(baking.BakingError) as error:
            baking.unbake_svg(text)
        assert error.value.code == "svg_invalid"


# Any text XML can carry, CR aside (parsers read it as LF), survives the round trip.
XML_TEXT = st.lists(
    st.text(st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="\ufffe\uffff"))
    | st.sampled_from(["\n", "\t", "]]>", "]]", "<![CDATA[", "&amp;"])
).map("".join)


@given(assertion=XML_TEXT, credential=XML_TEXT)
def test_any_xml_text_round_trips_in_both_versions(assertion: str, credential: str) -> None:
    svg = baking.bake_svg(baking.bake_svg(SVG, "ob2", assertion), "ob3", credential)

    assert baking.unbake_svg(svg) == {"openbadges": assertion, "openbadgecredential": credential}


def test_it_refuses_text_that_xml_cannot_carry() -> None:
    with pytest.raises(baking.BakingError) as error:
        baking.bake_svg(SVG, "ob3", "nul\x00")
    assert error.value.code == "bad_text"
