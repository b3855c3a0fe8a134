"""Staff corrections of issued badges: revoke, or revoke and reissue with corrected facts.

A signed badge cannot be modified (FAQ §12). When its names or its host
organisation are wrong, :func:`reissue` signs a new credential with the corrected
facts (new public id, new salt, new status-list index), points the old one at it
(``replaced_by``), revokes the old one and mails the volunteer the new badge with
an explanation. The personal journey (``Invitation.credential``) now leads to the
new badge; the old page says "remplacé par" with its link, its OB 2.0 assertion
answers 410 and its OB 3.0 status bit is set.

Both operations write the audit log inside their own transaction, and take a
reason: it is shown on the old badge's page and kept in the log.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from insigne.badges.models import Credential
from insigne.badges.services import (
    allocate_status_index,
    mark_revoked,
    replace_credential,
    signed_credential,
)
from insigne.claims import mails
from insigne.claims.issuing import ClaimDetails, claim_facts, new_ids, programme_class
from insigne.claims.models import Invitation
from insigne.claims.services import ClaimError
from insigne.mail.services import queue_mail
from insigne.missions.models import note_badge_names
from insigne.platform import audit
from insigne.platform.text import clean_display_text

logger = logging.getLogger(__name__)


# The audit log's names of the facts a correction may change.
_LABELS = {"given_name": "prénom", "family_name": "nom", "host_name": "organisme d'accueil"}


def _reason(reason: str) -> str:
    reason = clean_display_text(reason)
    if not reason:
        raise ClaimError("reason_required")
    return reason


def _mission_id(credential: Credential) -> int | None:
    invitation = Invitation.objects.filter(credential=credential).first()
    if invitation is None and credential.replaced_by_id is not None:
        invitation = Invitation.objects.filter(credential_id=credential.replaced_by_id).first()
    return invitation.mission_id if invitation is not None else None


def revoke(credential: Credential, reason: str, *, actor: object = None) -> bool:
    """Revoke ``credential`` for ``reason``; False when it was already revoked."""
    reason = _reason(reason)
    with transaction.atomic(durable=True):
        changed = mark_revoked(credential, reason)
        if changed:
            audit.record(
                actor,
                "revoke",
                f"credential:{credential.pk}",
                {"statut": "valide"},
                {"statut": "révoqué"},
                mission_id=_mission_id(credential),
                reason=reason,
            )
    return changed


def reissue(
    credential: Credential,
    *,
    reason: str,
    given_name: str | None = None,
    family_name: str | None = None,
    host_name: str | None = None,
    actor: object = None,
) -> Credential:
    """Sign the corrected badge, replace and revoke ``credential``, mail the volunteer.

    Raises ``ClaimError``: ``reason_required``, ``already_revoked`` (revoked or
    replaced already: correct the newest badge instead), ``nothing_corrected``,
    ``not_ours`` (no mission behind the badge).
    """
    reason = _reason(reason)
    with transaction.atomic(durable=True):
        old = Credential.objects.select_for_update().get(pk=credential.pk)
        if old.revoked_at is not None or old.replaced_by_id is not None:
            raise ClaimError("already_revoked")
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("mission")
            .filter(credential=old)
            .first()
        )
        if invitation is None:
            raise ClaimError("not_ours")
        before = ClaimDetails(old.given_name, old.family_name, old.host_name)
        after = ClaimDetails(
            clean_display_text(given_name or "") or old.given_name,
            clean_display_text(family_name or "") or old.family_name,
            clean_display_text(host_name or "") or old.host_name,
        )
        if after == before:
            raise ClaimError("nothing_corrected")
        public_id, salt = new_ids()
        badge_class = programme_class()
        facts = claim_facts(
            invitation,
            public_id=public_id,
            issued_at=timezone.now(),
            salt=salt,
            details=after,
            status_index=allocate_status_index(),
            badge_class=badge_class,
        )
        new = signed_credential(facts, badge_class)
        replace_credential(old, new, reason)
        Invitation.objects.filter(pk=invitation.pk).update(credential=new)
        invitation.credential = new
        note_badge_names((invitation.mission, new.given_name, new.family_name))
        changed = [
            (label, getattr(before, key), getattr(after, key))
            for key, label in _LABELS.items()
            if getattr(before, key) != getattr(after, key)
        ]
        audit.record(
            actor,
            "reissue",
            f"credential:{old.pk}",
            {"badge": old.public_id, **{label: value for label, value, _new in changed}},
            {"badge": new.public_id, **{label: value for label, _old, value in changed}},
            mission_id=invitation.mission_id,
            reason=reason,
        )
        mail = mails.correction_mail(new, old)
        queue_mail(
            kind="correction",
            to=invitation.mission.email,
            subject=mail.subject,
            text=mail.text,
            html=mail.html,
            attachments=mail.attachments,
            related_key=f"credential:{new.pk}",
        )
    logger.info("credential %s reissued as %s", old.pk, new.pk)
    return new
