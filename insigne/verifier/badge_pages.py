"""Public pages of an issued badge: the page itself, its images, its JSON."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from insigne.badges import presenter as badges
from insigne.badges.models import BadgeClass, Credential
from insigne.badges.records import achievement_facts
from insigne.openbadges.ob3 import OB3_CONTEXT, build_achievement
from insigne.verifier.verify import verify

JSON_TYPES = ("application/ld+json", "application/json", "application/vc")


def _credential(public_id: str) -> Credential:
    queryset = Credential.objects.select_related("badge_class", "invitation__mission")
    return get_object_or_404(queryset, public_id=public_id)


@require_GET
def badge(request: HttpRequest, public_id: str) -> HttpResponse:
    credential = _credential(public_id)
    accept = request.headers.get("Accept", "")
    if any(kind in accept for kind in JSON_TYPES) and "text/html" not in accept:
        # The credential id is this URL: machines asking for JSON get the signed bytes.
        response = HttpResponse(credential.ob3_json, content_type="application/ld+json")
        response["Vary"] = "Accept"
        return response
    context = {
        "credential": credential,
        # The page says what the verifier says, not what the row says.
        "verdict": verify(credential.ob3_json),
        "badge": badges.credential_view(credential),
        "badge_url": badges.badge_url(credential),
        "linkedin_url": badges.linkedin_url(credential),
        "linkedin_fields": badges.linkedin_fields(credential),
        "page_title": credential.badge_class.name,
    }
    response = render(request, "verifier/badge.html", context)
    response["Vary"] = "Accept"
    return response


def _download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=3600"
    # A served SVG must never run anything, whatever it contains.
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    )
    return response


@require_GET
def badge_png(request: HttpRequest, public_id: str) -> HttpResponse:
    credential = _credential(public_id)
    filename = "open-badge-service-civique.png"
    return _download(badges.baked_png(credential), "image/png", filename)


@require_GET
def badge_svg(request: HttpRequest, public_id: str) -> HttpResponse:
    credential = _credential(public_id)
    filename = "open-badge-service-civique.svg"
    return _download(badges.baked_svg(credential), "image/svg+xml", filename)


@require_GET
def achievement_image(request: HttpRequest, slug: str) -> HttpResponse:
    badge_class = get_object_or_404(BadgeClass, slug=slug)
    return _download(bytes(badge_class.image), "image/png", f"{slug}.png")


@require_GET
def badge_ob3_json(request: HttpRequest, public_id: str) -> HttpResponse:
    credential = _credential(public_id)
    filename = f"open-badge-{public_id}.json"
    return _download(credential.ob3_json, "application/ld+json", filename)


@require_GET
def badge_ob3_jwt(request: HttpRequest, public_id: str) -> HttpResponse:
    credential = _credential(public_id)
    return _download(credential.ob3_jwt, "application/vc+jwt", f"open-badge-{public_id}.jwt")


@require_GET
def achievement(request: HttpRequest, slug: str) -> HttpResponse:
    """The achievement id of our credentials resolves to the badge class as OB 3.0 JSON."""
    badge_class = get_object_or_404(BadgeClass, slug=slug)
    document = {
        "@context": list(OB3_CONTEXT),
        **build_achievement(achievement_facts(badge_class), settings.SITE_URL),
    }
    return _download(
        json.dumps(document, ensure_ascii=False), "application/ld+json", f"{slug}.json"
    )
