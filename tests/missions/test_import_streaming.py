"""The import at scale: a streamed file, rows skipped when unchanged, one result on every engine."""

from __future__ import annotations

import csv
import io

import pytest

from insigne.claims.services import change_address
from insigne.missions import csv_format, services
from insigne.missions.csv_format import MissionRow, read_csv, validate_rows
from insigne.missions.models import Mission
from insigne.missions.services import import_csv
from tests.missions.helpers import csv_bytes, csv_text, row

pytestmark = pytest.mark.django_db


def many(count: int, **overrides: str) -> list[dict[str, str]]:
    return [
        row(identifiant_mission=f"SC-{i}", email=f"v{i}@example.org", **overrides)
        for i in range(count)
    ]


def test_a_file_on_disk_is_read_as_the_rows_are_taken_not_whole(make_csv) -> None:  # type: ignore[no-untyped-def]
    path = make_csv(csv_bytes(many(3000)))
    size = path.stat().st_size
    with path.open("rb") as stream:
        rows = read_csv(stream).rows
        next(rows)
        assert stream.tell() < size / 4  # only the first buffers were read
        assert sum(1 for _ in rows) == 2999


def test_a_file_object_and_its_bytes_give_the_same_import(make_csv) -> None:  # type: ignore[no-untyped-def]
    data = csv_bytes([*many(3), row(identifiant_mission="SC-1"), row(email="x")])
    with make_csv(data).open("rb") as stream:
        from_file = import_csv(stream, "csv", "a.csv")
    Mission.objects.all().delete()
    from_bytes = import_csv(data, "csv", "a.csv")
    summary = ("read", "created", "updated", "unchanged", "rejected", "errors", "warnings")
    assert [getattr(from_file, f) for f in summary] == [getattr(from_bytes, f) for f in summary]
    assert (from_bytes.created, from_bytes.rejected) == (3, 2)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
@pytest.mark.parametrize("chunk", [3, 7, 64])
def test_a_wide_file_read_in_small_chunks_gives_the_rows_of_the_whole_text(
    monkeypatch: pytest.MonkeyPatch, encoding: str, chunk: int
) -> None:
    """Line ends (``\\r\\n`` cut between two chunks, a lone ``\\r``) are the whole text's."""
    text = csv_text(many(4, prenom="Zoé", intitule_mission='"deux\nlignes"'))
    text = text.replace("\n", "\r\n") + "\r" + text.splitlines()[1]
    monkeypatch.setattr(csv_format, "_CHUNK", chunk)
    streamed = [(r.line, r.values, r.problems) for r in read_csv(text.encode(encoding)).rows]
    whole = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    header = next(whole)
    expected = [dict(zip(header, cells, strict=True)) for cells in whole if cells]
    assert [values for _line, values, _problems in streamed] == expected
    assert [line for line, _values, _problems in streamed] == [2, 4, 6, 8, 11]


def test_an_invalid_utf16_file_is_refused_before_any_row_is_imported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(csv_format, "_CHUNK", 16)
    data = csv_bytes(many(3), encoding="utf-16-le")
    data = b"\xff\xfe" + data[:200] + b"\x00\xd8\x41\x00" + data[200:]  # a lone high surrogate
    with pytest.raises(UnicodeDecodeError) as whole:
        data.decode("utf-16")
    result = import_csv(data, "csv")
    assert f"UTF-16 mais ses octets sont invalides à partir de l'octet {whole.value.start}." in (
        result.failure
    )
    assert not Mission.objects.exists()


def test_an_unchanged_row_is_not_validated_again(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = many(5)
    import_csv(csv_bytes(rows), "csv")
    validated: list[int] = []
    real = services.validate_row

    def counting(raw, digest=None):  # type: ignore[no-untyped-def]
        validated.append(raw.line)
        return real(raw, digest)

    monkeypatch.setattr(services, "validate_row", counting)
    rows[2] = rows[2] | {"commune": "Brest"}
    again = import_csv(csv_bytes([*rows, rows[0]]), "csv")
    assert (again.unchanged, again.updated, again.rejected) == (4, 1, 1)
    assert validated == [4, 7]  # the changed row, and the repeated id (rejected as before)
    assert "déjà à la ligne 2" in str(again.errors[0]["reason"])
    assert Mission.objects.get(external_id="SC-2").commune == "Brest"


def test_an_address_changed_by_support_is_compared_in_full_at_the_next_import() -> None:
    import_csv(csv_bytes(many(2)), "csv")
    change_address(Mission.objects.get(external_id="SC-1"), "corrige@example.org")
    again = import_csv(csv_bytes(many(2)), "csv")
    assert (again.unchanged, again.updated) == (1, 1)  # the file still holds the old address
    assert Mission.objects.get(external_id="SC-1").email == "v1@example.org"
    assert import_csv(csv_bytes(many(2)), "csv").unchanged == 2


def test_rows_equal_in_value_but_not_in_text_are_unchanged_and_then_skipped() -> None:
    import_csv(csv_bytes(many(3)), "csv")
    spaced = [r | {"commune": f"  {r['commune']} "} for r in many(3)]
    first = import_csv(csv_bytes(spaced), "csv")
    assert (first.unchanged, first.updated) == (3, 0)
    digests = set(Mission.objects.values_list("import_digest", flat=True))
    [mission_row] = list(validate_rows(read_csv(csv_bytes(spaced[:1])).rows))
    assert isinstance(mission_row, MissionRow) and mission_row.digest in digests


EXPECTED_SUMMARY = {
    "read": 7,
    "created": 4,
    "updated": 0,
    "unchanged": 0,
    "rejected": 3,
    "errors": [
        {"line": 4, "field": "email", "reason": "adresse électronique invalide « x »"},
        {"line": 6, "field": "date_debut", "reason": "date impossible « 2025-02-30 »"},
        {
            "line": 8,
            "field": "identifiant_mission",
            "reason": "identifiant en double dans le fichier (déjà à la ligne 2)",
        },
    ],
}


def test_the_same_file_gives_the_same_summary_and_missions_on_every_engine() -> None:
    """Run on SQLite and on PostgreSQL (``DATABASE_URL``): both must give this."""
    rows = [
        *many(2),
        row(identifiant_mission="SC-X", email="x"),
        row(identifiant_mission="SC-3", date_fin_effective=""),
        row(identifiant_mission="SC-4", date_debut="2025-02-30"),
        row(
            identifiant_mission="SC-5",
            motif_fin="rupture_anticipee",
            date_fin_effective="2025-10-01",
        ),
        row(identifiant_mission="SC-0"),
    ]
    result = import_csv(csv_bytes(rows), "csv")
    summary = {k: getattr(result, k) for k in EXPECTED_SUMMARY if k != "errors"}
    errors = [{k: e[k] for k in ("line", "field", "reason")} for e in result.errors]
    assert summary | {"errors": errors} == EXPECTED_SUMMARY
    stored = list(
        Mission.objects.order_by("external_id").values_list(
            "external_id", "eligible", "ineligibility_reason", "start_date", "actual_end_date"
        )
    )
    assert [(s[0], s[1], s[2]) for s in stored] == [
        ("SC-0", True, ""),
        ("SC-1", True, ""),
        ("SC-3", False, "mission_en_cours"),
        ("SC-5", False, "rupture_avant_6_mois"),
    ]
    assert str(stored[0][3]) == "2025-09-01" and stored[2][4] is None
