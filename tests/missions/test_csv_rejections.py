"""Every kind of bad row is reported with its physical line, its column and a French reason."""

from __future__ import annotations

import pytest

from insigne.missions.csv_format import MissionRow, RejectedRow, read_csv, validate_rows
from tests.missions.helpers import HEADER, row


def line(**overrides: str) -> str:
    values = row(**overrides)
    return ";".join(values[c] for c in HEADER)


GOOD = line(identifiant_mission="OK-1")
# (CSV line text, expected [(field, reason)]); the header is line 1.
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    (
        line(identifiant_mission="A1", date_debut="2025/09/01"),
        [("date_debut", "date illisible « 2025/09/01 » : AAAA-MM-JJ ou JJ/MM/AAAA attendu")],
    ),
    (
        line(identifiant_mission="A2", date_fin_prevue="31/02/2026"),
        [("date_fin_prevue", "date impossible « 31/02/2026 »")],
    ),
    (
        line(identifiant_mission="A3", date_debut="2025-13-01"),
        [("date_debut", "date impossible « 2025-13-01 »")],
    ),
    (
        line(identifiant_mission="A3b", date_debut="9999-12-31"),
        [
            (
                "date_debut",
                "date hors de la période admise « 9999-12-31 » : entre le 01/01/2000 et le "
                "31/12/2100",
            )
        ],
    ),
    (
        line(identifiant_mission="A4", domaine="Astronomie"),
        [("domaine", "domaine inconnu « Astronomie »")],
    ),
    (
        line(identifiant_mission="A5", email="pas-une-adresse"),
        [("email", "adresse électronique invalide « pas-une-adresse »")],
    ),
    (
        line(identifiant_mission="A6", date_fin_prevue="2025-08-31"),
        [("date_fin_prevue", "la date de fin prévue est antérieure à la date de début")],
    ),
    (
        line(identifiant_mission="A7", date_fin_effective="2025-08-01"),
        [("date_fin_effective", "la date de fin effective est antérieure à la date de début")],
    ),
    (
        line(identifiant_mission="OK-1", prenom="Autre"),
        [("identifiant_mission", "identifiant en double dans le fichier (déjà à la ligne 2)")],
    ),
    (line(identifiant_mission="A9", prenom=""), [("prenom", "valeur obligatoire manquante")]),
    (
        line(identifiant_mission="A10", motif_fin="abandon"),
        [("motif_fin", "motif de fin inconnu « abandon » : terme ou rupture_anticipee")],
    ),
    (
        line(identifiant_mission="A11", siret="1234"),
        [("siret", "le SIRET doit compter 14 chiffres")],
    ),
    (
        line(identifiant_mission="A12", siret="1234567890123A"),
        [("siret", "le SIRET doit compter 14 chiffres")],
    ),
    (
        line(identifiant_mission="A13", nom="N" * 301),
        [("nom", "valeur trop longue : 301 caractères, 300 au plus")],
    ),
    (
        ";".join(row(identifiant_mission="A14")[c] for c in HEADER[:-1]),
        [("", "nombre de colonnes incorrect : 14 au lieu de 15")],
    ),
    (
        line(identifiant_mission="A15") + ";en trop",
        [("", "nombre de colonnes incorrect : 16 au lieu de 15")],
    ),
    (
        line(identifiant_mission="A16", prenom="Jean\tPaul"),
        [("prenom", "caractère de contrôle interdit (tabulation, saut de ligne…)")],
    ),
    (
        line(identifiant_mission="A17", nom='"Sur deux\nlignes"'),
        [("nom", "caractère de contrôle interdit (tabulation, saut de ligne…)")],
    ),
    (
        line(identifiant_mission="SC 2026/18"),
        [
            (
                "identifiant_mission",
                "identifiant invalide : lettres sans accent, chiffres et . _ : - uniquement",
            )
        ],
    ),
    (
        line(identifiant_mission="X" * 65),
        [("identifiant_mission", "valeur trop longue : 65 caractères, 64 au plus")],
    ),
    (
        line(identifiant_mission="A20", departement="999"),
        [("departement", "numéro de département inconnu « 999 »")],
    ),
    (
        line(identifiant_mission="A21", motif_fin="rupture_anticipee", date_fin_effective=""),
        [("date_fin_effective", "rupture anticipée sans date de fin effective")],
    ),
    (line(identifiant_mission="A22", email=""), [("email", "valeur obligatoire manquante")]),
    (
        line(identifiant_mission="A23", date_fin_effective="demain"),
        [("date_fin_effective", "date illisible « demain » : AAAA-MM-JJ ou JJ/MM/AAAA attendu")],
    ),
    (
        line(identifiant_mission="A24", structure="S" * 301),
        [("structure", "valeur trop longue : 301 caractères, 300 au plus")],
    ),
    (
        line(identifiant_mission="A25", nom="Nul\x00"),
        [("nom", "caractère de contrôle interdit (tabulation, saut de ligne…)")],
    ),
    (
        line(identifiant_mission="A26", domaine="", date_debut="29/02/2026"),
        [
            ("date_debut", "date impossible « 29/02/2026 »"),
            ("domaine", "valeur obligatoire manquante"),
        ],
    ),
    (
        line(identifiant_mission="A27", email="a@" + "b" * 250 + ".fr"),
        [("email", "valeur trop longue : 255 caractères, 254 au plus")],
    ),
]


@pytest.fixture(scope="module")
def results() -> dict[int, MissionRow | RejectedRow]:
    # Line 2 is valid, line 3 blank (skipped but counted), then the cases; the
    # two-line quoted case shifts every following physical line by one.
    text = "\n".join(
        [";".join(HEADER), GOOD, ""] + [case for case, _ in CASES] + [GOOD.replace("OK-1", "OK-2")]
    )
    csv_file = read_csv(text.encode("utf-8"))
    return {result.line: result for result in validate_rows(csv_file.rows)}


def expected_lines() -> list[int]:
    lines, current = [], 4
    for case, _ in CASES:
        lines.append(current)
        current += case.count("\n") + 1
    return lines


@pytest.mark.parametrize(("index", "case"), list(enumerate(CASES)), ids=lambda v: str(v)[:20])
def test_it_reports_each_bad_row_with_line_field_and_reason(results, index, case) -> None:
    result = results[expected_lines()[index]]
    assert isinstance(result, RejectedRow)
    assert [(e.line, e.field, e.reason) for e in result.errors] == [
        (result.line, field, reason) for field, reason in case[1]
    ]


def test_it_keeps_the_valid_rows_around_the_bad_ones(results) -> None:
    valid = [r for r in results.values() if isinstance(r, MissionRow)]
    last_line = expected_lines()[-1] + 1
    assert [(r.line, r.external_id) for r in valid] == [(2, "OK-1"), (last_line, "OK-2")]
    assert len(results) == len(CASES) + 2


def test_it_counts_physical_lines_after_a_quoted_line_break(results) -> None:
    quoted_index = next(i for i, (case, _) in enumerate(CASES) if "\n" in case)
    after = expected_lines()[quoted_index + 1]
    assert after == expected_lines()[quoted_index] + 2
    assert results[after].raw["identifiant_mission"] == "SC 2026/18"
