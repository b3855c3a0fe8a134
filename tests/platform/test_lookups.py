"""``__any_of``: what ``__in`` finds, with the list as one parameter on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection

from insigne.missions.models import Mission
from tests.personas import make_mission

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "ids",
    [
        ["M-ANY-1", "M-ANY-3", "M-ABSENT"],
        [],
        ["M-ANY-2", "M-ANY-2"],
        ["O'Brien; DROP", "M-ANY-1"],
        # Texts that the joined form could not carry: they go as an array.
        ["", "M-ANY-1"],
        ["M-ANY-1\x1fM-ANY-2", "M-ANY-3"],
        ["\x1f", "M-ANY-2"],
    ],
)
def test_it_finds_what_in_finds(ids):
    for number in range(1, 4):
        make_mission(f"M-ANY-{number}")
    make_mission("M-ANY-1\x1fM-ANY-2")
    found = set(
        Mission.objects.filter(external_id__any_of=ids).values_list("external_id", flat=True)
    )
    assert found == set(
        Mission.objects.filter(external_id__in=ids).values_list("external_id", flat=True)
    )
    assert found == {i for i in ids if i.startswith("M-ANY-")}


def test_integers_and_a_subquery_too():
    pks = [make_mission(f"M-ANY-{n}").pk for n in range(3)]
    assert Mission.objects.filter(pk__any_of=pks[:2]).count() == 2
    subquery = Mission.objects.filter(external_id="M-ANY-2").values("pk")
    assert list(Mission.objects.filter(pk__any_of=subquery).values_list("pk", flat=True)) == [
        pks[2]
    ]


def test_the_list_is_one_parameter_on_postgresql():
    sql, params = Mission.objects.filter(
        external_id__any_of=["a", "b", "c"]
    ).query.sql_with_params()
    if connection.vendor == "postgresql":
        assert "= ANY(string_to_array(%s, chr(31)))" in sql and list(params) == ["a\x1fb\x1fc"]
        sql, params = Mission.objects.filter(pk__any_of=[1, 2]).query.sql_with_params()
        assert "= ANY(%s)" in sql and list(params) == [[1, 2]]
        sql, params = Mission.objects.filter(external_id__any_of=["a", ""]).query.sql_with_params()
        assert "= ANY(%s)" in sql and list(params) == [["a", ""]]
    else:
        assert "IN (%s, %s, %s)" in sql and list(params) == ["a", "b", "c"]


def test_values_of_another_type_are_converted_as_in_converts_them():
    """A list of the field's own type goes as it is; any other value is prepared."""
    pks = [make_mission(f"M-ANY-{n}").pk for n in range(3)]
    make_mission("12345")
    mixed = [str(pks[0]), pks[1]]  # a text id, as a form would give it
    assert set(Mission.objects.filter(pk__any_of=mixed).values_list("pk", flat=True)) == set(
        pks[:2]
    )
    assert list(
        Mission.objects.filter(external_id__any_of=[12345]).values_list("external_id", flat=True)
    ) == ["12345"]
