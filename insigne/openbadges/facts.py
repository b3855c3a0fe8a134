"""The facts a credential is built from: plain frozen values, no database.

The claim validation service fills these from the validated claim and calls
``insigne.openbadges.issuance.issue``; the builder never reads the database,
so the same facts always give the same credential. Empty strings mean "absent"
for the optional fields named below; every string is cleaned of control
characters by the builder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Competency:
    """One competency, signed as an OB 3.0 ``Alignment``.

    ``name`` and ``url`` are required by the OB 3.0 schema; ``description``,
    ``framework`` (e.g. "ESCO", "ROME") and ``code`` may be empty.
    """

    name: str
    description: str
    framework: str
    code: str
    url: str


@dataclass(frozen=True)
class BadgeFacts:
    """The badge class (OB 3.0 ``Achievement``); ``image_url`` may be empty."""

    slug: str
    name: str
    description: str
    criteria: str
    competencies: tuple[Competency, ...]
    image_url: str


@dataclass(frozen=True)
class IssuerFacts:
    """The issuing agency; ``site_url`` is this platform's public address (no slash at
    the end) from which every id derives. ``url``, ``email``, ``image_url`` may be empty.
    """

    site_url: str
    name: str
    url: str
    email: str
    image_url: str


@dataclass(frozen=True)
class CredentialFacts:
    """One validated claim. ``issued_at`` must be timezone-aware; ``salt`` is the
    per-credential recipient salt; ``commune`` may be empty; ``status_index`` is the
    credential's position in the revocation status list.
    """

    public_id: str
    issued_at: datetime
    given_name: str
    family_name: str
    email: str
    salt: str
    host_name: str
    domain: str
    start_date: date
    end_date: date
    mission_title: str
    commune: str
    status_index: int
    badge: BadgeFacts
    issuer: IssuerFacts
