"""``fold``: the support search's normal form, with its shortcut for ASCII text."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from insigne.platform.text import fold


def folded_the_long_way(value: str) -> str:
    """The definition, character by character: NFKD, marks dropped, the rest a space."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    kept = "".join(
        " " if not ch.isalnum() else ch for ch in decomposed if not unicodedata.combining(ch)
    )
    return " ".join(kept.split())


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_text_is_folded_as_the_definition_says(value):
    assert fold.__wrapped__(value) == folded_the_long_way(value)


@given(st.text())
def test_any_text_folds_into_letters_digits_and_single_spaces_kept_or_not(value):
    once = fold.__wrapped__(value)
    assert fold(value) == once == fold(value)  # the kept answer is the computed one
    assert "  " not in once and once == once.strip()
    assert all(ch == " " or ch.isalnum() for ch in once)


def test_the_support_search_examples():
    assert fold("Clermont-Ferrand") == "clermont ferrand"
    assert fold("Médiathèque") == "mediatheque"
    assert fold("L'Haÿ-les-Roses") == "l hay les roses"
    assert fold("Œuvre") == "oeuvre"
    assert fold("  SAINT-ÉTIENNE  (42) ") == "saint etienne 42"
