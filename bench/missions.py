"""Benchmark: importing a generated 100,000-row mission file (``python -m bench.missions``).

Runs on a throwaway SQLite database in a temporary folder (WAL, as in the
embedded mode), or on ``BENCH_DATABASE_URL`` when given. Measures the first
import (every row created) and a re-import of the same file (every row
unchanged, nothing written), in rows per second.
"""

from __future__ import annotations

import csv
import io
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta

ROWS = 100_000
COLUMNS = (
    "identifiant_mission;prenom;nom;email;date_debut;date_fin_prevue;date_fin_effective;"
    "motif_fin;structure;siret;numero_agrement;domaine;commune;departement;intitule_mission"
)
DOMAINS = ("Solidarité", "Santé", "Éducation pour tous", "Culture et loisirs", "sport")
GIVEN = ("Camille", "Zoé", "Yanis", "Inès", "Noah", "Léa", "Adam", "Chloé")
FAMILY = ("Exemple", "Démo", "Essai", "Modèle", "Témoin")


def generate_csv(rows: int = ROWS, seed: int = 2026, prefix: str = "SC") -> bytes:
    """A mission file as the agency would export it, one row in a hundred invalid."""
    rng = random.Random(seed)
    lines = [COLUMNS]
    for index in range(rows):
        start = date(2024, 1, 1) + timedelta(days=rng.randrange(700))
        planned = start + timedelta(days=rng.choice((180, 240, 300, 365)))
        early = rng.random() < 0.2
        actual = start + timedelta(days=rng.randrange(30, 170)) if early else planned
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        email = f"volontaire.{index}@example.org" if index % 100 else "invalide"
        lines.append(
            f"{prefix}-{index:07d};{given};{family};{email};{start:%d/%m/%Y};{planned.isoformat()};"
            f"{actual.isoformat()};{'rupture_anticipee' if early else 'terme'};"
            f"Association Démo {index % 5000};{rng.randrange(10**13, 10**14)};"
            f"NA-{index % 95:03d}-21-{index:05d}-00;{rng.choice(DOMAINS)};Commune {index % 900};"
            f"{rng.randrange(1, 96):02d};Mission d'intérêt général n° {index}"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def _setup_django() -> None:
    """Alone: a throwaway SQLite database; inside ``python -m bench``: its test settings."""
    import django
    from django.conf import settings

    if not settings.configured:
        folder = tempfile.mkdtemp(prefix="insigne-bench-")
        os.environ["INSIGNE_DATA_DIR"] = folder
        os.environ.setdefault("SECRET_KEY", "bench-only-secret")
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite3"
        os.environ["DATABASE_URL"] = url
        os.environ["DJANGO_SETTINGS_MODULE"] = "insigne.settings"
        django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)


def bench_import_missions(rows: int = ROWS) -> dict[str, float]:
    """Time a first import and an identical re-import; return the figures.

    Identifiers carry a random prefix and only those missions are deleted at
    the end, so a database that already holds missions is left as it was.
    """
    _setup_django()
    from insigne.missions.models import Mission, MissionImport
    from insigne.missions.services import import_csv

    prefix = f"BENCH{random.randrange(10**6):06d}"
    data = generate_csv(rows, prefix=prefix)
    started = time.perf_counter()
    parsed = sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8")), delimiter=";"))
    reference_seconds = time.perf_counter() - started
    assert parsed == rows + 1
    try:
        started = time.perf_counter()
        first = import_csv(data, "csv", "bench.csv")
        first_seconds = time.perf_counter() - started
        started = time.perf_counter()
        second = import_csv(data, "csv", "bench.csv")
        second_seconds = time.perf_counter() - started
    finally:
        Mission.objects.filter(external_id__startswith=prefix).delete()
    MissionImport.objects.filter(pk__in=[first.pk, second.pk]).delete()
    assert first.created + first.rejected == rows and second.unchanged == first.created
    return {
        "rows": rows,
        "import_seconds": first_seconds,
        "import_rows_per_second": rows / first_seconds,
        "reimport_seconds": second_seconds,
        "reimport_rows_per_second": rows / second_seconds,
        "reference_seconds": reference_seconds,
    }


def bench_missions_import() -> list[tuple[str, float, str]]:
    """The rows for ``python -m bench`` (wall time: the import is mostly database work)."""
    figures = bench_import_missions()
    return [
        ("import 100,000-row mission CSV (SQLite, wall time)", figures["import_seconds"], "s"),
        ("import missions, first run", figures["import_rows_per_second"], "rows/s"),
        ("re-import, all unchanged", figures["reimport_rows_per_second"], "rows/s"),
        (
            "import time / plain csv.reader pass over the same file (reference)",
            figures["import_seconds"] / figures["reference_seconds"],
            "×",
        ),
    ]


def report(figures: dict[str, float]) -> str:
    return (
        f"import_missions: {figures['rows']:,.0f} rows in {figures['import_seconds']:.1f} s "
        f"({figures['import_rows_per_second']:,.0f} rows/s); identical re-import "
        f"{figures['reimport_seconds']:.1f} s ({figures['reimport_rows_per_second']:,.0f} rows/s)"
    )


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else ROWS
    print(report(bench_import_missions(rows)))


if __name__ == "__main__":
    main()
