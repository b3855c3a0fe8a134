"""Public pages of an issued badge: the page itself, its images, its JSON, its PDF.

The holder decides who sees them (``Credential.visibility``): a link-only page
(the default) carries ``noindex``, a hidden one answers 404 to everyone but its
holder and staff. Files always carry ``noindex``: a search engine lists pages.

Under load: each view reads one row (the badge class's images excepted, which
come from memory: ``presenter.medal``); the page shows the verdict kept on the
row (``stored``), and a visitor without a session gets the page this process
rendered for the same badge state, language and address (``PageCache``). Signed
documents and baked images carry an ``ETag`` and a long lifetime (``httpcache``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from insigne.badges import holders, rows, sharing
from insigne.badges import presenter as badges
from insigne.badges.attestation import LANGUAGES, attestation_pdf
from insigne.badges.forms import VisibilityForm
from insigne.badges.models import IMAGE_COLUMNS, BadgeClass, Credential, Visibility
from insigne.badges.records import achievement_facts
from insigne.openbadges.ob3 import OB3_CONTEXT, build_achievement
from insigne.platform import httpcache
from insigne.platform.pagecache import PageCache, sessionless
from insigne.verifier.stored import KEPT, stored_verdict, verdict_key

JSON_TYPES = ("application/ld+json", "application/json", "application/vc")
TEMPLATE = "verifier/badge.html"
# About 25 kB a page: 512 pages are some 12 MB per web process.
PAGES = PageCache(size=512)


def _rows() -> QuerySet[Credential]:
    """The credential and its badge class, images left out."""
    return Credential.objects.select_related("badge_class").defer(*badges.IMAGE_FIELDS)


# What each view reads of the row (building a query costs more than running it,
# hence ``badges.rows``): the page's state alone first, the whole row only to render it.
PAGE_FIELDS = (
    "revoked_at",
    "revocation_reason",
    "replaced_by",
    "verdict_key",
    "badge_class__name",
    "badge_class__slug",
)
BAKED_FIELDS = ("ob3_json", "badge_class__image_digest")


def _credential(
    request: HttpRequest,
    public_id: str,
    fields: tuple[str, ...] = (),
) -> Credential:
    """The credential ``public_id`` if this visitor may see it; only ``fields`` when given
    (``badges.rows``: a query written once per process)."""
    if fields:
        found = rows.credential(public_id, fields)
        if found is None:
            raise Http404
        credential = found
    else:
        credential = get_object_or_404(_rows(), public_id=public_id)
    if not holders.can_see(request, credential):
        raise Http404
    return credential


def _noindex(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex"
    return response


def _page_context(request: HttpRequest, credential: Credential, is_holder: bool) -> dict[str, Any]:
    return {
        "credential": credential,
        # The page says what the verifier says, not what the row says.
        "verdict": stored_verdict(credential),
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


def _visitor_page(request: HttpRequest, credential: Credential) -> HttpResponse:
    """The page as every visitor without a session sees it, rendered once per state."""
    key = (
        credential.public_id,
        verdict_key(credential),
        credential.visibility,
        credential.badge_class.name,
        translation.get_language(),
        request.get_full_path(),
    )
    page = PAGES.get(key)
    if page is None:
        context = _page_context(request, _rows().get(pk=credential.pk), is_holder=False)
        page = PAGES.render(request, TEMPLATE, context)
        if context["verdict"].status in KEPT:  # an unkept verdict is verified on every view
            PAGES.put(key, page)
    return PAGES.respond(request, page)


@require_GET
def badge(request: HttpRequest, public_id: str) -> HttpResponse:
    accept = request.headers.get("Accept", "")
    if any(kind in accept for kind in JSON_TYPES) and "text/html" not in accept:
        credential = _credential(request, public_id, ("ob3_json",))
        # The credential id is this URL: machines asking for JSON get the signed bytes.
        content, content_type = credential.ob3_json, "application/ld+json"
        etag = httpcache.digest(content_type, content)
        response = _signed(
            request, credential, etag, lambda: HttpResponse(content, content_type=content_type)
        )
        response["Vary"] = "Accept"
        return _noindex(response)
    credential = _credential(request, public_id, PAGE_FIELDS)
    is_holder = holders.is_holder(request, credential)
    if not is_holder and sessionless(request):
        response = _visitor_page(request, credential)
    else:
        credential = _rows().get(pk=credential.pk)
        response = render(request, TEMPLATE, _page_context(request, credential, is_holder))
    response["Vary"] = "Accept"
    if is_holder or credential.visibility != Visibility.PUBLIC:
        response["Cache-Control"] = "private"
    return response if credential.visibility == Visibility.PUBLIC else _noindex(response)


def _lifetime(credential: Credential) -> dict[str, Any]:
    """Files of a hidden badge are its holder's: never kept by a shared cache."""
    if credential.visibility == Visibility.HIDDEN:
        return httpcache.PRIVATE
    return httpcache.IMMUTABLE


def _download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=3600"
    # A served SVG must never run anything, whatever it contains.
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    )
    return _noindex(response)


def _signed(
    request: HttpRequest, credential: Credential, etag: str, build: Callable[[], HttpResponse]
) -> HttpResponse:
    """A file made of the signed bytes: validated by ``etag``, kept for long."""
    return _noindex(httpcache.conditional(request, etag, _lifetime(credential), build))


def _file(
    request: HttpRequest, credential: Credential, content: str, content_type: str, filename: str
) -> HttpResponse:
    etag = httpcache.digest(content_type, content)
    return _signed(request, credential, etag, lambda: _download(content, content_type, filename))


def _baked(
    request: HttpRequest,
    credential: Credential,
    content_type: str,
    filename: str,
    bake: Callable[[Credential], bytes | str],
) -> HttpResponse:
    """A baked image, validated by the signed bytes and the medal it is made of."""
    etag = httpcache.digest(content_type, credential.ob3_json, credential.badge_class.image_digest)
    return _signed(
        request, credential, etag, lambda: _download(bake(credential), content_type, filename)
    )


@require_GET
def badge_png(request: HttpRequest, public_id: str) -> HttpResponse:
    credential = _credential(request, public_id, BAKED_FIELDS)
    filename = "open-badge-service-civique.png"
    return _baked(request, credential, "image/png", filename, badges.baked_png)


@require_GET
def badge_svg(request: HttpRequest, public_id: str) -> HttpResponse:
    credential = _credential(request, public_id, BAKED_FIELDS)
    filename = "open-badge-service-civique.svg"
    return _baked(request, credential, "image/svg+xml", filename, badges.baked_svg)


@require_GET
def badge_qr(request: HttpRequest, public_id: str) -> HttpResponse:
    """The QR code of the badge page (which is also its verification page), as SVG."""
    credential = _credential(request, public_id)
    url = badges.badge_url(credential)
    return _download(sharing.qr_svg(url, title=url), "image/svg+xml", "qr-code.svg")


@require_GET
def badge_pdf(request: HttpRequest, public_id: str, language: str) -> HttpResponse:
    if language not in LANGUAGES:
        raise Http404
    credential = _credential(request, public_id)  # the medal: the process's copy
    response = HttpResponse(attestation_pdf(credential, language), content_type="application/pdf")
    filename = f"attestation-open-badge-service-civique-{language}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=3600"
    return _noindex(response)


@require_GET
def achievement_image(request: HttpRequest, slug: str) -> HttpResponse:
    badge_class = get_object_or_404(BadgeClass.objects.defer(*IMAGE_COLUMNS), slug=slug)
    return httpcache.conditional(
        request,
        badge_class.image_digest,
        httpcache.KEYS,  # staff may change the medal: an hour, like the keys
        lambda: _download(badges.medal(badge_class)[0], "image/png", f"{slug}.png"),
    )


@require_GET
def badge_ob3_json(request: HttpRequest, public_id: str) -> HttpResponse:
    credential = _credential(request, public_id, ("ob3_json",))
    filename = f"open-badge-{public_id}.json"
    return _file(request, credential, credential.ob3_json, "application/ld+json", filename)


@require_GET
def badge_ob3_jwt(request: HttpRequest, public_id: str) -> HttpResponse:
    credential = _credential(request, public_id, ("ob3_jwt",))
    filename = f"open-badge-{public_id}.jwt"
    return _file(request, credential, credential.ob3_jwt, "application/vc+jwt", filename)


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
