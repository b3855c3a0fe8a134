"""Checks shared by both versions: dates, recipient, and the OB 3.0 JSON Schema."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import timezone
from jsonschema import Draft201909Validator
from jsonschema.exceptions import best_match

from insigne.openbadges.checks import Check
from insigne.openbadges.ob3 import identity_hash
from insigne.openbadges.rdf.jsonld import OB_V3P0, OB_V3P0_CONTEXTS, VC_V1, VC_V2

SCHEMA_FILE = (
    Path(__file__).resolve().parent / "schemas" / "ob_v3p0_achievementcredential_schema.json"
)


@dataclass(frozen=True)
class Identity:
    """One recipient identity as written in a badge (hashed or not)."""

    identity: str
    hashed: bool
    salt: str


def parse_datetime(value: Any) -> datetime | None:
    """An aware datetime from an XSD/ISO 8601 string, else ``None`` (dates alone: midnight UTC)."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def date_checks(valid_from: Any, valid_until: Any) -> list[Check]:
    """``valid_from`` not in the future (required), ``valid_until`` not past (if present)."""
    now = timezone.now()
    start = parse_datetime(valid_from)
    if start is None:
        checks = [Check.failure("valid_from", "valid_from_missing")]
    elif start > now:
        checks = [Check.failure("valid_from", "valid_from_future", date=_day(start))]
    else:
        checks = [Check.success("valid_from", "valid_from_passed", date=_day(start))]
    if valid_until in (None, ""):
        return [*checks, Check.success("valid_until", "valid_until_none")]
    end = parse_datetime(valid_until)
    if end is None:
        return [*checks, Check.failure("valid_until", "valid_until_unreadable")]
    if end < now:
        return [*checks, Check.failure("valid_until", "valid_until_passed", date=_day(end))]
    return [*checks, Check.success("valid_until", "valid_until_future", date=_day(end))]


def _day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _matches(identity: Identity, email: str) -> bool:
    if identity.hashed:
        return identity.identity.lower() == identity_hash(email, identity.salt).lower()
    return identity.identity.strip().lower() == email.strip().lower()


def recipient_check(identities: list[Identity], email: str) -> Check:
    """Does the badge name ``email`` as its recipient (hashed with its salt, or in clear)?"""
    if any(_matches(identity, email) for identity in identities):
        return Check.success("recipient", "recipient_match", email=email)
    return Check.failure("recipient", "recipient_mismatch", email=email)


def ob3_identities(subject: Any) -> list[Identity]:
    if not isinstance(subject, Mapping):
        return []
    entries = subject.get("identifier") or []
    return [
        Identity(
            str(entry.get("identityHash", "")),
            bool(entry.get("hashed")),
            str(entry.get("salt") or ""),
        )
        for entry in (entries if isinstance(entries, list) else [entries])
        if isinstance(entry, Mapping) and entry.get("identityType") in ("emailAddress", None)
    ]


@cache
def _validator() -> Draft201909Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return Draft201909Validator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)


def _where(path: Any) -> str:
    return ".".join(str(part) for part in path) or "(racine)"


# A VC 1.1 badge (OB 3.0.0-3.0.2) is checked against the 3.0.3 schema under its VC 2.0
# names: the two data models differ in these names and in the base context only.
_VC1_RENAMES = {"issuanceDate": "validFrom", "expirationDate": "validUntil"}
# Rounds of wrapping single values: a badge has a few dozen properties at most.
_MAX_WRAPS = 64


def _as_vc2(document: Mapping[str, Any]) -> dict[str, Any]:
    context = document.get("@context")
    if not isinstance(context, list) or not context or context[0] != VC_V1:
        return dict(document)
    rest = [url for url in context[1:] if url not in OB_V3P0_CONTEXTS]
    renamed = {_VC1_RENAMES.get(name, name): value for name, value in document.items()}
    return renamed | {"@context": [VC_V2, OB_V3P0, *rest]}


def _set_at(document: Any, path: list[Any], value: Any) -> None:
    for part in path[:-1]:
        document = document[part]
    document[path[-1]] = value


def _array_wanted(errors: Any) -> list[list[Any]]:
    """Paths where the schema (or one branch of a ``oneOf``/``anyOf``) wants an array."""
    paths: list[list[Any]] = []
    for error in errors:
        if error.validator == "type" and error.validator_value == "array":
            paths.append(list(error.absolute_path))
        paths += _array_wanted(error.context or [])
    return paths


def compacted_to_schema_form(document: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON-Schema flavour of a credential: each single value the schema wants as an
    array (``proof``, ``type``…) wrapped in one, as JSON-LD compaction may leave it.

    The schema itself says where: every "not an array" error wraps that value, then the
    document is checked again. Only arrays are added; nothing else changes.
    """
    normal = copy.deepcopy(_as_vc2(document))
    for _round in range(_MAX_WRAPS):
        wraps = [path for path in _array_wanted(_validator().iter_errors(normal)) if path]
        if not wraps:
            break
        path = min(wraps, key=len)
        parent: Any = normal
        for part in path[:-1]:
            parent = parent[part]
        _set_at(normal, path, [parent[path[-1]]])
    return normal


def _subject_identified(document: Mapping[str, Any]) -> bool:
    """OB 3.0 §9.1: the subject is named by an ``id`` or at least one ``identifier``."""
    subject = document.get("credentialSubject")
    subjects = subject if isinstance(subject, list) else [subject]
    return all(
        isinstance(item, Mapping) and bool(item.get("id") or item.get("identifier"))
        for item in subjects
    )


def schema_check(document: Mapping[str, Any]) -> Check:
    """The credential against the official OB 3.0 ``AchievementCredential`` JSON Schema
    (in its JSON-Schema flavour, see ``compacted_to_schema_form``)."""
    error = best_match(_validator().iter_errors(compacted_to_schema_form(document)))
    if error is not None:
        return Check.failure("schema", where=_where(error.absolute_path))
    if not _subject_identified(document):
        return Check.failure("schema", "subject_unidentified")
    return Check.success("schema", "schema_valid")
