"""Is the badge still standing? Revocation and replacement, both versions.

Our own badges (ids under ``settings.SITE_URL``) are looked up in the database:
it is the source the published lists are made from, and it also knows when a
badge was *replaced* by a corrected one. Other issuers' badges are checked on
what they publish: the OB 3.0 Bitstring Status List (a signed credential), the
OB 2.0 hosted assertion (410 Gone) and the issuer's revocation list.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import timezone

from insigne.badges.models import Credential
from insigne.badges.presenter import badge_url
from insigne.openbadges import ob3, proof
from insigne.openbadges.checks import Check
from insigne.openbadges.statuslist import is_set
from insigne.verifier.fetch import FetchError, fetch_json
from insigne.verifier.keys import IssuerKeyResolver

STATUS_OK = Check.success("status", "status_ok")
NO_STATUS = Check.success("status", "status_none")


def our_public_id(credential_id: str, prefixes: tuple[str, ...]) -> str | None:
    """The public id of one of our credentials from its id URL, else ``None``."""
    for prefix in prefixes:
        start = f"{settings.SITE_URL}{prefix}"
        if credential_id.startswith(start):
            rest = credential_id[len(start) :]
            return rest if rest and "/" not in rest else None
    return None


def our_credential(public_id: str) -> Credential | None:
    return Credential.objects.select_related("replaced_by").filter(public_id=public_id).first()


def database_status(credential: Credential | None) -> list[Check]:
    """Status of one of our badges from the database (not found: not ours to vouch for)."""
    if credential is None:
        return [Check.failure("status_unknown")]
    if credential.replaced_by_id is not None:
        assert credential.replaced_by is not None
        return [Check.failure("replaced", url=badge_url(credential.replaced_by))]
    if credential.revoked_at is not None:
        day = timezone.localtime(credential.revoked_at).date()
        if credential.revocation_reason:
            reason = credential.revocation_reason
            return [Check.failure("revoked", "revoked_on_because", date=day, why=reason)]
        return [Check.failure("revoked", "revoked_on", date=day)]
    return [STATUS_OK]


def _verified_list(url: str, issuer_id: str) -> Mapping[str, Any]:
    """The status list credential at ``url``, signed by the badge's own issuer."""
    document = fetch_json(url)
    if not isinstance(document, Mapping) or ob3.issuer_id(document) != issuer_id:
        raise ValueError("status list of another issuer")
    resolver = IssuerKeyResolver(issuer_id)
    checks = resolver.explain(proof.verify(document, resolver))
    if not all(check.ok for check in checks):
        raise ValueError("status list signature")
    return document


def bitstring_status(entry: Mapping[str, Any], issuer_id: str) -> list[Check]:
    url = entry.get("statusListCredential")
    purpose = entry.get("statusPurpose")
    try:
        index = int(str(entry.get("statusListIndex")))
        if not isinstance(url, str):
            raise ValueError("no status list")
        status_list = _verified_list(url, issuer_id)
        subject = status_list.get("credentialSubject") or {}
        if subject.get("statusPurpose") != purpose:
            raise ValueError("purpose mismatch")
        flagged = is_set(str(subject.get("encodedList")), index)
    except (FetchError, ValueError, TypeError, AttributeError):
        return [Check.failure("status_unreachable")]
    if not flagged:
        return [STATUS_OK]
    if purpose == "suspension":
        return [Check.failure("revoked", "suspended")]
    return [Check.failure("revoked")]


def _revoked_entry(
    revocation_list: Mapping[str, Any], credential_id: str
) -> Mapping[str, Any] | None:
    entries = revocation_list.get("revokedCredentials")
    for item in entries if isinstance(entries, list) else []:
        if item == credential_id:
            return {}
        if isinstance(item, Mapping) and item.get("id") == credential_id:
            return item
    return None


def edtech_revocation_list(entry: Mapping[str, Any], document: Mapping[str, Any]) -> list[Check]:
    """1EdTech Revocation List (the OB 3.0 ``1EdTechRevocationList`` status type).

    The list at the entry's ``id`` is a plain JSON document of the issuer
    (``issuer``, ``revokedCredentials: [{id, revocationReason}]``), trusted for its
    origin like an OB 2.0 hosted document: it must name the badge's issuer.
    """
    url = entry.get("id")
    issuer_id = ob3.issuer_id(document)
    try:
        if not isinstance(url, str):
            raise ValueError("no revocation list")
        revocation_list = fetch_json(url)
        if not isinstance(revocation_list, Mapping):
            raise ValueError("not a revocation list")
        listed_issuer = revocation_list.get("issuer")
        if isinstance(listed_issuer, Mapping):
            listed_issuer = listed_issuer.get("id")
        if listed_issuer != issuer_id:
            raise ValueError("revocation list of another issuer")
    except (FetchError, ValueError):
        return [Check.failure("status_unreachable")]
    revoked = _revoked_entry(revocation_list, str(document.get("id", "")))
    if revoked is None:
        return [STATUS_OK]
    reason = revoked.get("revocationReason")
    if isinstance(reason, str) and reason.strip():
        return [Check.failure("revoked", "revoked_because", why=reason.strip()[:300])]
    return [Check.failure("revoked")]


def ob3_status(document: Mapping[str, Any]) -> list[Check]:
    credential_id = str(document.get("id", ""))
    public_id = our_public_id(credential_id, ("/badges/",))
    if public_id is not None:
        if ob3.issuer_id(document) != ob3.did_web(settings.SITE_URL):
            # Our address with another issuer: someone passing their badge off as ours.
            return [Check.failure("issuer_mismatch")]
        return database_status(our_credential(public_id))
    entries = document.get("credentialStatus")
    entries = entries if isinstance(entries, list) else [entries] if entries else []
    checks: list[Check] = []
    for entry in entries:
        if isinstance(entry, Mapping) and entry.get("type") == "BitstringStatusListEntry":
            checks += bitstring_status(entry, ob3.issuer_id(document))
        elif isinstance(entry, Mapping) and entry.get("type") == "1EdTechRevocationList":
            checks += edtech_revocation_list(entry, document)
        else:
            checks.append(Check.failure("status_unsupported"))
    return checks or [NO_STATUS]


def _listed(revocation_list: Any, assertion_id: str) -> bool:
    revoked = (
        revocation_list.get("revokedAssertions") if isinstance(revocation_list, Mapping) else []
    )
    for item in revoked or []:
        if item == assertion_id or (
            isinstance(item, Mapping) and assertion_id in (item.get("id"), item.get("uid"))
        ):
            return True
    return False


def ob2_revocation_list(issuer: Mapping[str, Any], assertion_id: str) -> list[Check]:
    url = issuer.get("revocationList")
    if not isinstance(url, str):
        return [NO_STATUS]
    try:
        revocation_list = fetch_json(url)
    except FetchError:
        return [Check.failure("status_unreachable", "revocation_list_unreachable")]
    if _listed(revocation_list, assertion_id):
        return [Check.failure("revoked")]
    return [STATUS_OK]
