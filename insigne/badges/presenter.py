"""What a badge page shows, read back from the signed OB 3.0 document itself.

The preview (unsigned document) and the public page (stored, signed document)
use the same reader, so the preview is exactly what gets signed.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from insigne.badges.models import IMAGE_COLUMNS, BadgeClass, Credential
from insigne.openbadges.baking import bake_png, bake_svg


@dataclass(frozen=True)
class Competency:
    name: str
    description: str
    framework: str
    url: str
    # Where a person reading the badge learns more: our page of the competency
    # (the signed ``targetUrl`` of ours resolves to it), never raw JSON-LD.
    page_url: str = ""


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


def _page_url(achievement_id: str, index: int, target_url: str) -> str:
    """Our human page of the competency when the achievement is ours, else its own URL."""
    if achievement_id.startswith(f"{settings.SITE_URL}/"):
        return f"{achievement_id}#c{index}"
    return target_url


def badge_view(document: dict[str, Any], image_url: str = "") -> BadgeView:
    subject = document.get("credentialSubject") or {}
    achievement = subject.get("achievement") or {}
    achievement_id = _text(achievement.get("id"))
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
                page_url=_page_url(achievement_id, index, _text(a.get("targetUrl"))),
            )
            for index, a in enumerate(achievement.get("alignment") or (), start=1)
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


# The medals of this process, by badge class and image digest: a page reads the
# digest with its row and the image blob only the first time (or after an edit).
_MEDALS: dict[tuple[int, str], tuple[bytes, str]] = {}
_MEDALS_LOCK = threading.Lock()
MAX_MEDALS = 32
IMAGE_FIELDS = tuple(f"badge_class__{column}" for column in IMAGE_COLUMNS)


def medal(badge_class: BadgeClass) -> tuple[bytes, str]:
    """The PNG and SVG of ``badge_class``; the row may have been read without them
    (``.defer(*IMAGE_FIELDS)``): they come from memory, or once from the database."""
    key = (badge_class.pk, badge_class.image_digest)
    found = _MEDALS.get(key)
    if found is None:
        deferred = badge_class.get_deferred_fields()
        if set(IMAGE_COLUMNS) & deferred:
            rows = BadgeClass.objects.filter(pk=badge_class.pk).values_list(*IMAGE_COLUMNS)
            png, svg = rows.get()
            found = (bytes(png), svg)
        else:
            found = (bytes(badge_class.image), badge_class.image_svg)
        with _MEDALS_LOCK:
            if len(_MEDALS) >= MAX_MEDALS:
                _MEDALS.clear()
            _MEDALS[key] = found
    return found


def baked_png(credential: Credential) -> bytes:
    """The badge class image with the signed OB 3.0 credential baked in."""
    return bake_png(medal(credential.badge_class)[0], "openbadgecredential", credential.ob3_json)


def badge_svg(credential: Credential) -> str:
    """The badge class SVG, or its PNG wrapped in an SVG when the class has no SVG."""
    png, svg = medal(credential.badge_class)
    if svg:
        return svg
    encoded = base64.b64encode(png).decode("ascii")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400">'
        f'<image width="400" height="400" href="data:image/png;base64,{encoded}"/></svg>'
    )


def baked_svg(credential: Credential) -> str:
    return bake_svg(badge_svg(credential), "ob3", credential.ob3_json)


ESCO_URI = "http://data.europa.eu/esco/"
ESCO_PORTAL = "https://esco.ec.europa.eu/fr/classification/skill"
ESCO_SKILLS = "https://esco.ec.europa.eu/fr/classification/skill_main"


@dataclass(frozen=True)
class CompetencyPage:
    anchor: str  # c1, c2…: the fragment of the signed targetUrl
    name: str
    description: str
    framework: str
    code: str
    uri: str  # the framework's concept URI, when one is pinned
    esco_url: str  # ESCO's human page: the concept's, or the skills classification's


def _esco_url(uri: str) -> str:
    if uri.startswith(ESCO_URI):
        return f"{ESCO_PORTAL}?uri={quote(uri, safe='')}"
    return ESCO_SKILLS


def competency_pages(badge_class: BadgeClass) -> list[CompetencyPage]:
    """The competencies of a badge class as our human page describes them."""
    pages = []
    for index, item in enumerate(badge_class.competencies, start=1):
        uri = str(item.get("url", ""))
        pages.append(
            CompetencyPage(
                anchor=f"c{index}",
                name=str(item.get("name", "")),
                description=str(item.get("description", "")),
                framework=str(item.get("framework", "")),
                code=str(item.get("code", "")),
                uri=uri,
                esco_url=_esco_url(uri),
            )
        )
    return pages
