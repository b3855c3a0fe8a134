"""A mission created by someone else between the reading of a batch and its writing.

The reader tells the writer which ids had a mission when the batch was read; one
created meanwhile (a concurrent import, the API) fails the insert on the unique
id, and the second pass looks every id up: the row then updates that mission,
never a twin, and the rest of the batch is created as before.
"""

from __future__ import annotations

import pytest

from insigne.missions import services
from insigne.missions.models import Mission
from insigne.missions.services import import_csv
from tests.missions.helpers import csv_bytes, row
from tests.personas import make_mission

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_mission_created_after_the_read_is_updated_by_the_second_pass(monkeypatch):
    passes: list[bool] = []
    real = services._write_batch

    def meanwhile(batch, import_id, ahead=None):  # type: ignore[no-untyped-def]
        passes.append(ahead is not None)
        if len(passes) == 1:  # after the read, before the write: another writer's mission
            make_mission("R-0003", commune="Brest")
        return real(batch, import_id, ahead)

    monkeypatch.setattr(services, "_write_batch", meanwhile)
    lines = [row(identifiant_mission=f"R-{n:04d}", commune="Nantes") for n in range(6)]
    result = import_csv(csv_bytes(lines), "csv", "lot.csv")
    assert passes == [True, False]  # the read-ahead, then every id looked up
    assert (result.created, result.updated, result.rejected) == (5, 1, 0)
    assert Mission.objects.filter(external_id__startswith="R-").count() == 6
    assert Mission.objects.get(external_id="R-0003").commune == "Nantes"


def test_the_writer_reads_only_the_ids_the_reader_found(monkeypatch):
    make_mission("K-0001", commune="Brest")
    looked_up: list[list[str]] = []
    real = services._existing

    def noting(ids):  # type: ignore[no-untyped-def]
        looked_up.append(sorted(ids))
        return real(ids)

    monkeypatch.setattr(services, "_existing", noting)
    lines = [row(identifiant_mission=f"K-{n:04d}") for n in range(5)]
    result = import_csv(csv_bytes(lines), "csv", "lot.csv")
    assert looked_up == [["K-0001"]]
    assert (result.created, result.updated) == (4, 1)
