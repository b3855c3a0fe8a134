"""The preview: the very document that validation will sign, minus the proof."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from insigne.badges.presenter import BadgeView, badge_view
from insigne.claims.issuing import claim_facts, new_ids
from insigne.claims.models import Invitation
from insigne.openbadges.issuance import preview


def preview_badge(invitation: Invitation) -> BadgeView:
    public_id, salt = new_ids()
    facts = claim_facts(invitation, public_id=public_id, issued_at=timezone.now(), salt=salt)
    image_url = reverse("achievement_image", args=[facts.badge.slug])
    return badge_view(preview(facts), image_url=image_url)
