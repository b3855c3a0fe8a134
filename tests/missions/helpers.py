"""Helpers for mission files: one valid row (a demo persona), a CSV writer, an issued badge."""

from __future__ import annotations

from insigne.badges.models import Credential
from insigne.missions.csv_format import COLUMNS
from insigne.missions.models import Mission
from tests.personas import make_badge_class, stored_credential

HEADER = list(COLUMNS)


def row(**overrides: str) -> dict[str, str]:
    """A valid, eligible, finished mission; keyword arguments replace columns."""
    values = {
        "identifiant_mission": "SC-2026-0001",
        "prenom": "Camille",
        "nom": "Exemple",
        "email": "camille.exemple@example.org",
        "date_debut": "2025-09-01",
        "date_fin_prevue": "2026-04-30",
        "date_fin_effective": "2026-04-30",
        "motif_fin": "terme",
        "structure": "Association Démo",
        "siret": "12345678901234",
        "numero_agrement": "NA-075-21-00001-00",
        "domaine": "Solidarité",
        "commune": "Paris",
        "departement": "75",
        "intitule_mission": "Accompagner les personnes isolées",
    }
    values.update(overrides)
    return values


def csv_text(rows: list[dict[str, str]], sep: str = ";", header: list[str] | None = None) -> str:
    columns = header or HEADER
    lines = [sep.join(columns)] + [sep.join(r.get(c, "") for c in columns) for r in rows]
    return "\n".join(lines) + "\n"


def csv_bytes(rows: list[dict[str, str]], sep: str = ";", encoding: str = "utf-8") -> bytes:
    return csv_text(rows, sep).encode(encoding)


def issue_badge(mission: Mission) -> Credential:
    """The smallest issued credential: enough for the import to see the badge."""
    return stored_credential(make_badge_class(), mission, ob3_json="", ob3_jwt="", ob2_json="")
