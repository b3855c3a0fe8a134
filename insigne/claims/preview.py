"""The preview: the very document that validation will sign, minus the proof."""

from __future__ import annotations

import secrets

from django.urls import reverse
from django.utils import timezone

from insigne.claims.issuing import credential_facts
from insigne.claims.models import Invitation
from insigne.claims.services import BADGE_CLASS_SLUG, current_details
from insigne.credentials.models import BadgeClass
from insigne.verification.badges import BadgeView, badge_view


def preview_badge(invitation: Invitation) -> BadgeView:
    from insigne.credentials.ob3 import build_credential

    details = current_details(invitation)
    badge_class = BadgeClass.objects.get(slug=BADGE_CLASS_SLUG)
    facts = credential_facts(
        invitation,
        badge_class,
        given_name=details.given_name,
        family_name=details.family_name,
        host_name=details.host_name,
        public_id=secrets.token_urlsafe(16),
        salt=secrets.token_hex(16),
        issued_at=timezone.now(),
    )
    image_url = reverse("achievement_image", args=[badge_class.slug])
    return badge_view(build_credential(facts), image_url=image_url)
