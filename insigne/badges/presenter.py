"""What a badge page shows, read back from the signed OB 3.0 document itself.

The preview (unsigned document) and the public page (stored, signed document)
use the same reader, so the preview is exactly what gets signed.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from insigne.badges.models import Credential
from insigne.openbadges.baking import bake_png, bake_svg


@dataclass(frozen=True)
class Competency:
    name: str
    description: str
    framework: str
    url: str


@dataclass(frozen=True)
class Evidence:
    name: str
    description: str


@dataclass(frozen=True)
class BadgeView:
    title: str
    recipient: str
    description: str
    criteria: str
    image_url: str
    issuer_name: str
    issuer_url: str
    issued_on: dt.date | None
    competencies: tuple[Competency, ...]
    evidence: tuple[Evidence, ...]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _date(value: Any) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except ValueError:
        return None


def badge_view(document: dict[str, Any], image_url: str = "") -> BadgeView:
    subject = document.get("credentialSubject") or {}
    achievement = subject.get("achievement") or {}
    issuer = document.get("issuer") or {}
    image = achievement.get("image") or {}
    return BadgeView(
        title=_text(achievement.get("name")),
        recipient=_text(subject.get("name")),
        description=_text(achievement.get("description")),
        criteria=_text((achievement.get("criteria") or {}).get("narrative")),
        image_url=image_url or _text(image.get("id") if isinstance(image, dict) else image),
        issuer_name=_text(issuer.get("name")),
        issuer_url=_text(issuer.get("url")),
        issued_on=_date(document.get("validFrom")),
        competencies=tuple(
            Competency(
                name=_text(a.get("targetName")),
                description=_text(a.get("targetDescription")),
                framework=_text(a.get("targetFramework")),
                url=_text(a.get("targetUrl")),
            )
            for a in achievement.get("alignment") or ()
        ),
        evidence=tuple(
            Evidence(
                name=_text(e.get("name")),
                description=_text(e.get("narrative")) or _text(e.get("description")),
            )
            for e in document.get("evidence") or ()
        ),
    )


def credential_view(credential: Credential) -> BadgeView:
    image_url = reverse("badge_png", args=[credential.public_id])
    return badge_view(json.loads(credential.ob3_json), image_url=image_url)


def badge_url(credential: Credential) -> str:
    return f"{settings.SITE_URL}{reverse('badge', args=[credential.public_id])}"


def linkedin_fields(credential: Credential) -> dict[str, str]:
    """The fields of LinkedIn's "add a certification" form, in its parameter names.

    No expiration fields: the badge never expires (FAQ §11).
    """
    issued = timezone.localtime(credential.issued_at)
    fields = {
        "name": credential.badge_class.name,
        "issueYear": str(issued.year),
        "issueMonth": str(issued.month),
        "certUrl": badge_url(credential),
        "certId": credential.public_id,
    }
    if settings.LINKEDIN_ORGANIZATION_ID:
        fields["organizationId"] = settings.LINKEDIN_ORGANIZATION_ID
    else:
        fields["organizationName"] = settings.LINKEDIN_ORGANIZATION_NAME
    return fields


def linkedin_url(credential: Credential) -> str:
    query = {"startTask": "CERTIFICATION_NAME", **linkedin_fields(credential)}
    return "https://www.linkedin.com/profile/add?" + urlencode(query)


def baked_png(credential: Credential) -> bytes:
    """The badge class image with the signed OB 3.0 credential baked in."""
    return bake_png(bytes(credential.badge_class.image), "openbadgecredential", credential.ob3_json)


def badge_svg(credential: Credential) -> str:
    """The badge class SVG, or its PNG wrapped in an SVG when the class has no SVG."""
    if credential.badge_class.image_svg:
        return credential.badge_class.image_svg
    encoded = base64.b64encode(bytes(credential.badge_class.image)).decode("ascii")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400">'
        f'<image width="400" height="400" href="data:image/png;base64,{encoded}"/></svg>'
    )


def baked_svg(credential: Credential) -> str:
    return bake_svg(badge_svg(credential), "ob3", credential.ob3_json)
