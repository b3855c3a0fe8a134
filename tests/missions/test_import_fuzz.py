"""A seeded fuzz of the import: thousands of malformed rows of many kinds, mixed encodings.

Every data line of the file is either imported (the mission exists, its names read
as written) or named in the report (its line, or a range of lines read as one);
the import never fails. The suite runs it on SQLite and, with ``DATABASE_URL``, on
PostgreSQL, which refuses NUL bytes in text: the two files that crashed the
import (year 9999, a NUL in a rejected row) are among the kinds.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from insigne.missions.models import Mission, MissionImport
from insigne.missions.services import import_csv
from insigne.platform import roles
from insigne.programme.models import BackgroundImport
from tests.missions.helpers import HEADER, row
from tests.personas import make_staff

pytestmark = pytest.mark.django_db
SEED = 20261201
MALFORMED_ROWS = 2100
VALID_ROWS = 400
TOKEN = "jeton-de-fuzz-0123456789"


@dataclass(frozen=True)
class Line:
    """One record of the file: its bytes (one or more physical lines) and what to expect."""

    data: bytes
    external_id: str
    valid: bool
    given_name: str = ""
    text_only: bool = True  # the same record can be written in UTF-16 and sent as JSON


def encode(values: dict[str, str]) -> bytes:
    return ";".join(values.get(c, "") for c in HEADER).encode("utf-8")


def valued(kind: Callable[[dict[str, str]], None]) -> Callable[[str], Line]:
    """A kind that changes values of a valid row; the row is then rejected."""

    def make(external_id: str) -> Line:
        values = row(identifiant_mission=external_id)
        kind(values)
        return Line(encode(values), external_id, valid=False)

    return make


def set_(**changes: str) -> Callable[[dict[str, str]], None]:
    return lambda values: values.update(changes)


VALUE_KINDS: dict[str, Callable[[dict[str, str]], None]] = {
    "year 9999": set_(date_debut="9999-12-31"),
    "year 9999 at the end": set_(date_fin_effective="31/12/9999", date_fin_prevue="31/12/9999"),
    "year 1": set_(date_debut="0001-01-01"),
    "year 1899": set_(date_debut="1899-05-01"),
    "impossible day": set_(date_fin_prevue="31/02/2026"),
    "unreadable date": set_(date_debut="2026/13/45"),
    "end before start": set_(date_fin_prevue="2025-01-01"),
    "actual end before start": set_(date_fin_effective="2025-01-01"),
    "early end without date": set_(motif_fin="rupture_anticipee", date_fin_effective=""),
    "NUL in a name": set_(prenom="Cam\x00ille"),
    "NUL in a rejected row": set_(prenom="Zo\x00é", email="pas-une-adresse"),
    "NUL alone": set_(nom="\x00"),
    "tab": set_(structure="Association\tDémo"),
    "C1 control": set_(commune="Par\x85is"),
    "DEL": set_(intitule_mission="Aider\x7f"),
    "bad address": set_(email="pas-une-adresse"),
    "empty name": set_(nom="   "),
    "name too long": set_(prenom="A" * 301),
    "id too long": set_(identifiant_mission="X" * 65),
    "id with accents": set_(identifiant_mission="é-123"),
    "unknown domain": set_(domaine="Astronautique"),
    "unknown end reason": set_(motif_fin="démission"),
    "short SIRET": set_(siret="1234567890123"),
    "unknown departement": set_(departement="00"),
    "blank start": set_(date_debut=""),
}


def wrong_count(external_id: str) -> Line:
    return Line(encode(row(identifiant_mission=external_id)) + b";en trop", external_id, False)


def too_few(external_id: str) -> Line:
    return Line(f"{external_id};Camille;Exemple".encode(), external_id, False)


def open_quote(external_id: str) -> Line:
    """A quote left open swallows the next line: two lines, one record, both named."""
    values = row(identifiant_mission=external_id, prenom='"Camille')
    return Line(encode(values) + b'\nsuite" de la ligne', external_id, False)


def huge_cell(external_id: str) -> Line:
    values = row(identifiant_mission=external_id, intitule_mission='"' + "x" * 140_000 + '"')
    return Line(encode(values), external_id, False)


def undecodable(external_id: str) -> Line:
    """Bytes that are neither UTF-8 nor Windows-1252 (0x81 is unassigned there)."""
    data = encode(row(identifiant_mission=external_id)).replace(b"Camille", b"Cam\x81\x8dille")
    return Line(data, external_id, False, text_only=False)


def duplicate(external_id: str) -> Line:
    """The second row of an identifier already in the file."""
    return Line(encode(row(identifiant_mission="SC-FUZZ-DOUBLE")), "SC-FUZZ-DOUBLE", False)


def windows_1252(external_id: str) -> Line:
    """A row pasted from a Windows spreadsheet into a UTF-8 file: read right, imported."""
    name = "Zoé Lœuvre-Çà"
    values = row(identifiant_mission=external_id, prenom=name)
    data = ";".join(values[c] for c in HEADER).encode("cp1252")
    return Line(data, external_id, True, name, text_only=False)


def valid(external_id: str) -> Line:
    name = random.Random(external_id).choice(["Zoé", "Åsa", "Ñandú", "李", "Nour نور", "=1+1"])
    values = row(identifiant_mission=external_id, prenom=name)
    return Line(encode(values), external_id, True, name)


LINE_KINDS: dict[str, Callable[[str], Line]] = {
    **{name: valued(kind) for name, kind in VALUE_KINDS.items()},
    "wrong cell count": wrong_count,
    "too few cells": too_few,
    "open quote": open_quote,
    "cell over the csv limit": huge_cell,
    "undecodable bytes": undecodable,
    "duplicate id": duplicate,
}


def fuzz_lines(seed: int, *, text_only: bool = False) -> list[Line]:
    rng = random.Random(seed)
    kinds = [k for k in LINE_KINDS.values() if not text_only or k is not undecodable]
    lines = [rng.choice(kinds)(f"SC-FUZZ-{n:05d}") for n in range(MALFORMED_ROWS)]
    lines += [valid(f"SC-OK-{n:05d}") for n in range(VALID_ROWS)]
    if not text_only:
        lines += [windows_1252(f"SC-CP-{n:05d}") for n in range(40)]
    rng.shuffle(lines)
    # The first row of the doubled identifier is valid; the later ones are reported.
    return [valid("SC-FUZZ-DOUBLE"), *lines]


def file_of(lines: list[Line]) -> bytes:
    return b"\n".join([";".join(HEADER).encode(), *(line.data for line in lines)]) + b"\n"


def reported_lines(result: MissionImport) -> set[int]:
    """Every physical line the report names, ranges of lines read as one included."""
    named = set()
    for error in result.errors:
        named.add(error["line"])
        for start, end in re.findall(r"lignes (\d+) à (\d+)", error["reason"]):
            named.update(range(int(start), int(end) + 1))
    return named


def assert_nothing_lost(result: MissionImport, lines: list[Line]) -> None:
    assert result.failure == ""
    reported = reported_lines(result)
    imported = dict(Mission.objects.values_list("external_id", "given_name"))
    physical = 2  # the header is line 1
    for line in lines:
        span = range(physical, physical + line.data.count(b"\n") + 1)
        physical = span.stop
        if line.valid:
            assert imported.get(line.external_id) == line.given_name, line
            assert reported.isdisjoint(span), line
        else:
            assert not reported.isdisjoint(span), line
    expected_valid = len({line.external_id for line in lines if line.valid})
    assert result.created == expected_valid == len(imported)
    assert result.created + result.rejected == result.read


def test_a_mixed_utf8_and_windows_1252_fuzz_file_loses_no_row():
    lines = fuzz_lines(SEED)
    assert len(LINE_KINDS) >= 25 and sum(not line.valid for line in lines) >= 2000

    result = import_csv(file_of(lines), "csv", "fuzz.csv")

    assert_nothing_lost(result, lines)
    [mixed] = [w for w in result.warnings if w["reason"].startswith("encodage mêlé")]
    assert "40 ligne(s) en Windows-1252" in mixed["reason"]
    reasons = " ".join(error["reason"] for error in result.errors)
    assert "date hors de la période admise « 9999-12-31 »" in reasons
    assert "octets illisibles en UTF-8 comme en Windows-1252" in reasons
    stored = MissionImport.objects.get(pk=result.pk)  # the report itself went through the database
    assert any("\\u0000" in json.dumps(error["raw"]) for error in stored.errors)


def test_the_same_fuzz_in_utf16_with_bom_is_read_the_same():
    lines = fuzz_lines(SEED + 1, text_only=True)
    data = file_of(lines).decode("utf-8").encode("utf-16")
    assert data.startswith((b"\xff\xfe", b"\xfe\xff"))

    assert_nothing_lost(import_csv(data, "csv", "fuzz-utf16.csv"), lines)


def test_the_upload_page_and_the_api_report_the_same_rows_and_never_fail(
    settings, django_capture_on_commit_callbacks
):
    settings.INSIGNE_API_TOKEN = TOKEN
    rng = random.Random(SEED + 2)
    objects = []
    for n in range(300):
        values = row(identifiant_mission=f"SC-API-{n:05d}")
        rng.choice(list(VALUE_KINDS.values()))(values)
        objects.append(values)
    data = ";".join(HEADER).encode() + b"\n"
    data += b"\n".join(encode(values) for values in objects) + b"\n"
    staff = Client()
    staff.force_login(make_staff("agent", roles.PROGRAMME_MANAGER))

    with django_capture_on_commit_callbacks(execute=True):  # the worker's task, run at once
        uploaded = staff.post(
            reverse("programme_imports"), {"file": SimpleUploadedFile("f.csv", data, "text/csv")}
        )
    assert uploaded.status_code == 302
    assert staff.get(uploaded["Location"]).status_code == 200
    job = BackgroundImport.objects.get()
    assert job.status == "done"
    by_upload = MissionImport.objects.get(source="upload")
    assert job.result == by_upload
    report = reverse("programme_import_result", args=[by_upload.pk])
    for page in ("1", "2", "last", "x"):
        assert staff.get(report, {"page": page}).status_code == 200
    assert staff.get(reverse("programme_rejected_csv", args=[by_upload.pk])).status_code == 200
    Mission.objects.all().delete()
    answer = Client().post(
        "/api/v1/missions",
        json.dumps(objects),
        content_type="application/json",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )

    assert answer.status_code == 200
    by_api = answer.json()
    assert by_api["rejected"] == by_upload.rejected > 250
    # Same rows, same columns, same reasons; a file counts its header as line 1.
    assert [(e["line"], e["field"], e["reason"]) for e in by_api["errors"]] == [
        (e["line"] - 1, e["field"], e["reason"]) for e in by_upload.errors
    ]


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'[{"prenom": NaN}]',
        b'[{"prenom": "\\ud800", "nom": {"a": ["\\u0000", 1e999]}, "\\u0000": 1}]',
        b'[1, null, [], "\\u0000"]',
        '[{"prenom": 1}]'.encode("utf-16"),
    ],
)
def test_no_api_body_answers_500(settings, body):
    settings.INSIGNE_API_TOKEN = TOKEN
    response = Client().post(
        "/api/v1/missions",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code in {200, 400}, response.content[:300]
    assert response.json().get("rejected", 1) > 0 or response.status_code == 400
