"""``python manage.py import_missions PATH``: import a mission CSV file.

Prints the summary in French; exits 0 when the file could be read (even with
rejected rows, which are listed), non-zero when it could not (missing file,
unreadable encoding, a required column missing).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from insigne.missions.models import MissionImport
from insigne.missions.services import Progress, import_csv

PROGRESS_EVERY = 10_000


class Command(BaseCommand):
    help = "Importe un fichier CSV de missions (mise à jour par identifiant_mission)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="fichier CSV (séparateur ; ou ,)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            stream = path.open("rb")  # streamed: the file is never held whole in memory
        except OSError as exc:
            raise CommandError(f"Impossible de lire {path} : {exc.strerror or exc}.") from exc
        with stream:
            result = import_csv(stream, "csv", path.name, progress=self._progress())
        if result.failure:
            raise CommandError(f"Fichier refusé : {result.failure}")
        self.stdout.write(summary_text(result))

    def _progress(self) -> Progress:
        shown = 0

        def report(read: int) -> None:
            nonlocal shown
            if read // PROGRESS_EVERY > shown // PROGRESS_EVERY:
                self.stderr.write(f"… {read} lignes lues")
            shown = read

        return report


def summary_text(result: MissionImport) -> str:
    lines = [
        f"Import n° {result.pk} : {result.read} lignes lues, {result.created} créées, "
        f"{result.updated} mises à jour, {result.unchanged} inchangées "
        f"(dont {result.unchanged_issued} avec badge déjà émis), {result.rejected} rejetées."
    ]
    lines += [_describe(item, "Rejet") for item in result.errors]
    lines += [_describe(item, "Avertissement") for item in result.warnings]
    return "\n".join(lines)


def _describe(item: dict[str, Any], kind: str) -> str:
    column = f", colonne {item['field']}" if item.get("field") else ""
    return f"{kind} ligne {item['line']}{column} : {item['reason']}"
