"""The import's address check says what Django's ``EmailValidator`` says, only sooner."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from hypothesis import given
from hypothesis import strategies as st

from insigne.missions.csv_format import parse_email

ADDRESS_CHARACTERS = st.sampled_from(list("aZ09.-_+@'\"[]:é !#\\") + ["localhost", ".fr", "xn--"])


def django_accepts(value: str) -> bool:
    try:
        EmailValidator()(value)
    except ValidationError:
        return False
    return True


def ours_accepts(value: str) -> bool:
    try:
        assert parse_email(value) == value
    except ValueError:
        return False
    return True


@given(st.lists(ADDRESS_CHARACTERS, max_size=30).map("".join))
def test_it_agrees_with_django_on_address_like_text(value):
    assert ours_accepts(value) == django_accepts(value)


@given(st.emails())
def test_it_agrees_with_django_on_addresses(value):
    assert ours_accepts(value) == django_accepts(value)


@pytest.mark.parametrize(
    "value",
    [
        "camille@exemple.fr",
        "a.b+tag@sous.domaine.gouv.fr",
        "zoé@exemple.fr",
        "x@localhost",
        "x@[127.0.0.1]",
        '"deux mots"@exemple.fr',
        "x@exemple",
        "sans-arobase",
        "x@-exemple.fr",
        "a" * 310 + "@exemple.fr",
    ],
)
def test_it_agrees_with_django_on_the_edge_cases(value):
    assert ours_accepts(value) == django_accepts(value)
