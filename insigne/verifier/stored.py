"""The verifier's verdict on one of our stored credentials: computed once, then kept.

The signed bytes of a credential never change, so neither does what the
verifier finds in them (proof, key binding, schema). What can change is said
by two things only: the credential's row (revoked, replaced) and this site's
issuer keys (a key added by a rotation, or withdrawn). The verdict is kept on
the row (``Credential.verdict``) with the digest of what it was computed from
(``verdict_key``); a page that reads another digest verifies again and keeps
the new verdict. No event has to remember to invalidate anything: a revocation
or a replacement changes the row, which every page reads anyway, so a revoked
badge's page says so at once; a key rotation changes the keys' digest.

Verdicts that time alone could change are not kept (an expiry, a ``validFrom``
in the future, an invalid badge): those are verified on every view, as before.
Changing what the verifier checks means bumping ``VERSION``.
"""

from __future__ import annotations

import hashlib
import logging

from django.db import DatabaseError, transaction

from insigne.badges.keys import issuer_keys_digest
from insigne.badges.models import Credential
from insigne.verifier.result import Verdict, from_stored, to_stored
from insigne.verifier.verify import verify

VERSION = "1"
KEPT = frozenset({"valid", "revoked", "replaced"})
logger = logging.getLogger(__name__)


def verdict_key(credential: Credential) -> str:
    """Digest of everything the verdict on ``credential`` depends on besides its bytes."""
    revoked = credential.revoked_at.isoformat() if credential.revoked_at else ""
    parts = (
        VERSION,
        issuer_keys_digest(),
        revoked,
        credential.revocation_reason if revoked else "",
        str(credential.replaced_by_id or ""),
    )
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def stored_verdict(credential: Credential) -> Verdict:
    """The verdict on ``credential``'s signed OB 3.0 JSON, verified only when it is stale."""
    key = verdict_key(credential)
    if credential.verdict_key == key and credential.verdict is not None:
        return from_stored(credential.verdict)
    verdict = verify(credential.ob3_json)
    if verdict.status in KEPT and verdict.summary.expires_at is None:
        data = to_stored(verdict)
        # Only this row's two columns: a concurrent revocation is never overwritten,
        # and the next view, reading the revoked row, finds a key that no longer matches.
        # Keeping it is an optimisation: a database too busy to take it fails no page.
        try:
            with transaction.atomic():
                rows = Credential.objects.filter(pk=credential.pk)
                rows.update(verdict=data, verdict_key=key)
        except DatabaseError as error:
            logger.warning("verdict of credential %s not kept: %s", credential.pk, error)
        else:
            credential.verdict, credential.verdict_key = data, key
    return verdict
