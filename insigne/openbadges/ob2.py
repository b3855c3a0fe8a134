"""Pure builders of the Open Badges 2.0 hosted documents (no database, no clock).

Each document is JSON-LD in the ``https://w3id.org/openbadges/v2`` context and its
``id`` is its own address, so a verifier fetches it there (hosted verification):

* assertion: ``{site}/ob2/assertions/{public_id}``;
* its baked image: ``{site}/badges/{public_id}/badge-ob2.png``;
* badge class: ``{site}/ob2/badges/{slug}``;
* issuer profile: ``{site}/ob2/issuer``;
* public key: ``{site}/ob2/keys/{key_id}``;
* revocation list: ``{site}/ob2/revocations``.

The assertion is built from the same :class:`CredentialFacts` as the OB 3.0
credential, with the same recipient hash, dates and evidence text. The badge
class is shared by every volunteer, so the personal description (with the
recipient's name, for which OB 2.0 has no property) is the assertion narrative.
There is no ``expires``: the badge is valid for life.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from insigne.openbadges import addresses
from insigne.openbadges.facts import BadgeFacts, Competency, CredentialFacts, IssuerFacts
from insigne.openbadges.ob3 import evidence_narrative, format_datetime, identity_hash
from insigne.openbadges.rdf.jsonld import OPENBADGES_V2, clean_text, present


@dataclass(frozen=True)
class Revocation:
    """One revoked assertion, as the revocation list publishes it."""

    public_id: str
    reason: str


def assertion_url(site_url: str, public_id: str) -> str:
    return addresses.url(site_url, "ob2_assertion", public_id=public_id)


def baked_png_url(site_url: str, public_id: str) -> str:
    return addresses.url(site_url, "ob2_baked_png", public_id=public_id)


def badge_class_url(site_url: str, slug: str) -> str:
    return addresses.url(site_url, "ob2_badge_class", slug=slug)


def issuer_url(site_url: str) -> str:
    return addresses.url(site_url, "ob2_issuer")


def key_url(site_url: str, key_id: str) -> str:
    return addresses.url(site_url, "ob2_key", key_id=key_id)


def revocation_list_url(site_url: str) -> str:
    return addresses.url(site_url, "ob2_revocations")


def _document(doc_type: str, url: str) -> dict[str, Any]:
    return {"@context": OPENBADGES_V2, "type": doc_type, "id": url}


def full_name(facts: CredentialFacts) -> str:
    parts = (clean_text(facts.given_name), clean_text(facts.family_name))
    return " ".join(part for part in parts if part)


def build_evidence(facts: CredentialFacts) -> dict[str, Any]:
    """The mission as OB 2.0 ``Evidence`` (same meaning of the fields as in OB 3.0,
    see ``ob3.build_evidence``): its name and the narrative that tells it all."""
    evidence: dict[str, Any] = {"type": "Evidence", "narrative": evidence_narrative(facts)}
    return evidence | present({"name": facts.mission_title})


def build_assertion(facts: CredentialFacts) -> dict[str, Any]:
    """The hosted ``Assertion`` for ``facts``: hashed email, no expiry, evidence of the mission."""
    site = facts.issuer.site_url
    assertion = _document("Assertion", assertion_url(site, facts.public_id))
    assertion |= {
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": clean_text(facts.salt),
            "identity": identity_hash(facts.email, facts.salt),
        },
        "badge": badge_class_url(site, facts.badge.slug),
        "verification": {"type": "hosted"},
        "issuedOn": format_datetime(facts.issued_at),
        "image": baked_png_url(site, facts.public_id),
        "evidence": [build_evidence(facts)],
        "narrative": assertion_narrative(facts),
    }
    return assertion


def assertion_narrative(facts: CredentialFacts) -> str:
    """The volunteer's own description of the badge, which must name them: the shared
    badge class cannot, and OB 2.0 has no other place for the recipient's name."""
    name, description = full_name(facts), clean_text(facts.badge.description)
    if name in description:
        return description
    return f"Badge délivré à {name}. {description}".strip()


def build_alignment(competency: Competency) -> dict[str, Any]:
    alignment: dict[str, Any] = {
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


def build_badge_class(badge: BadgeFacts, issuer: IssuerFacts) -> dict[str, Any]:
    """The ``BadgeClass``; its criteria URL is the badge class itself, which states them."""
    url = badge_class_url(issuer.site_url, badge.slug)
    badge_class = _document("BadgeClass", url)
    badge_class |= {
        "name": clean_text(badge.name),
        "description": clean_text(badge.description),
        "criteria": {"id": url, "narrative": clean_text(badge.criteria)},
        "issuer": issuer_url(issuer.site_url),
        "tags": ["Service Civique", *(clean_text(c.name) for c in badge.competencies)],
    }
    if badge.image_url:
        badge_class["image"] = clean_text(badge.image_url)
    if badge.competencies:
        badge_class["alignment"] = [build_alignment(item) for item in badge.competencies]
    return badge_class


def build_issuer(issuer: IssuerFacts, key_ids: Sequence[str]) -> dict[str, Any]:
    """The issuer ``Profile``; old keys stay listed so earlier signatures still check."""
    site = issuer.site_url
    profile = _document("Issuer", issuer_url(site))
    profile["name"] = clean_text(issuer.name)
    profile |= present({"url": issuer.url, "email": issuer.email, "image": issuer.image_url})
    profile["publicKey"] = [key_url(site, key_id) for key_id in key_ids]
    profile["revocationList"] = revocation_list_url(site)
    profile["verification"] = build_verification_policy(site)
    return profile


def build_verification_policy(site_url: str) -> dict[str, Any]:
    """Where our hosted assertions live: under ``{site}/ob2/assertions/``, on this host.

    Hosted assertions live on this platform, which may not be the issuer's own web
    site (``url``): say so, rather than let verifiers guess the origin. 1EdTech's
    validator (validator-core, which backpacks such as Badgr run) compares the
    assertion id's ``host:port`` with ``allowedOrigins``, but refuses as malformed an
    ``allowedOrigins`` holding a port or an IP address (its check is a host-name
    pattern). So ``allowedOrigins`` is named only when the site's host is a plain
    host name on the default port; otherwise it is left out, and the default policy
    applies, the origin of the issuer profile's ``id``, which is this site, port
    included. ``startsWith`` always narrows it to the assertions' own path.
    """
    parts = urlsplit(site_url)
    policy: dict[str, Any] = {"startsWith": assertion_url(site_url, "")}
    host = parts.hostname or ""
    if parts.port is None and not host.replace(".", "").isdigit() and ":" not in host:
        policy["allowedOrigins"] = host
    return policy


def build_revoked_assertion(site_url: str, public_id: str, reason: str) -> dict[str, Any]:
    """What a revoked hosted assertion's address answers, with HTTP 410 (OB 2.0 §Hosted).

    The spec's body: the context, the assertion's own id, ``revoked: true`` and the
    reason; nothing else of the badge stays published.
    """
    body: dict[str, Any] = {
        "@context": OPENBADGES_V2,
        "id": assertion_url(site_url, public_id),
        "revoked": True,
    }
    return body | present({"revocationReason": reason})


def build_cryptographic_key(site_url: str, key_id: str, public_key_pem: str) -> dict[str, Any]:
    key = _document("CryptographicKey", key_url(site_url, key_id))
    return key | {"owner": issuer_url(site_url), "publicKeyPem": public_key_pem}


def build_revocation_list(site_url: str, revoked: Iterable[Revocation]) -> dict[str, Any]:
    doc = _document("RevocationList", revocation_list_url(site_url))
    doc["issuer"] = issuer_url(site_url)
    doc["revokedAssertions"] = [
        {"id": assertion_url(site_url, item.public_id), "revocationReason": clean_text(item.reason)}
        for item in revoked
    ]
    return doc
