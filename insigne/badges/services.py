"""Issuing and revoking credentials: the badges layer's two services.

Issuing: the facts of a claim (``insigne.openbadges.facts.CredentialFacts``, made by
the journey) are built and signed by the Open Badges core, and kept as the exact
texts that were signed. Revoking is published at once through both status channels.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from insigne.badges.keys import issuer_keys
from insigne.badges.models import IMAGE_COLUMNS, BadgeClass, Credential, StatusSlot, Visibility
from insigne.openbadges import ob2
from insigne.openbadges.facts import CredentialFacts
from insigne.openbadges.issuance import dumps, issue

logger = logging.getLogger(__name__)


def signed_credential(facts: CredentialFacts, badge_class: BadgeClass | None = None) -> Credential:
    """The credential of ``facts``, signed in both versions by the active key, not stored yet.

    OB 3.0 JSON with its ``eddsa-rdfc-2022`` proof and its VC-JWT, and the OB 2.0
    hosted assertion: the bytes stored are the bytes served. ``badge_class`` is the
    class the facts were drawn from, when the caller holds it (no second read).
    """
    if badge_class is None:
        badge_class = BadgeClass.objects.defer(*IMAGE_COLUMNS).get(slug=facts.badge.slug)
    elif badge_class.slug != facts.badge.slug:
        raise ValueError(f"facts of {facts.badge.slug!r} signed as {badge_class.slug!r}")
    signed = issue(facts, issuer_keys())
    return Credential(
        public_id=facts.public_id,
        badge_class=badge_class,
        given_name=facts.given_name,
        family_name=facts.family_name,
        host_name=facts.host_name,
        recipient_salt=facts.salt,
        issued_at=facts.issued_at,
        ob3_json=signed.ob3_json,
        ob3_jwt=signed.ob3_jwt,
        ob2_json=dumps(ob2.build_assertion(facts)),
        status_index=facts.status_index,
    )


@transaction.atomic(durable=True)
def revoke_credential(credential: Credential, reason: str) -> bool:
    """Revoke once; return False when it was already revoked (the first reason stays).

    The OB 3.0 status list and the OB 2.0 revocation list are built from
    ``revoked_at`` on each request, and the hosted assertion answers 410 from
    then on: nothing else to publish.
    """
    return mark_revoked(credential, reason)


def allocate_status_index() -> int:
    """A status-list index no credential holds nor will be given by a first issue.

    First issues take their invitation's id (unique, below ``REISSUE_INDEX_BASE``:
    four million invitations); every reissue takes a new :class:`StatusSlot`, an
    auto-increment row, so concurrent reissues never share one on either database.
    Existing credentials keep their index: their status entry is signed.
    """
    return StatusSlot.objects.create().index


def replace_credential(old: Credential, new: Credential, reason: str) -> None:
    """Store ``new``, point ``old`` at it and revoke ``old`` (inside the caller's transaction).

    The old page and every verifier then say "remplacé par" with the new badge's
    link; its OB 2.0 assertion answers 410 and its OB 3.0 status bit is set.
    """
    new.visibility = old.visibility
    new.save(force_insert=True)
    Credential.objects.filter(pk=old.pk).update(replaced_by=new)
    old.replaced_by = new
    mark_revoked(old, reason)
    logger.info("credential %s replaced by %s", old.pk, new.pk)


def mark_revoked(credential: Credential, reason: str) -> bool:
    """Revoke inside the caller's transaction; False when it was already revoked."""
    changed = Credential.objects.filter(pk=credential.pk, revoked_at=None).update(
        revoked_at=timezone.now(), revocation_reason=reason.strip()[:300]
    )
    if changed:
        logger.info("credential %s revoked", credential.pk)
    credential.refresh_from_db(fields=["revoked_at", "revocation_reason"])
    return bool(changed)


def set_visibility(credential: Credential, visibility: Visibility) -> None:
    """The holder's choice for their badge page; the signed badge is not touched."""
    Credential.objects.filter(pk=credential.pk).update(visibility=visibility)
    credential.visibility = visibility
    logger.info("credential %s page visibility set to %s", credential.pk, visibility)
