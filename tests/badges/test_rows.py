"""``badges.rows``: one credential read with a query written once, as the ORM would read it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from insigne.badges import rows
from insigne.badges.models import Credential, Visibility
from tests.verifier.helpers import issue_ours

pytestmark = pytest.mark.django_db

FIELDS = Credential._meta.concrete_fields
RELATED = "badge_class__"
REVOKED_AT = dt.datetime(2026, 8, 2, 10, 30, 15, 123456, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "fields",
    [
        ("revoked_at", "revocation_reason", "replaced_by", "verdict_key", "badge_class__name"),
        ("ob3_json", "badge_class__image_digest"),
        ("ob2_json",),
        ("verdict", "issued_at", "status_index"),
    ],
)
def test_it_reads_what_the_orm_reads(fields):
    issued = issue_ours()
    Credential.objects.filter(pk=issued.pk).update(
        revoked_at=REVOKED_AT,
        revocation_reason="Erreur de saisie",
        visibility=Visibility.HIDDEN,
        verdict={"status": "valid"},
    )
    orm = Credential.objects.select_related("badge_class").get(pk=issued.pk)

    with CaptureQueriesContext(connection) as queries:
        read = rows.credential(issued.public_id, fields)
        assert read is not None
        for name in (*rows.ALWAYS, *fields):
            if name.startswith(RELATED):
                name = name.removeprefix(RELATED)
                assert getattr(read.badge_class, name) == getattr(orm.badge_class, name), name
            else:
                [field] = [f for f in FIELDS if name in (f.name, f.attname)]
                assert getattr(read, field.attname) == getattr(orm, field.attname), name
    assert len(queries) == 1  # one row, every value converted (SQLite's dates are text)
    assert read.visibility == Visibility.HIDDEN
    assert read.family_name == orm.family_name  # any other field: read on demand
    assert read.badge_class_id == orm.badge_class_id


def test_an_unknown_public_id_reads_nothing():
    issue_ours()
    assert rows.credential("absent0001", ("ob3_json",)) is None
    assert rows.credential("", ("badge_class__slug",)) is None
