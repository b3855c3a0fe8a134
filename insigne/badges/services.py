"""Staff actions on credentials: revoke (published at once through both status channels)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from insigne.badges.models import Credential

logger = logging.getLogger(__name__)


@transaction.atomic(durable=True)
def revoke_credential(credential: Credential, reason: str) -> bool:
    """Revoke once; return False when it was already revoked (the first reason stays).

    The OB 3.0 status list and the OB 2.0 revocation list are built from
    ``revoked_at`` on each request, and the hosted assertion answers 410 from
    then on: nothing else to publish.
    """
    changed = Credential.objects.filter(pk=credential.pk, revoked_at=None).update(
        revoked_at=timezone.now(), revocation_reason=reason.strip()[:300]
    )
    if changed:
        logger.info("credential %s revoked", credential.pk)
    credential.refresh_from_db(fields=["revoked_at", "revocation_reason"])
    return bool(changed)
