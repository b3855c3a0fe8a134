"""JSON-LD safe mode: local contexts only, no undefined term, no control character."""

import pytest

from insigne.openbadges.ob3 import build_credential
from insigne.openbadges.rdf.jsonld import (
    JsonLdSafetyError,
    canonicalize_generic,
    check_safe,
    clean_text,
    document_loader,
)
from tests.samples import demo_facts


def refusal(document):
    with pytest.raises(JsonLdSafetyError) as caught:
        check_safe(document)
    return caught.value.code


def test_it_serves_only_the_vendored_contexts():
    loaded = document_loader("https://www.w3.org/ns/credentials/v2")
    assert "@context" in loaded["document"]
    with pytest.raises(JsonLdSafetyError) as caught:
        document_loader("https://example.org/context.jsonld")
    assert caught.value.code == "unknown_context"


def test_it_accepts_our_credential():
    check_safe(build_credential(demo_facts()))


def test_it_refuses_terms_pyld_would_drop_silently():
    credential = build_credential(demo_facts())
    credential["evidence"][0]["hours"] = "900"
    assert refusal(credential) == "undefined_term"
    credential = build_credential(demo_facts())
    credential["credentialSubject"]["type"] = ["AchievementSubject", "Volunteer"]
    assert refusal(credential) == "undefined_term"
    credential = build_credential(demo_facts())
    credential["@foo"] = "bar"
    assert refusal(credential) == "undefined_term"


def test_it_refuses_relative_iris():
    credential = build_credential(demo_facts())
    credential["issuer"]["id"] = "agence"
    assert refusal(credential) == "relative_iri"


def test_it_refuses_inline_and_unknown_contexts():
    credential = build_credential(demo_facts())
    credential["@context"].append({"hours": "https://example.org/hours"})
    assert refusal(credential) == "unknown_context"
    credential = build_credential(demo_facts())
    credential["@context"][1] = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.9.9.json"
    assert refusal(credential) == "unknown_context"


@pytest.mark.parametrize("char", ["\x00", "\n", "\t", "\x7f", "\x85", "\x9f", "\ud800"])
def test_it_refuses_control_characters_anywhere(char):
    credential = build_credential(demo_facts())
    credential["credentialSubject"]["achievement"]["name"] = f"nom{char}"
    assert refusal(credential) == "control_character"
    with pytest.raises(JsonLdSafetyError):
        canonicalize_generic(credential)


def test_clean_text_removes_control_characters_and_keeps_the_rest():
    assert clean_text("a\x00b\x1bc\x7fd\x9fe") == "abcde"
    assert clean_text("ligne\nsuivante\tfin") == "ligne suivante fin"
    assert clean_text("« é 🎉 \u202e »") == "« é 🎉 \u202e »"
