"""Pure builder of the OB 3.0 ``OpenBadgeCredential`` (no database, no clock).

URL scheme, all under the site address:

* credential id: ``{site}/badges/{public_id}`` (the public badge page);
* its signed JSON: ``{site}/badges/{public_id}/ob3.json``;
* achievement id: ``{site}/ob3/achievements/{slug}``;
* issuer profile id: the site's ``did:web`` DID;
* subject id: an opaque ``urn:uuid`` named from the credential id (``subject_id``);
* status list credential: ``{site}/ob3/status/1``.

Revocation uses the W3C ``BitstringStatusListEntry`` rather than 1EdTech's
``1EdTechRevocationList``: it is defined in the VC 2.0 context (no extension
context to sign against), a verifier downloads one list for every credential
(nobody learns which badge is being checked), and generic VC verifiers know it.

The text is written in French only: it is signed, so it cannot follow the
reader's language.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote, urlsplit

from insigne.openbadges import addresses
from insigne.openbadges.facts import BadgeFacts, Competency, CredentialFacts, IssuerFacts
from insigne.openbadges.rdf.jsonld import OB_V3P0, VC_V2, clean_text, present

OB3_CONTEXT: tuple[str, str] = (VC_V2, OB_V3P0)
_MONTHS_FR = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def did_web(site_url: str) -> str:
    """``did:web`` of a site: ``https://host:8443/path`` → ``did:web:host%3A8443:path``."""
    parts = urlsplit(site_url)
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}%3A{parts.port}"
    segments = [quote(segment, safe="") for segment in parts.path.split("/") if segment]
    return ":".join(["did:web", host, *segments])


def credential_url(site_url: str, public_id: str) -> str:
    return addresses.url(site_url, "badge", public_id=public_id)


def ob3_json_url(site_url: str, public_id: str) -> str:
    return addresses.url(site_url, "badge_ob3_json", public_id=public_id)


def achievement_url(site_url: str, slug: str) -> str:
    return addresses.url(site_url, "achievement", slug=slug)


def status_list_url(site_url: str) -> str:
    return addresses.url(site_url, "ob3_status_list")


def issuer_id(document: Mapping[str, Any]) -> str:
    """The issuer id of a credential, whether ``issuer`` is an object or a bare id."""
    issuer = document.get("issuer")
    value = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    return value if isinstance(value, str) else ""


def identity_hash(email: str, salt: str) -> str:
    """OB ``identityHash`` of an email: ``sha256$`` + hex SHA-256 of lowercased email + salt."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return f"sha256${digest}"


def format_datetime(moment: datetime) -> str:
    """XSD dateTime in UTC to the second, e.g. ``2026-07-01T08:00:00Z``."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def french_date(day: date) -> str:
    """A date as French writes it: ``1er juin 2026``, ``30 juin 2026`` (ordinal on the 1st)."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {_MONTHS_FR[day.month - 1]} {day.year}"


def host_phrase(host_name: str) -> str:
    """``la structure d'accueil « X »``: reads right whatever the host's name.

    The name is typed by the volunteer (FAQ §9) and may or may not start with an
    article ("Mairie de Lyon", "Les Restos du cœur", "l'Arche", "ASSOCIATION X"): a
    preposition glued to it ("au sein de Les Restos…", "auprès de Mairie…") would be
    wrong for some. Naming the structure by its role, with the name quoted as typed,
    is right for every one of them.
    """
    return f"la structure d'accueil « {clean_text(host_name)} »"


def _image(url: str, caption: str) -> dict[str, Any]:
    return {"id": clean_text(url), "type": "Image", "caption": clean_text(caption)}


def build_issuer(issuer: IssuerFacts) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "id": did_web(issuer.site_url),
        "type": ["Profile"],
        "name": clean_text(issuer.name),
    }
    profile |= present({"url": issuer.url, "email": issuer.email})
    if issuer.image_url:
        profile["image"] = _image(issuer.image_url, issuer.name)
    return profile


def build_alignment(competency: Competency) -> dict[str, Any]:
    alignment: dict[str, Any] = {
        "type": ["Alignment"],
        "targetName": clean_text(competency.name),
        "targetUrl": clean_text(competency.url),
    }
    return alignment | present(
        {
            "targetDescription": competency.description,
            "targetFramework": competency.framework,
            "targetCode": competency.code,
        }
    )


def build_achievement(badge: BadgeFacts, site_url: str) -> dict[str, Any]:
    achievement: dict[str, Any] = {
        "id": achievement_url(site_url, badge.slug),
        "type": ["Achievement"],
        "name": clean_text(badge.name),
        "description": clean_text(badge.description),
        "criteria": {"narrative": clean_text(badge.criteria)},
        "inLanguage": "fr",
    }
    if badge.image_url:
        achievement["image"] = _image(badge.image_url, badge.name)
    if badge.competencies:
        achievement["alignment"] = [build_alignment(item) for item in badge.competencies]
    return achievement


def evidence_narrative(facts: CredentialFacts) -> str:
    """The mission in one French sentence: title, dates, host, town, domain.

    ``Mission de Service Civique « T » accomplie du 1er septembre 2025 au 28 février
    2026 auprès de la structure d'accueil « H » (Lyon), dans le domaine « D ».``
    The town is in parentheses so that no article is guessed ("à Le Havre").
    """
    commune = clean_text(facts.commune)
    place = f" ({commune})" if commune else ""
    return (
        f"Mission de Service Civique « {clean_text(facts.mission_title)} » accomplie "
        f"du {french_date(facts.start_date)} au {french_date(facts.end_date)} "
        f"auprès de {host_phrase(facts.host_name)}{place}, "
        f"dans le domaine « {clean_text(facts.domain)} »."
    )


def build_evidence(facts: CredentialFacts) -> dict[str, Any]:
    """The mission as OB 3.0 ``Evidence``: its ``name`` and its ``narrative``.

    The host, town and domain are told in the narrative, which OB 3.0 defines as
    what "describes the evidence and process of achievement". They are not put in
    ``genre`` (the kind of evidence, "Poetry, Prose, Film"), ``audience`` (who the
    evidence is meant for) or ``description``, which would misname them; badges
    issued before did so and stay as they were signed.
    """
    evidence: dict[str, Any] = {"type": ["Evidence"], "name": clean_text(facts.mission_title)}
    return evidence | present({"narrative": evidence_narrative(facts)})


def subject_id(site_url: str, public_id: str) -> str:
    """The subject's stable URI: ``urn:uuid:`` named from the credential id (UUID v5).

    OB 3.0 §8.2 wants ``sub`` = ``credentialSubject.id`` in the VC-JWT, and verifiers
    (joserfc with ``sub`` essential, openbadgeslib) refuse a token without it. The
    volunteer has no DID and the email must not be signed in clear, so the subject is
    named by an opaque URN, one per credential: it says nothing about the person,
    links no two badges, and is the same every time the credential is built. The
    person is still identified by the salted email hash of ``identifier``.
    """
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{credential_url(site_url, public_id)}#subject").urn


def build_subject(facts: CredentialFacts) -> dict[str, Any]:
    full_name = " ".join(
        part for part in (clean_text(facts.given_name), clean_text(facts.family_name)) if part
    )
    return {
        "id": subject_id(facts.issuer.site_url, facts.public_id),
        "type": ["AchievementSubject"],
        "name": full_name,
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": identity_hash(facts.email, facts.salt),
                "identityType": "emailAddress",
                "hashed": True,
                "salt": clean_text(facts.salt),
            }
        ],
        "achievement": build_achievement(facts.badge, facts.issuer.site_url),
    }


def build_status_entry(site_url: str, index: int) -> dict[str, Any]:
    status_list = status_list_url(site_url)
    return {
        "id": f"{status_list}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": status_list,
    }


def build_credential(facts: CredentialFacts) -> dict[str, Any]:
    """The unsigned ``OpenBadgeCredential`` for ``facts`` (no ``validUntil``: no expiry)."""
    site = facts.issuer.site_url
    return {
        "@context": list(OB3_CONTEXT),
        "id": credential_url(site, facts.public_id),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": clean_text(facts.badge.name),
        "issuer": build_issuer(facts.issuer),
        "validFrom": format_datetime(facts.issued_at),
        "credentialSubject": build_subject(facts),
        "evidence": [build_evidence(facts)],
        "credentialStatus": build_status_entry(site, facts.status_index),
    }
