"""Checks shared by both versions: dates, recipient, and the OB 3.0 JSON Schema."""

from __future__ import annotations

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


def schema_check(document: Mapping[str, Any]) -> Check:
    """The credential against the official OB 3.0 ``AchievementCredential`` JSON Schema."""
    error = best_match(_validator().iter_errors(document))
    if error is None:
        return Check.success("schema", "schema_valid")
    return Check.failure("schema", where=_where(error.absolute_path))
