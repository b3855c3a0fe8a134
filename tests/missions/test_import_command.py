"""``manage.py import_missions PATH``: French summary, progress on stderr, exit codes."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from insigne.missions.management.commands import import_missions as command
from insigne.missions.models import Mission, MissionImport
from tests.missions.helpers import HEADER, csv_bytes, row

pytestmark = pytest.mark.django_db


def run(path: object) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_missions", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_prints_the_summary_and_each_rejected_row(make_csv) -> None:
    path = make_csv(csv_bytes([row(), row(identifiant_mission="SC-2", domaine="Cuisine")]))
    out, _ = run(path)
    assert out.splitlines() == [
        f"Import n° {MissionImport.objects.get().pk} : 2 lignes lues, 1 créées, "
        "0 mises à jour, 0 inchangées (dont 0 avec badge déjà émis), 1 rejetées.",
        "Rejet ligne 3, colonne domaine : domaine inconnu « Cuisine »",
    ]
    assert Mission.objects.count() == 1


def test_a_rerun_reports_every_row_unchanged(make_csv) -> None:
    path = make_csv(csv_bytes([row(), row(identifiant_mission="SC-2")]))
    run(path)
    out, _ = run(path)
    assert "2 lignes lues, 0 créées, 0 mises à jour, 2 inchangées" in out


def test_it_fails_when_the_file_is_missing(tmp_path) -> None:
    with pytest.raises(CommandError, match="Impossible de lire") as caught:
        run(tmp_path / "absent.csv")
    assert caught.value.returncode != 0
    assert not MissionImport.objects.exists()


def test_it_fails_when_a_required_column_is_missing(make_csv) -> None:
    header = [c for c in HEADER if c != "date_debut"]
    path = make_csv(";".join(header) + "\n")
    with pytest.raises(CommandError, match="Fichier refusé : Colonne obligatoire absente"):
        run(path)
    assert MissionImport.objects.get().failure


def test_it_shows_progress_on_stderr(make_csv, monkeypatch) -> None:
    monkeypatch.setattr(command, "PROGRESS_EVERY", 1000)
    rows = [row(identifiant_mission=f"SC-{i}") for i in range(4100)]
    out, err = run(make_csv(csv_bytes(rows)))
    assert err.splitlines() == ["… 2000 lignes lues", "… 4000 lignes lues"]
    assert "4100 lignes lues, 4100 créées" in out


def exit_status(path: object, monkeypatch) -> int:
    """What the shell sees: ``run_from_argv`` turns a CommandError into ``sys.exit``."""
    monkeypatch.setattr("sys.stdout", StringIO())
    monkeypatch.setattr("sys.stderr", StringIO())
    try:
        command.Command().run_from_argv(
            ["manage.py", "import_missions", str(path), "--skip-checks"]
        )
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_the_exit_status_is_zero_with_rejected_rows(make_csv, monkeypatch) -> None:
    assert exit_status(make_csv(csv_bytes([row(email="x")])), monkeypatch) == 0


def test_the_exit_status_is_non_zero_when_the_file_cannot_be_read(make_csv, monkeypatch) -> None:
    assert exit_status(make_csv(b"nom;prenom\n"), monkeypatch) == 1
    assert exit_status(make_csv(b"x").parent / "absent.csv", monkeypatch) == 1
