"""``platform.bulk.create``: new instances saved as ``bulk_create`` saves them, by ``COPY``
on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from insigne.claims.models import Invitation
from insigne.missions.models import MissionImport
from insigne.platform import bulk

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 2, 9, 15, 30, 654321, tzinfo=dt.UTC)
FINISHED = dt.datetime(2026, 7, 1, 23, 59, 59, 1, tzinfo=dt.timezone(dt.timedelta(hours=2)))


def _imports() -> list[MissionImport]:
    """Values a COPY row must carry as they are: quotes, a backslash, a tab, JSON, a date."""
    return [
        MissionImport(
            source="csv",
            filename="l'été \\ 2026\t.csv",
            read=3,
            errors=[{"line": 2, "reason": "date illisible « 31/02 »", "raw": {"a": None}}],
            failure="",
            finished_at=FINISHED,
        ),
        MissionImport(source="api", warnings=[], failure="ligne 1\nligne 2", finished_at=None),
    ]


def _values(instance: MissionImport) -> dict[str, object]:
    return {
        f.attname: getattr(instance, f.attname)
        for f in MissionImport._meta.concrete_fields
        if not f.primary_key
    }


@time_machine.travel(NOW, tick=False)  # bulk_create stamps its own now: the same one
def test_instances_get_their_ids_and_read_back_as_bulk_create_writes_them():
    created, reference = _imports(), _imports()
    with CaptureQueriesContext(connection) as queries:
        bulk.create(MissionImport, created, NOW)
    MissionImport.objects.bulk_create(reference)

    assert len({instance.pk for instance in created}) == len(created)
    assert all(instance.pk is not None for instance in created)
    assert all(not instance._state.adding for instance in created)
    assert len(queries) <= 2  # the ids and the rows (one statement elsewhere)
    for instance, twin in zip(created, reference, strict=True):
        stored = MissionImport.objects.get(pk=instance.pk)
        assert _values(stored) == _values(instance)
        assert stored.created_at == NOW
        expected = _values(MissionImport.objects.get(pk=twin.pk))
        expected["created_at"] = NOW
        assert _values(stored) == expected


def test_a_created_instance_saves_as_an_update():
    [first, second] = _imports()
    bulk.create(MissionImport, [first, second], NOW)
    first.read = 12
    first.save()
    assert MissionImport.objects.count() == 2
    assert MissionImport.objects.get(pk=first.pk).read == 12


def test_nothing_to_create_sends_nothing():
    with CaptureQueriesContext(connection) as queries:
        bulk.create(MissionImport, [], NOW)
    assert not queries


def test_a_model_with_a_database_default_is_refused():
    with pytest.raises(TypeError, match="database default"):
        bulk.create(Invitation, [Invitation()], NOW)
