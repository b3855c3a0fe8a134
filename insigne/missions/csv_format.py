"""The mission file format: reading and validating rows, with no database.

One row per mission, a header row first (column order free)::

    identifiant_mission;prenom;nom;email;date_debut;date_fin_prevue;
    date_fin_effective;motif_fin;structure;siret;numero_agrement;domaine;
    commune;departement;intitule_mission

Decisions, so that the agency knows what happens to each row:

* Encoding: a UTF-16 or UTF-32 byte-order mark (or UTF-16 without one, told
  by its zero bytes) is followed. Otherwise UTF-8 (with or without BOM) is
  tried strictly on the whole file; when that fails, each line is read in
  UTF-8 if it can be, else in Windows-1252 (what spreadsheet software writes
  on French Windows), so a UTF-8 file with a few pasted Windows-1252 rows is
  read correctly and a warning names those lines. A line readable in neither
  rejects its row with that reason (the whole file when it is the header).
* Separator: ``;`` or ``,``, whichever the header line uses more.
* Header names are compared without case, accents or surrounding spaces. The
  columns in ``REQUIRED_COLUMNS`` must be there, or the whole file is refused.
  An optional column that is absent leaves that value untouched on missions
  that already exist (and empty on new ones). Unknown columns are ignored and
  reported as warnings, so a misspelt optional column is noticed.
* Values are trimmed. A value holding a control character (tab, line break
  inside quotes, NUL, …) or half of a UTF-16 surrogate pair (possible in
  JSON) rejects its row: such bytes are corruption, not names. Dates must
  lie between ``EARLIEST_DATE`` and ``LATEST_DATE``. Reports show NUL and
  surrogates as escapes (backslash, ``u``, four hex digits), so any row can be
  stored in the report. Everything else is kept as text, markup,
  right-to-left scripts and emoji included; escaping is the templates' job.
* Names and texts that are signed (``prenom``, ``nom``, ``structure``,
  ``commune``, ``intitule_mission``) are normalised as the claim form does
  (``insigne.platform.text.clean_display_text``): NFC, no invisible format
  characters (bidi controls, zero-width characters, BOM), single spaces. A
  required name left empty by this is rejected.
* Entirely blank lines are skipped (they hold no mission). Every other line
  is either imported or reported with its physical line number (header = 1),
  the column and the reason, in French.
* When an ``identifiant_mission`` appears twice, the first row wins and the
  later ones are rejected.

The same validation serves the JSON API, whose objects use the column names
as keys (``RawRow.line`` is then the position in the list, from 1).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import hashlib
import io
import itertools
import math
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Set
from dataclasses import dataclass, field
from typing import BinaryIO, Protocol

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils import translation

from insigne.missions.models import Domain, EndReason
from insigne.platform.text import clean_display_text

# column name -> Mission field name
COLUMNS: dict[str, str] = {
    "identifiant_mission": "external_id",
    "prenom": "given_name",
    "nom": "family_name",
    "email": "email",
    "date_debut": "start_date",
    "date_fin_prevue": "planned_end_date",
    "date_fin_effective": "actual_end_date",
    "motif_fin": "end_reason",
    "structure": "host_name",
    "siret": "host_siret",
    "numero_agrement": "host_agrement",
    "domaine": "domain",
    "commune": "commune",
    "departement": "departement",
    "intitule_mission": "title",
}
REQUIRED_COLUMNS = (
    "identifiant_mission",
    "prenom",
    "nom",
    "email",
    "date_debut",
    "date_fin_prevue",
    "structure",
    "domaine",
)
MAX_LENGTHS = {
    "identifiant_mission": 64,
    "prenom": 300,
    "nom": 300,
    "email": 254,
    "structure": 300,
    "numero_agrement": 64,
    "commune": 200,
    "intitule_mission": 300,
}
_REQUIRED_SET = frozenset(REQUIRED_COLUMNS)
# Kept in an error report, so that a 1 MB cell does not become a 1 MB report.
RAW_VALUE_LIMIT = 500
# How deep a JSON value is copied into a report, and how many items of a list or object.
RAW_DEPTH_LIMIT, RAW_ITEMS_LIMIT = 4, 20
# Plausible mission dates: the programme began in 2010; anything outside is a typo
# (and year 9999 would overflow the eligibility arithmetic).
EARLIEST_DATE, LATEST_DATE = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
# Lines named in the mixed-encoding warning, at most.
NAMED_LINES_LIMIT = 20

Value = str | dt.date | None


class FileRejected(Exception):
    """The file as a whole cannot be imported (unreadable, missing columns)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    line: int
    field: str  # column name, "" when the problem is the whole line
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "field": self.field, "reason": self.reason}


@dataclass(frozen=True)
class RawRow:
    """One row as read: column -> text, plus problems found while reading it."""

    line: int
    values: dict[str, str]
    problems: tuple[RowError, ...] = ()
    # What to show in a report when it is not ``values`` (unaligned cells, a JSON value).
    shown: object = None

    @property
    def raw(self) -> object:
        """The row for an error report, long values clipped (only built for rejected rows)."""
        if self.shown is not None:
            return self.shown
        return {name: _clip(value) for name, value in self.values.items()}


@dataclass(frozen=True)
class MissionRow:
    """A valid row: Mission field name -> typed value, only for columns present."""

    line: int
    external_id: str
    fields: dict[str, Value]
    # ``row_digest`` of the row as read, kept on the mission written from it.
    digest: int | None = None


@dataclass(frozen=True)
class RejectedRow:
    line: int
    errors: tuple[RowError, ...]
    raw: object


@dataclass
class CsvFile:
    columns: list[str]
    rows: Iterator[RawRow]
    warnings: list[RowError] = field(default_factory=list)


@dataclass(frozen=True)
class Decoded:
    text: str
    # Physical lines (header = 1) read in neither UTF-8 nor Windows-1252.
    unreadable_lines: frozenset[int] = frozenset()
    warnings: tuple[RowError, ...] = ()


# --- reading -------------------------------------------------------------------------

_UNREADABLE_FILE = "Encodage non reconnu : enregistrez le fichier en UTF-8 (ou Windows-1252)."
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Bytes read at a time from a wide-encoded file (UTF-16/32), which has no byte lines.
_CHUNK = 1 << 20
_LINE_END = re.compile(r"(\r\n|\r|\n)")

Source = bytes | BinaryIO


class _Lines:
    """The file's text, one physical line at a time (line ends kept), never held whole.

    UTF-16/32 files are checked by a first pass over the bytes (so that a broken
    one is refused before any row is imported), then decoded as they are read.
    Other files are read byte line by byte line: UTF-8 when the line is valid
    UTF-8, else Windows-1252 (see the module docstring). UTF-8 needs no look at
    the whole file first: a valid UTF-8 file read line by line is the same text.
    ``warnings`` is complete once the lines are exhausted.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.unreadable: set[int] = set()
        self.warnings: list[RowError] = []
        stream.seek(0)  # an upload may have been looked at already
        head = stream.read(200)
        stream.seek(0)
        self.wide = _wide_encoding(head)
        if self.wide is not None:
            self._check_wide(self.wide)
        self.utf8_accents = False
        self.cp1252_lines: list[int] = []

    def _check_wide(self, encoding: str) -> None:
        decoder = codecs.getincrementaldecoder(encoding)()
        fed = 0
        while chunk := self.stream.read(_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                at = fed - len(decoder.getstate()[0]) + exc.start
                raise FileRejected(
                    f"Encodage non reconnu : le fichier semble en {encoding.upper()} mais ses "
                    f"octets sont invalides à partir de l'octet {at}. Enregistrez-le en UTF-8."
                ) from exc
            fed += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise FileRejected(
                f"Encodage non reconnu : le fichier semble en {encoding.upper()} mais ses "
                f"octets sont invalides à partir de l'octet {fed - 1}. Enregistrez-le en UTF-8."
            ) from exc
        self.stream.seek(0)

    def __iter__(self) -> Iterator[str]:
        lines = self._wide_lines() if self.wide else self._byte_lines()
        yield from lines
        self._finish()

    def _wide_lines(self) -> Iterator[str]:
        assert self.wide is not None
        decoder = codecs.getincrementaldecoder(self.wide)()
        carry, first = "", True
        while True:
            chunk = self.stream.read(_CHUNK)
            text = carry + decoder.decode(chunk, final=not chunk)
            if first and text:
                text, first = text.removeprefix("\ufeff"), False
            parts = _LINE_END.split(text)
            # parts: text, end, text, end, …, rest; a final "\r" may be half of "\r\n".
            carry = parts.pop()
            if chunk and not carry and parts and parts[-1] == "\r":
                carry = parts.pop(-2) + parts.pop()
            for index in range(0, len(parts), 2):
                yield parts[index] + parts[index + 1]
            if not chunk:
                if carry:
                    yield carry
                return

    def _byte_lines(self) -> Iterator[str]:
        number = 0
        for block in self.stream:
            # Iterating a binary file cuts after b"\n" only; a lone "\r" ends a line too.
            for line in block.splitlines(keepends=True) if b"\r" in block else (block,):
                number += 1
                yield self._decode(number, line)

    def _decode(self, number: int, line: bytes) -> str:
        try:
            text = line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            try:
                text = line.decode("cp1252")
                self.cp1252_lines.append(number)
            except UnicodeDecodeError:
                if number == 1:
                    raise FileRejected(_UNREADABLE_FILE) from None
                text = line.decode("cp1252", errors="replace")
                self.unreadable.add(number)
            return text
        if not self.utf8_accents and not line.isascii():
            self.utf8_accents = True
        return text

    def _finish(self) -> None:
        if self.utf8_accents and self.cp1252_lines:
            lines = self.cp1252_lines
            named = ", ".join(str(n) for n in lines[:NAMED_LINES_LIMIT])
            more = " …" if len(lines) > NAMED_LINES_LIMIT else ""
            reason = (
                f"encodage mêlé : {len(lines)} ligne(s) en Windows-1252 dans un fichier "
                f"UTF-8 (lignes {named}{more}), lues en Windows-1252 ; vérifiez-y les accents"
            )
            self.warnings.insert(0, RowError(lines[0], "", reason))


def _wide_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    # No BOM: ASCII text in UTF-16 has a zero byte in every other position.
    head = data[:200]
    if len(head) >= 4 and head.count(0) * 3 >= len(head):
        return "utf-16-le" if head[1] == 0 and head[0] != 0 else "utf-16-be"
    return None


def sniff_separator(text: str) -> str:
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") >= header.count(",") and ";" in header else ","


def normalise_name(name: str) -> str:
    """Lower case, no accents, words joined by ``_``: ``"Date début"`` -> ``date_debut``."""
    return "_".join(fold(name).replace("-", " ").split())


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a label."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def read_csv(data: Source) -> CsvFile:
    """Check the header and return the rows lazily, the file read as they are. Raises
    ``FileRejected``.

    ``data`` is the file's bytes or a binary file open for reading and seekable
    (an upload, a file on disk), read from its start: the file is streamed, never
    held whole in memory.
    ``CsvFile.warnings`` gets the mixed-encoding warning, if any, at its head once
    every row has been read.
    """
    stream: BinaryIO = io.BytesIO(data) if isinstance(data, bytes) else data
    lines = _Lines(stream)
    text_lines = iter(lines)
    first = next(text_lines, "")
    reader = csv.reader(itertools.chain((first,), text_lines), delimiter=sniff_separator(first))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise FileRejected(f"Ligne d'en-tête illisible : {exc}.") from exc
    if not header or not any(cell.strip() for cell in header):
        raise FileRejected("Le fichier est vide : la ligne d'en-tête est absente.")
    columns = [normalise_name(cell) for cell in header]
    check_header(columns)
    lines.warnings.extend(
        RowError(1, _clip(name), "colonne inconnue, ignorée")
        for name in columns
        if name not in COLUMNS and name
    )
    return CsvFile(columns, _rows(reader, columns, lines.unreadable), lines.warnings)


def check_header(columns: list[str]) -> None:
    doubles = sorted({c for c in columns if c and columns.count(c) > 1})
    if doubles:
        named = ", ".join(_clip(name) for name in doubles)
        raise FileRejected(f"Colonne en double dans l'en-tête : {named}.")
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise FileRejected(
            f"Colonne obligatoire absente de l'en-tête : {', '.join(missing)}. "
            f"Colonnes attendues : {';'.join(COLUMNS)}."
        )


class _Reader(Protocol):
    line_num: int

    def __next__(self) -> list[str]: ...

    def __iter__(self) -> _Reader: ...


def _rows(
    reader: _Reader, columns: list[str], unreadable: Set[int] = frozenset()
) -> Iterator[RawRow]:
    previous_end = 1  # physical line where the previous record ended (header = 1)
    # Every column known (the usual file): each row's cells are its values as they are.
    all_known = all(name in COLUMNS for name in columns)
    while True:
        line = previous_end + 1
        try:
            cells = next(reader, None)
        except csv.Error as exc:
            yield _unreadable(line, str(exc))
            previous_end = reader.line_num
            continue
        if cells is None:
            return
        previous_end = reader.line_num
        if not "".join(cells).strip():  # blank cells only: no mission
            continue
        if unreadable and not unreadable.isdisjoint(range(line, previous_end + 1)):
            yield _undecodable(line, previous_end, cells)
            continue
        yield _raw_row(line, cells, columns, previous_end, all_known)


def _unreadable(line: int, detail: str) -> RawRow:
    reason = "ligne illisible (guillemets mal fermés ou valeur trop longue)"
    return RawRow(line, {}, (RowError(line, "", reason),), detail)


def _undecodable(line: int, end: int, cells: list[str]) -> RawRow:
    where = f"ligne {line}" if end == line else f"lignes {line} à {end}"
    reason = (
        f"octets illisibles en UTF-8 comme en Windows-1252 ({where}) : "
        "enregistrez le fichier en UTF-8"
    )
    return RawRow(line, {}, (RowError(line, "", reason),), [_clip(c) for c in cells])


def _raw_row(line: int, cells: list[str], columns: list[str], end: int, all_known: bool) -> RawRow:
    if len(cells) != len(columns):
        reason = f"nombre de colonnes incorrect : {len(cells)} au lieu de {len(columns)}"
        if end > line:  # the lines swallowed by an open quote are named, not lost
            reason += f", lignes {line} à {end} lues comme une seule (guillemet non fermé ?)"
        return RawRow(line, {}, (RowError(line, "", reason),), [_clip(c) for c in cells])
    if all_known:
        return RawRow(line, dict(zip(columns, cells, strict=True)))
    return RawRow(
        line, {name: cell for name, cell in zip(columns, cells, strict=True) if name in COLUMNS}
    )


def _clip(value: str, limit: int = RAW_VALUE_LIMIT) -> str:
    """``value`` fit for a report: at most ``limit`` characters, NUL and surrogates
    escaped (no database stores them in text)."""
    value = value if len(value) <= limit else value[:limit] + "…"
    return _UNSTORABLE.sub(_escape, value) if _UNSTORABLE.search(value) else value


def safe_text(value: str, limit: int) -> str:
    """A name given by the uploader (file name), fit for a text column of ``limit``."""
    return _clip(value, limit - 1)


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _reportable(value: object, depth: int = 0) -> object:
    """A JSON value as a report keeps it: strings clipped, containers bounded."""
    if isinstance(value, str):
        return _clip(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, list | dict) and depth >= RAW_DEPTH_LIMIT:
        return "…"
    if isinstance(value, list):
        return [_reportable(item, depth + 1) for item in value[:RAW_ITEMS_LIMIT]]
    if isinstance(value, dict):
        items = list(value.items())[:RAW_ITEMS_LIMIT]
        return {_clip(str(k)): _reportable(v, depth + 1) for k, v in items}
    return value


def rows_from_objects(objects: list[object]) -> Iterator[RawRow]:
    """The JSON API body as rows: each object keyed by column name."""
    for index, item in enumerate(objects, start=1):
        if not isinstance(item, dict):
            problem = RowError(index, "", "objet JSON attendu")
            yield RawRow(index, {}, (problem,), _reportable(item))
            continue
        yield _object_row(index, item)


def _object_row(index: int, item: Mapping[str, object]) -> RawRow:
    values: dict[str, str] = {}
    problems = []
    for key, value in item.items():
        if key not in COLUMNS:
            problems.append(RowError(index, _clip(str(key)), "champ inconnu"))
        elif value is None:
            values[key] = ""
        elif isinstance(value, str):
            values[key] = value
        else:
            problems.append(RowError(index, key, "texte attendu"))
    return RawRow(index, values, tuple(problems), _reportable(item))


# --- validating ----------------------------------------------------------------------

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_FR_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_EXTERNAL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*")
_DEPARTEMENT = re.compile(r"(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-8]|98[4-9])")
# Unicode category Cc exactly: C0 controls, DEL and C1 controls; then lone surrogates
# (category Cs), which JSON can carry but no database can store.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_email_validator = EmailValidator()
# Django's own two expressions, compiled here once: its validator reaches them through
# a lazy proxy on every call, a tenth of an import's time. An address they both accept
# is one Django accepts; any other gets Django's full verdict (literal IPs, localhost…).
_EMAIL_USER = re.compile(EmailValidator.user_regex.pattern, EmailValidator.user_regex.flags)
_EMAIL_DOMAIN = re.compile(EmailValidator.domain_regex.pattern, EmailValidator.domain_regex.flags)


def validate_rows(rows: Iterable[RawRow]) -> Iterator[MissionRow | RejectedRow]:
    """Validate each row; a later row repeating an ``identifiant_mission`` is rejected."""
    duplicates = Duplicates()
    for raw in rows:
        yield duplicates.check(validate_row(raw), raw)


class Duplicates:
    """The line where each ``identifiant_mission`` was first seen: the first row wins."""

    def __init__(self) -> None:
        self.first_line: dict[str, int] = {}

    def first(self, external_id: str, line: int) -> bool:
        """Note ``external_id`` at ``line``; True unless an earlier line had it."""
        return self.first_line.setdefault(external_id, line) == line

    def check(self, result: MissionRow | RejectedRow, raw: RawRow) -> MissionRow | RejectedRow:
        if isinstance(result, MissionRow) and not self.first(result.external_id, result.line):
            seen = self.first_line[result.external_id]
            reason = f"identifiant en double dans le fichier (déjà à la ligne {seen})"
            error = RowError(result.line, "identifiant_mission", reason)
            return RejectedRow(result.line, (error,), raw.raw)
        return result


# Part of every row digest: change it when a change of the rules (validation,
# normalisation, eligibility) may give another mission from the same row, so that
# the next import compares every row in full again.
RULES_VERSION = b"rules-1"


def row_digest(values: Mapping[str, str]) -> int:
    """A 64-bit digest of a row as read (its columns, in order, and their text).

    Two rows with the same digest give the same mission: the import skips the
    validation of a row whose digest is the one stored on its mission. (A file
    with its columns in another order has other digests: its rows are validated.)
    """
    text = "\x1f".join(values) + "\x1e" + "\x1f".join(values.values())
    digest = hashlib.blake2b(
        text.encode("utf-8", "surrogatepass"), digest_size=8, person=RULES_VERSION
    )
    return int.from_bytes(digest.digest(), "big", signed=True)


def validate_row(raw: RawRow, digest: int | None = None) -> MissionRow | RejectedRow:
    """The row checked and typed; ``digest``: its ``row_digest``, when already known."""
    if raw.problems and not raw.values:
        return RejectedRow(raw.line, raw.problems, raw.raw)
    checker = _RowChecker(raw)
    fields = checker.check()
    if checker.errors:
        return RejectedRow(raw.line, tuple(checker.errors), raw.raw)
    if digest is None:
        digest = row_digest(raw.values)
    return MissionRow(raw.line, str(fields["external_id"]), fields, digest)


class _RowChecker:
    """Collects every problem of one row rather than stopping at the first."""

    def __init__(self, raw: RawRow) -> None:
        self.raw = raw
        self.errors: list[RowError] = list(raw.problems)
        # One look at the whole row spares one per value on clean rows: a printable
        # text holds no control character nor surrogate (both are Unicode's "Other");
        # only a row with something else unprintable (a no-break space, a joiner…)
        # is searched.
        joined = "".join(raw.values.values())
        self.has_control = not joined.isprintable() and _CONTROL.search(joined) is not None

    def fail(self, column: str, reason: str) -> None:
        self.errors.append(RowError(self.raw.line, column, reason))

    def check(self) -> dict[str, Value]:
        fields: dict[str, Value] = {}
        values = self.raw.values
        if not _REQUIRED_SET.issubset(values):
            for column in REQUIRED_COLUMNS:
                if column not in values:
                    self.fail(column, "valeur obligatoire manquante")
        careful = self.has_control
        for column, text in values.items():
            name, limit, converter = _PLAN[column]
            value = text.strip()
            # What ``text`` checks, asked first in one expression: most cells pass it.
            if careful or len(value) > limit or not value:
                checked = self.text(column, text)
                if checked is None:
                    continue
                value = checked
            if converter is None:
                fields[name] = value
                continue
            try:
                fields[name] = converter(value)
            except ValueError as exc:
                self.fail(column, str(exc))
        self.check_dates(fields)
        return fields

    def text(self, column: str, text: str) -> str | None:
        value = text.strip()
        if self.has_control and _CONTROL.search(value):
            if _SURROGATE.search(value):
                self.fail(column, "caractère invalide (moitié d'une paire UTF-16)")
            else:
                self.fail(column, "caractère de contrôle interdit (tabulation, saut de ligne…)")
            return None
        limit = MAX_LENGTHS.get(column)
        if limit and len(value) > limit:
            self.fail(column, f"valeur trop longue : {len(value)} caractères, {limit} au plus")
            return None
        if not value and column in REQUIRED_COLUMNS:
            self.fail(column, "valeur obligatoire manquante")
            return None
        return value

    def check_dates(self, fields: dict[str, Value]) -> None:
        start, planned = fields.get("start_date"), fields.get("planned_end_date")
        actual = fields.get("actual_end_date")
        if isinstance(start, dt.date) and isinstance(planned, dt.date) and planned < start:
            self.fail("date_fin_prevue", "la date de fin prévue est antérieure à la date de début")
        if isinstance(start, dt.date) and isinstance(actual, dt.date) and actual < start:
            self.fail(
                "date_fin_effective", "la date de fin effective est antérieure à la date de début"
            )
        early = fields.get("end_reason") == EndReason.EARLY
        if early and "actual_end_date" in fields and actual is None:
            self.fail("date_fin_effective", "rupture anticipée sans date de fin effective")


# --- converters: text -> typed value, ValueError with a French reason -----------------


# Sixteen years of days in both formats is about 12,000 texts: all of them are kept
# (at most 32,768, a few megabytes), where 8,192 missed three dates in ten.
@functools.lru_cache(maxsize=32768)
def parse_date(value: str) -> dt.date:
    """``AAAA-MM-JJ`` or ``JJ/MM/AAAA``; an impossible day (31/02) is refused."""
    if match := _ISO_DATE.fullmatch(value):
        year, month, day = (int(part) for part in match.groups())
    elif match := _FR_DATE.fullmatch(value):
        day, month, year = (int(part) for part in match.groups())
    else:
        raise ValueError(f"date illisible « {_clip(value)} » : AAAA-MM-JJ ou JJ/MM/AAAA attendu")
    try:
        day_ = dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"date impossible « {value} »") from None
    if not EARLIEST_DATE <= day_ <= LATEST_DATE:
        raise ValueError(
            f"date hors de la période admise « {value} » : entre le "
            f"{EARLIEST_DATE:%d/%m/%Y} et le {LATEST_DATE:%d/%m/%Y}"
        )
    return day_


def optional_date(value: str) -> dt.date | None:
    return parse_date(value) if value else None


def parse_external_id(value: str) -> str:
    if not _EXTERNAL_ID.fullmatch(value):
        raise ValueError(
            "identifiant invalide : lettres sans accent, chiffres et . _ : - uniquement"
        )
    return value


def parse_email(value: str) -> str:
    user, at, domain = value.rpartition("@")
    if at and len(value) <= 320 and _EMAIL_USER.match(user) and _EMAIL_DOMAIN.match(domain):
        return value
    try:
        _email_validator(value)
    except ValidationError:
        raise ValueError(f"adresse électronique invalide « {_clip(value)} »") from None
    return value


@functools.lru_cache(maxsize=256)
def parse_end_reason(value: str) -> str:
    if not value:
        return EndReason.TERM.value
    found = _END_REASONS.get(normalise_name(value))
    if found is None:
        raise ValueError(f"motif de fin inconnu « {_clip(value)} » : terme ou rupture_anticipee")
    return found


@functools.lru_cache(maxsize=256)
def parse_domain(value: str) -> str:
    found = _domains().get(" ".join(fold(value).split()))
    if found is None:
        raise ValueError(f"domaine inconnu « {_clip(value)} »")
    return found


# Names, host names and communes repeat a lot in a mission file: their normal form is
# kept for the most recent ones (bounded memory).
_clean_display_text = functools.lru_cache(maxsize=16384)(clean_display_text)


def parse_display_name(value: str) -> str:
    """A name shown and signed (prenom, nom, structure): see ``clean_display_text``."""
    cleaned = _clean_display_text(value)
    if not cleaned:
        raise ValueError("valeur obligatoire manquante (uniquement des caractères invisibles)")
    return cleaned


def parse_siret(value: str) -> str:
    digits = value.replace(" ", "").replace("\u00a0", "")
    if not (len(digits) == 14 and digits.isascii() and digits.isdigit()):
        raise ValueError("le SIRET doit compter 14 chiffres")
    return digits


def parse_departement(value: str) -> str:
    code = value.upper().zfill(2)
    if not _DEPARTEMENT.fullmatch(code):
        raise ValueError(f"numéro de département inconnu « {_clip(value)} »")
    return code


_END_REASONS = {
    EndReason.TERM.value: EndReason.TERM.value,
    EndReason.EARLY.value: EndReason.EARLY.value,
    "fin_de_mission": EndReason.TERM.value,
    "terme_de_la_mission": EndReason.TERM.value,
}
_DOMAIN_CACHE: dict[str, str] = {}


def _domains() -> dict[str, str]:
    """Folded French label or code -> code (labels are lazy, so read them in French)."""
    if not _DOMAIN_CACHE:
        with translation.override("fr"):
            for code, label in Domain.choices:
                _DOMAIN_CACHE[fold(code)] = code
                _DOMAIN_CACHE[" ".join(fold(str(label)).split())] = code
    return _DOMAIN_CACHE


_CONVERTERS: dict[str, Callable[[str], Value]] = {
    "identifiant_mission": parse_external_id,
    "prenom": parse_display_name,
    "nom": parse_display_name,
    "structure": parse_display_name,
    "commune": _clean_display_text,
    "intitule_mission": _clean_display_text,
    "email": parse_email,
    "date_debut": parse_date,
    "date_fin_prevue": parse_date,
    "date_fin_effective": optional_date,
    "motif_fin": parse_end_reason,
    "domaine": parse_domain,
    "siret": lambda v: parse_siret(v) if v else "",
    "departement": lambda v: parse_departement(v) if v else "",
}

# Each column's field, length limit and converter, found with one lookup a cell.
_PLAN: dict[str, tuple[str, int, Callable[[str], Value] | None]] = {
    column: (name, MAX_LENGTHS.get(column, sys.maxsize), _CONVERTERS.get(column))
    for column, name in COLUMNS.items()
}
