"""Reading files as spreadsheets write them: separators, encodings, date and label variants."""

from __future__ import annotations

import datetime as dt

import pytest

from insigne.missions.csv_format import (
    FileRejected,
    MissionRow,
    RejectedRow,
    read_csv,
    rows_from_objects,
    validate_rows,
)
from tests.missions.helpers import HEADER, csv_bytes, row


def read(data: bytes) -> list[MissionRow | RejectedRow]:
    return list(validate_rows(read_csv(data).rows))


def only_mission(data: bytes) -> MissionRow:
    (result,) = read(data)
    assert isinstance(result, MissionRow), result
    return result


@pytest.mark.parametrize("sep", [";", ","])
def test_it_reads_both_separators(sep: str) -> None:
    mission = only_mission(csv_bytes([row(structure="Association Démo")], sep=sep))
    assert mission.fields["host_name"] == "Association Démo"
    assert mission.fields["domain"] == "solidarite"


def test_it_reads_a_quoted_comma_inside_a_comma_separated_file() -> None:
    text = (
        ",".join(HEADER)
        + "\n"
        + ",".join('"Dupont, fils"' if c == "structure" else row()[c] for c in HEADER)
    )
    assert only_mission(text.encode()).fields["host_name"] == "Dupont, fils"


def test_it_ignores_a_utf8_byte_order_mark() -> None:
    mission = only_mission(b"\xef\xbb\xbf" + csv_bytes([row(prenom="Zoé")]))
    assert mission.fields["given_name"] == "Zoé"


def test_it_falls_back_to_windows_1252() -> None:
    data = csv_bytes([row(prenom="Zoé", nom="Lœuvre", structure="Œuvre — été")], encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    mission = only_mission(data)
    assert (mission.fields["given_name"], mission.fields["family_name"]) == ("Zoé", "Lœuvre")
    assert mission.fields["host_name"] == "Œuvre — été"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_it_reads_utf16_and_utf32_files(encoding: str) -> None:
    data = csv_bytes([row(prenom="Zoé", nom="Lœuvre")], encoding=encoding)
    mission = only_mission(data)
    assert (mission.fields["given_name"], mission.fields["family_name"]) == ("Zoé", "Lœuvre")


def test_a_utf8_file_with_a_windows_1252_row_is_read_right_and_says_which_line() -> None:
    utf8 = csv_bytes([row(prenom="Zoé"), row(identifiant_mission="SC-2")])
    pasted = ";".join(row(identifiant_mission="SC-3", prenom="Zoé")[c] for c in HEADER)
    csv_file = read_csv(utf8 + pasted.encode("cp1252") + b"\n")
    names = [r.fields["given_name"] for r in validate_rows(csv_file.rows)]  # type: ignore[union-attr]
    assert names == ["Zoé", "Camille", "Zoé"]  # no "ZoÃ©"
    [warning] = csv_file.warnings
    assert (warning.line, warning.field) == (4, "")
    assert "encodage mêlé" in warning.reason and "lignes 4)" in warning.reason


def test_a_line_in_no_known_encoding_rejects_its_row_only() -> None:
    data = csv_bytes([row(), row(identifiant_mission="SC-2", nom="Ex\x81")])
    data = data.replace("Ex\x81".encode(), b"Ex\x81")
    results = list(validate_rows(read_csv(data).rows))
    assert isinstance(results[0], MissionRow)
    assert isinstance(results[1], RejectedRow)
    assert (
        "octets illisibles en UTF-8 comme en Windows-1252 (ligne 3)" in results[1].errors[0].reason
    )


def test_it_reads_windows_line_endings() -> None:
    data = csv_bytes([row(), row(identifiant_mission="SC-2")]).replace(b"\n", b"\r\n")
    assert [r.line for r in read(data)] == [2, 3]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01", dt.date(2026, 3, 1)),
        ("01/03/2026", dt.date(2026, 3, 1)),
        ("1/3/2026", dt.date(2026, 3, 1)),
        ("29/02/2028", dt.date(2028, 2, 29)),
    ],
)
def test_it_reads_both_date_formats(text: str, expected: dt.date) -> None:
    mission = only_mission(csv_bytes([row(date_fin_effective=text)]))
    assert mission.fields["actual_end_date"] == expected


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("Éducation pour tous", "education"),
        ("EDUCATION POUR TOUS", "education"),
        ("education  pour   tous", "education"),
        ("education", "education"),
        ("Intervention d’urgence en cas de crise", "urgence"),
        ("Mémoire et citoyenneté", "memoire"),
        ("memoire et citoyennete", "memoire"),
        ("Développement international et action humanitaire", "international"),
        ("SANTÉ", "sante"),
    ],
)
def test_it_matches_domains_without_case_or_accents(label: str, code: str) -> None:
    assert only_mission(csv_bytes([row(domaine=label)])).fields["domain"] == code


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("<script>alert('x')</script>", "<script>alert('x')</script>"),
        ('&lt;b&gt; "O\'Brien"', '&lt;b&gt; "O\'Brien"'),
        ("محمد عبد الله", "محمد عبد الله"),
        ("\u202egnirts desrever", "gnirts desrever"),  # the invisible override goes
        ("Zoé 👩🏽‍🚀", "Zoé 👩🏽‍🚀"),
        ("N" * 300, "N" * 300),
    ],
)
def test_it_keeps_hostile_names_as_text(name: str, stored: str) -> None:
    values = row(nom=name)
    text = (
        ";".join(HEADER)
        + "\n"
        + ";".join('"' + v.replace('"', '""') + '"' for v in (values[c] for c in HEADER))
    )
    assert only_mission(text.encode()).fields["family_name"] == stored


def test_it_trims_spaces_around_values() -> None:
    mission = only_mission(csv_bytes([row(prenom="  Camille ", siret="123 456 789 01234")]))
    assert (mission.fields["given_name"], mission.fields["host_siret"]) == (
        "Camille",
        "12345678901234",
    )


def test_it_accepts_header_names_with_case_accents_and_spaces() -> None:
    header = ";".join(h.upper().replace("_", " ").replace("DEBUT", "DÉBUT") for h in HEADER)
    data = (header + "\n" + ";".join(row()[c] for c in HEADER)).encode()
    assert only_mission(data).fields["start_date"] == dt.date(2025, 9, 1)


def test_it_refuses_a_file_with_a_required_column_missing() -> None:
    header = [c for c in HEADER if c not in ("email", "domaine")]
    data = (";".join(header) + "\n").encode()
    with pytest.raises(
        FileRejected, match="Colonne obligatoire absente de l'en-tête : email, domaine"
    ):
        read_csv(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Le fichier est vide"),
        (b"\n\n", "Le fichier est vide"),
        (b"identifiant_mission;nom;nom\n", "Colonne en double dans l'en-tête : nom"),
        (b"\x81\x8d\x8f\x90", "Encodage non reconnu"),
    ],
)
def test_it_refuses_unreadable_files(data: bytes, message: str) -> None:
    with pytest.raises(FileRejected, match=message):
        read_csv(data)


def test_it_leaves_out_absent_optional_columns_and_warns_about_unknown_ones() -> None:
    header = [c for c in HEADER if c not in ("date_fin_effective", "commune")] + ["remarque"]
    values = row() | {"remarque": "à voir"}
    csv_file = read_csv((";".join(header) + "\n" + ";".join(values[c] for c in header)).encode())
    (mission,) = validate_rows(csv_file.rows)
    assert isinstance(mission, MissionRow)
    assert "actual_end_date" not in mission.fields and "commune" not in mission.fields
    assert [(w.line, w.field, w.reason) for w in csv_file.warnings] == [
        (1, "remarque", "colonne inconnue, ignorée")
    ]


def test_it_reads_json_objects_with_the_same_keys() -> None:
    objects: list[object] = [
        row(),
        {"identifiant_mission": "X", "prenom": 3, "couleur": "bleu"},
        "texte",
    ]
    first, second, third = validate_rows(rows_from_objects(objects))
    assert isinstance(first, MissionRow) and first.line == 1
    assert isinstance(second, RejectedRow)
    assert [(e.field, e.reason) for e in second.errors][:2] == [
        ("prenom", "texte attendu"),
        ("couleur", "champ inconnu"),
    ]
    assert isinstance(third, RejectedRow)
    assert [(e.line, e.reason) for e in third.errors] == [(3, "objet JSON attendu")]


def test_an_unclosed_quote_names_the_lines_it_swallowed() -> None:
    rows = [row(), row(identifiant_mission="B", nom='"Sans fin'), row(identifiant_mission="C")]
    first, second = read(csv_bytes(rows))
    assert isinstance(first, MissionRow) and isinstance(second, RejectedRow)
    assert [(e.line, e.field, e.reason) for e in second.errors] == [
        (
            3,
            "",
            "nombre de colonnes incorrect : 3 au lieu de 15, lignes 3 à 4 lues comme une seule "
            "(guillemet non fermé ?)",
        )
    ]


def test_a_value_beyond_the_csv_field_limit_rejects_only_its_line() -> None:
    rows = [row(), row(identifiant_mission="B", nom="N" * 200_000), row(identifiant_mission="C")]
    results = read(csv_bytes(rows))
    assert [(r.line, type(r).__name__) for r in results] == [
        (2, "MissionRow"),
        (3, "RejectedRow"),
        (4, "MissionRow"),
    ]
    assert results[1].errors[0].reason.startswith("ligne illisible")  # type: ignore[union-attr]
