"""The import service: upsert by identifiant_mission, idempotent, eligibility kept in step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from insigne.missions import eligibility, services
from insigne.missions.csv_format import rows_from_objects, validate_rows
from insigne.missions.models import Mission, MissionImport
from insigne.missions.services import import_csv, import_missions
from tests.missions.helpers import HEADER, csv_bytes, issue_badge, row

pytestmark = pytest.mark.django_db


def run(rows: list[dict[str, str]]) -> MissionImport:
    return import_csv(csv_bytes(rows), "csv", "missions.csv")


def counts(result: MissionImport) -> tuple[int, ...]:
    return (result.read, result.created, result.updated, result.unchanged, result.rejected)


def test_it_creates_missions_with_their_eligibility() -> None:
    result = run([row(), row(identifiant_mission="SC-2", date_fin_effective="")])
    assert counts(result) == (2, 2, 0, 0, 0)
    ongoing, done = Mission.objects.order_by("external_id")
    assert (done.eligible, done.ineligibility_reason) == (True, "")
    assert (ongoing.eligible, ongoing.ineligibility_reason) == (False, eligibility.NOT_FINISHED)
    assert done.end_reason == "terme" and done.domain == "solidarite"
    assert result.filename == "missions.csv" and result.finished_at is not None


def test_a_second_identical_import_writes_nothing() -> None:
    rows = [row(identifiant_mission=f"SC-{i}") for i in range(5)]
    run(rows)
    before = dict(Mission.objects.values_list("external_id", "updated_at"))
    with CaptureQueriesContext(connection) as queries:
        result = run(rows)
    assert counts(result) == (5, 0, 0, 5, 0)
    assert dict(Mission.objects.values_list("external_id", "updated_at")) == before
    writes = [q["sql"] for q in queries if q["sql"].startswith(("UPDATE", "INSERT"))]
    assert all("missions_missionimport" in sql for sql in writes), writes


def test_a_changed_end_date_re_evaluates_eligibility() -> None:
    run([row(date_fin_effective="")])
    mission = Mission.objects.get()
    assert not mission.eligible
    result = run([row(date_fin_effective="2026-02-27", motif_fin="rupture_anticipee")])
    assert counts(result) == (1, 0, 1, 0, 0)
    mission.refresh_from_db()
    assert (mission.eligible, mission.ineligibility_reason) == (
        False,
        eligibility.INTERRUPTED_TOO_SOON,
    )
    assert mission.updated_at > mission.created_at
    run([row(date_fin_effective="01/03/2026")])
    mission.refresh_from_db()
    assert (mission.eligible, mission.ineligibility_reason, mission.end_reason) == (
        True,
        "",
        "terme",
    )


def test_a_changed_start_date_re_evaluates_eligibility() -> None:
    run([row()])
    run([row(date_debut="2025-11-02")])
    mission = Mission.objects.get()
    assert (mission.eligible, mission.ineligibility_reason) == (False, eligibility.TOO_SHORT)


def test_it_updates_only_what_changed() -> None:
    run([row(), row(identifiant_mission="SC-2")])
    result = run([row(commune="Lyon", departement="69"), row(identifiant_mission="SC-2")])
    assert counts(result) == (2, 0, 1, 1, 0)
    assert Mission.objects.get(external_id="SC-2026-0001").commune == "Lyon"


def trace(external_id: str) -> tuple[int | None, int | None]:
    mission = Mission.objects.get(external_id=external_id)
    return mission.created_by_import_id, mission.changed_by_import_id


def test_each_mission_names_the_import_that_created_it_and_the_last_that_changed_it() -> None:
    first = run([row(), row(identifiant_mission="SC-2")])
    assert trace("SC-2026-0001") == trace("SC-2") == (first.pk, None)
    assert first.finished_at is not None and first.created == 2

    second = run(
        [row(commune="Lyon"), row(identifiant_mission="SC-2"), row(identifiant_mission="SC-3")]
    )
    assert counts(second) == (3, 1, 1, 1, 0)
    assert trace("SC-2026-0001") == (first.pk, second.pk)  # changed
    assert trace("SC-2") == (first.pk, None)  # the same row: left alone
    assert trace("SC-3") == (second.pk, None)

    third = import_missions(validate_rows(rows_from_objects([row(commune="Brest")])), "api")
    assert trace("SC-2026-0001") == (first.pk, third.pk)
    assert MissionImport.objects.count() == 3


def test_an_issued_mission_keeps_the_import_that_last_changed_it() -> None:
    first = run([row()])
    issue_badge(Mission.objects.get())
    run([row(nom="Autre")])
    assert trace("SC-2026-0001") == (first.pk, None)


def test_an_issued_badge_freezes_the_mission_and_is_reported() -> None:
    run([row()])
    mission = Mission.objects.get()
    issue_badge(mission)
    before = mission.updated_at
    result = run([row(nom="Autre", date_fin_effective="")])
    assert counts(result) == (1, 0, 0, 1, 0)
    assert result.unchanged_issued == 1
    mission.refresh_from_db()
    assert (mission.family_name, mission.eligible, mission.updated_at) == ("Exemple", True, before)
    assert result.warnings == [
        {
            "line": 2,
            "field": "identifiant_mission",
            "reason": "badge déjà émis : la mission n'est pas modifiée",
            "raw": {
                "identifiant_mission": "SC-2026-0001",
                "colonnes_ignorees": ["date_fin_effective", "nom"],
            },
        }
    ]


def test_an_identical_row_for_an_issued_badge_is_plainly_unchanged() -> None:
    run([row()])
    issue_badge(Mission.objects.get())
    result = run([row()])
    assert (result.unchanged, result.unchanged_issued, result.warnings) == (1, 0, [])


def test_an_absent_optional_column_keeps_the_stored_value() -> None:
    run([row(commune="Lille")])
    header = [c for c in HEADER if c not in ("commune", "date_fin_effective")]
    values = row(prenom="Camille-Rose")
    data = (";".join(header) + "\n" + ";".join(values[c] for c in header)).encode()
    result = import_csv(data, "csv")
    assert counts(result) == (1, 0, 1, 0, 0)
    mission = Mission.objects.get()
    assert (mission.given_name, mission.commune) == ("Camille-Rose", "Lille")
    assert mission.actual_end_date == dt.date(2026, 4, 30) and mission.eligible


def test_rejected_rows_are_kept_with_the_import() -> None:
    result = run([row(), row(identifiant_mission="SC-2", email="faux")])
    assert counts(result) == (2, 1, 0, 0, 1)
    (error,) = result.errors
    assert (error["line"], error["field"]) == (3, "email")
    assert error["raw"]["identifiant_mission"] == "SC-2"  # type: ignore[index]


def test_a_refused_file_is_recorded_with_its_reason() -> None:
    result = import_csv(b"nom;prenom\nA;B\n", "upload", "vieux.csv")
    assert result.failure.startswith("Colonne obligatoire absente de l'en-tête")
    assert counts(result) == (0, 0, 0, 0, 0)
    assert not Mission.objects.exists()


def test_it_imports_in_batches_and_reports_progress() -> None:
    rows = [row(identifiant_mission=f"SC-{i:05d}") for i in range(2500)]
    rows[1234]["date_debut"] = "2025-02-30"
    seen: list[int] = []
    result = import_csv(csv_bytes(rows), "csv", progress=seen.append)
    assert counts(result) == (2500, 2499, 0, 0, 1)
    assert seen == [2000, 2500]
    assert result.errors[0]["line"] == 1236
    assert Mission.objects.filter(eligible=True).count() == 2499
    rows[7]["nom"] = "Changé"
    again = import_csv(csv_bytes(rows), "csv")
    assert counts(again) == (2500, 0, 1, 2498, 1)


def test_a_new_mission_without_optional_columns_gets_the_model_defaults() -> None:
    header = ["identifiant_mission", "prenom", "nom", "email", "date_debut", "date_fin_prevue"]
    header += ["structure", "domaine"]
    values = row()
    data = (";".join(header) + "\n" + ";".join(values[c] for c in header)).encode()
    before = timezone.now()
    assert import_csv(data, "csv").created == 1
    mission = Mission.objects.get()
    assert (mission.end_reason, mission.actual_end_date, mission.commune, mission.host_siret) == (
        "terme",
        None,
        "",
        "",
    )
    assert (mission.eligible, mission.ineligibility_reason) == (False, eligibility.NOT_FINISHED)
    assert mission.email_undeliverable is False
    assert mission.start_date == dt.date(2025, 9, 1)
    assert before <= mission.created_at == mission.updated_at <= timezone.now()


def test_hostile_names_are_stored_as_text_without_invisible_controls() -> None:
    names = ["<script>alert(1)</script>", "محمد \u202eabc", "Zoé 👩🏽‍🚀", "N" * 300]
    rows = [row(identifiant_mission=f"H-{i}", nom=name) for i, name in enumerate(names)]
    assert run(rows).created == 4
    stored = dict(Mission.objects.values_list("external_id", "family_name"))
    # markup, scripts and emoji as given; the right-to-left override is dropped
    expected = ["<script>alert(1)</script>", "محمد abc", "Zoé 👩🏽‍🚀", "N" * 300]
    assert [stored[f"H-{i}"] for i in range(4)] == expected


def test_a_mission_created_meanwhile_by_another_import_is_updated_not_duplicated(
    monkeypatch,
) -> None:
    """Between our read and our insert another import commits the same mission."""
    run([row()])
    real_existing = services._existing
    calls: list[int] = []

    def stale_existing(ids):  # type: ignore[no-untyped-def]
        calls.append(1)
        return {} if len(calls) == 1 else real_existing(ids)

    monkeypatch.setattr(services, "_existing", stale_existing)
    result = run([row(commune="Brest")])
    assert counts(result) == (1, 0, 1, 0, 0) and len(calls) == 2
    assert Mission.objects.get().commune == "Brest"
