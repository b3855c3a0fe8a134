"""Public pages of an issued badge: the page itself, its images, its JSON, its PDF.

The holder decides who sees them (``Credential.visibility``): a link-only page
(the default) carries ``noindex``, a hidden one answers 404 to everyone but its
holder and staff. Files always carry ``noindex``: a search engine lists pages.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from insigne.badges import holders, sharing
from insigne.badges import presenter as badges
from insigne.badges.attestation import LANGUAGES, attestation_pdf
from insigne.badges.forms import VisibilityForm
from insigne.badges.models import BadgeClass, Credential, Visibility
from insigne.badges.records import achievement_facts
from insigne.openbadges.ob3 import OB3_CONTEXT, build_achievement
from insigne.verifier.verify import verify

JSON_TYPES = ("application/ld+json", "application/json", "application/vc")


def _credential(request: HttpRequest, public_id: str) -> Credential:
    queryset = Credential.objects.select_related("badge_class", "invitation__mission")
    credential = get_object_or_404(queryset, public_id=public_id)
    if not holders.can_see(request, credential):
        raise Http404
    return credential


def _noindex(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def badge(request: HttpRequest, public_id: str) -> HttpResponse:
    credential = _credential(request, public_id)
    accept = request.headers.get("Accept", "")
    if any(kind in accept for kind in JSON_TYPES) and "text/html" not in accept:
        # The credential id is this URL: machines asking for JSON get the signed bytes.
        response = HttpResponse(credential.ob3_json, content_type="application/ld+json")
        response["Vary"] = "Accept"
        return _noindex(response)
    is_holder = holders.is_holder(request, credential)
    context = {
        "credential": credential,
        # The page says what the verifier says, not what the row says.
        "verdict": verify(credential.ob3_json),
        "badge": badges.credential_view(credential),
        "badge_url": badges.badge_url(credential),
        "linkedin_url": badges.linkedin_url(credential),
        "linkedin_fields": badges.linkedin_fields(credential),
        # The holder's own view of the page (with its settings) says so in its title.
        "page_title": _("Mon badge — {name}").format(name=credential.badge_class.name)
        if is_holder
        else credential.badge_class.name,
        "sharing": sharing.sharing(credential),
        "indexable": credential.visibility == Visibility.PUBLIC,
        "is_holder": is_holder,
        "visibility_form": VisibilityForm(initial={"visibility": credential.visibility}),
    }
    response = render(request, "verifier/badge.html", context)
    response["Vary"] = "Accept"
    if is_holder or credential.visibility != Visibility.PUBLIC:
        response["Cache-Control"] = "private"
    return response if context["indexable"] else _noindex(response)


def _download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=3600"
    # A served SVG must never run anything, whatever it contains.
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    )
    return _noindex(response)


@require_GET
def badge_png(request: HttpRequest, public_id: str) -> HttpResponse:
    credential = _credential(request, public_id)
    filename = "open-badge-service-civique.png"
    return _download(badges.baked_png(credential), "image/png", filename)


@require_GET
def badge_svg(request: HttpRequest, public_id: str) -> HttpResponse:
    credential = _credential(request, public_id)
    filename = "open-badge-service-civique.svg"
    return _download(badges.baked_svg(credential), "image/svg+xml", filename)


@require_GET
def badge_qr(request: HttpRequest, public_id: str) -> HttpResponse:
    """The QR code of the badge page (which is also its verification page), as SVG."""
    credential = _credential(request, public_id)
    url = badges.badge_url(credential)
    return _download(sharing.qr_svg(url, title=url), "image/svg+xml", "qr-code.svg")


@require_GET
def badge_pdf(request: HttpRequest, public_id: str, language: str) -> HttpResponse:
    credential = _credential(request, public_id)
    if language not in LANGUAGES:
        raise Http404
    response = HttpResponse(attestation_pdf(credential, language), content_type="application/pdf")
    filename = f"attestation-open-badge-service-civique-{language}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=3600"
    return _noindex(response)


@require_GET
def achievement_image(request: HttpRequest, slug: str) -> HttpResponse:
    badge_class = get_object_or_404(BadgeClass, slug=slug)
    return _download(bytes(badge_class.image), "image/png", f"{slug}.png")


@require_GET
def badge_ob3_json(request: HttpRequest, public_id: str) -> HttpResponse:
    credential = _credential(request, public_id)
    filename = f"open-badge-{public_id}.json"
    return _download(credential.ob3_json, "application/ld+json", filename)


@require_GET
def badge_ob3_jwt(request: HttpRequest, public_id: str) -> HttpResponse:
    credential = _credential(request, public_id)
    return _download(credential.ob3_jwt, "application/vc+jwt", f"open-badge-{public_id}.jwt")


@require_GET
def achievement(request: HttpRequest, slug: str) -> HttpResponse:
    """The achievement id of our credentials resolves to the badge class as OB 3.0 JSON.

    A browser (asking for HTML) gets the human page instead: the badge and its
    competencies, each under the anchor (``#c1``…) its signed ``targetUrl`` names.
    """
    badge_class = get_object_or_404(BadgeClass, slug=slug)
    if "text/html" in request.headers.get("Accept", ""):
        context = {
            "badge_class": badge_class,
            "competencies": badges.competency_pages(badge_class),
            "page_title": _("Compétences — {name}").format(name=badge_class.name),
        }
        response = render(request, "verifier/achievement.html", context)
        response["Vary"] = "Accept"
        return response
    document = {
        "@context": list(OB3_CONTEXT),
        **build_achievement(achievement_facts(badge_class), settings.SITE_URL),
    }
    response = _download(
        json.dumps(document, ensure_ascii=False), "application/ld+json", f"{slug}.json"
    )
    response["Vary"] = "Accept"
    return response
