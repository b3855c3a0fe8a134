"""Synchroniser: bring into a Passport every badge this site issued to the account's
proven addresses (FAQ §4, §6).

**How a badge is matched.** A credential names its holder only by
``identityHash = sha256(lowercased email + salt)`` with a salt of its own
(``Credential.recipient_salt``), so the address cannot be read back from it, and
hashing one address against every credential's salt would cost one SHA-256 per
issued badge: about a second of CPU per click at 900,000 badges, and a full table
read. Instead, the mission records give the candidates: the badge was issued to
the address on its mission, so an indexed lookup of the mission address
(``LOWER(email)``, index ``mission_email_lower_idx``) finds the few credentials
that may be this address's, in O(log n). Each candidate is then *confirmed* by
recomputing its salted hash from the proven address: only a credential that
really names this address is taken. The mission record is thus a hint, never the
proof: an address changed on a record after the badge was issued does not hand
that badge to the new address's owner, and an address nobody proved (allauth's
``EmailAddress.verified``) is never looked up at all.

Idempotent: a credential is kept at most once per account (a database
constraint), so a second run adds nothing and says so.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from insigne.badges.models import Credential
from insigne.openbadges.ob3 import identity_hash
from insigne.passport.models import KeptBadge, Source

logger = logging.getLogger(__name__)


def verified_addresses(user: User) -> list[str]:
    """The account's proven addresses, lowercased (an unproven one counts for nothing)."""
    emails = EmailAddress.objects.filter(user_id=user.pk, verified=True).values_list(
        "email", flat=True
    )
    return sorted({email.strip().lower() for email in emails})


def _hashes(credential: Credential) -> set[str]:
    try:
        document = json.loads(credential.ob3_json)
        identifiers = document["credentialSubject"].get("identifier") or []
    except (ValueError, KeyError, TypeError, AttributeError):
        return set()
    return {
        str(item.get("identityHash"))
        for item in identifiers
        if isinstance(item, dict) and item.get("identityHash")
    }


def names_one_of(credential: Credential, addresses: Iterable[str]) -> bool:
    """Whether the signed credential's salted hash is one of these addresses'."""
    hashes = _hashes(credential)
    return any(identity_hash(email, credential.recipient_salt) in hashes for email in addresses)


def issued_to(addresses: Iterable[str]) -> list[Credential]:
    """Our credentials that name one of these addresses, oldest first."""
    wanted = sorted({email.strip().lower() for email in addresses if email.strip()})
    if not wanted:
        return []
    candidates = (
        Credential.objects.alias(address=Lower("invitation__mission__email"))
        .filter(address__in=wanted)
        .order_by("issued_at", "pk")
    )
    return [credential for credential in candidates if names_one_of(credential, wanted)]


@dataclass(frozen=True)
class SyncResult:
    added: int
    present: int

    def message(self) -> str:
        if not self.added and not self.present:
            return _("Aucun badge n'a été délivré à vos adresses vérifiées.")
        added = ngettext("%(n)d badge ajouté", "%(n)d badges ajoutés", self.added) % {
            "n": self.added
        }
        present = ngettext("%(n)d déjà présent", "%(n)d déjà présents", self.present) % {
            "n": self.present
        }
        return f"{added}, {present}."


def synchronise(user: User) -> SyncResult:
    """Keep in the account every credential issued to one of its proven addresses."""
    added = present = 0
    kept = set(
        KeptBadge.objects.filter(owner_id=user.pk, credential__isnull=False).values_list(
            "credential_id", flat=True
        )
    )
    for credential in issued_to(verified_addresses(user)):
        if credential.pk in kept:
            present += 1
            continue
        try:
            with transaction.atomic():
                KeptBadge.objects.create(
                    owner_id=user.pk,
                    source=Source.ISSUED,
                    credential=credential,
                    addressed_to_owner=True,
                    title=credential.badge_class.name,
                    recipient_name=f"{credential.given_name} {credential.family_name}",
                    issued_at=credential.issued_at,
                )
        except IntegrityError:  # a concurrent run kept it first
            present += 1
        else:
            added += 1
    logger.info("passport %s synchronised: %d added, %d present", user.pk, added, present)
    return SyncResult(added, present)


def drop_unmatched(user: User) -> int:
    """Take out of the account our badges no proven address of it names any more
    (an address removed from the account takes its badges with it); return how many."""
    addresses = verified_addresses(user)
    ours = KeptBadge.objects.filter(owner_id=user.pk, credential__isnull=False).select_related(
        "credential"
    )
    gone = [
        kept.pk
        for kept in ours
        if kept.credential is None or not names_one_of(kept.credential, addresses)
    ]
    KeptBadge.objects.filter(pk__in=gone).delete()
    return len(gone)
