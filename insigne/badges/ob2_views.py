"""Open Badges 2.0 hosted documents, read-only and public.

An assertion is served as the exact text stored at issuance; a revoked one
answers 410 Gone with its reason, which is how OB 2.0 hosted verification
learns of a revocation. The other documents are built on request from the
badge class row, the issuer settings and the issuer keys. Verifiers often fetch
from another origin (a backpack in a browser), hence the open CORS header.

The assertion and the baked image carry an ``ETag`` (their bytes, or what they
are made of) and answer a conditional ``GET`` with 304; both keep the short
lifetime, since a revocation turns them into 410 (``insigne.platform.httpcache``).
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from insigne.badges import holders, rows
from insigne.badges.keys import issuer_keys
from insigne.badges.models import BadgeClass, Credential
from insigne.badges.presenter import medal
from insigne.badges.records import achievement_facts, issuer_facts
from insigne.openbadges import baking, ob2
from insigne.platform import httpcache

JSON_LD = "application/ld+json"
# Short for what revocation changes (assertions, the list), longer for the rest.
SHORT_CACHE = 300
LONG_CACHE = 3600


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _public(response: HttpResponse, max_age: int) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=max_age)
    return _cors(response)


def _json_ld(document: dict[str, Any], max_age: int = LONG_CACHE) -> HttpResponse:
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return _public(HttpResponse(body.encode("utf-8"), content_type=JSON_LD), max_age)


def _gone(credential: Credential) -> HttpResponse:
    body = ob2.build_revoked_assertion(
        settings.SITE_URL, credential.public_id, credential.revocation_reason
    )
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    response = HttpResponse(text.encode("utf-8"), status=410, content_type=JSON_LD)
    return _public(response, SHORT_CACHE)


def _credential(public_id: str, *fields: str) -> Credential:
    """The credential with ``fields`` only (``rows``: a query written once per process)."""
    credential = rows.credential(public_id, ("revoked_at", "revocation_reason", *fields))
    if credential is None:
        raise Http404
    return credential


@require_safe
def assertion(request: HttpRequest, public_id: str) -> HttpResponse:
    credential = _credential(public_id, "ob2_json")
    if credential.revoked_at is not None:
        return _gone(credential)

    def response() -> HttpResponse:
        # Bytes served are the bytes stored at issuance.
        return HttpResponse(credential.ob2_json.encode("utf-8"), content_type=JSON_LD)

    etag = httpcache.digest(JSON_LD, credential.ob2_json)
    return _cors(httpcache.conditional(request, etag, httpcache.SHORT, response))


@require_safe
def baked_png(request: HttpRequest, public_id: str) -> HttpResponse:
    credential = _credential(public_id, "visibility", "ob2_json", "badge_class__image_digest")
    if not holders.can_see(request, credential):
        raise Http404  # a hidden badge's image (it shows the name); the assertion stays
    if credential.revoked_at is not None:
        return _gone(credential)

    def response() -> HttpResponse:
        png = medal(credential.badge_class)[0]
        baked = baking.bake_png(png, baking.OB2_KEYWORD, credential.ob2_json)
        response = HttpResponse(baked, content_type="image/png")
        response["Content-Disposition"] = 'inline; filename="open-badge-service-civique-ob2.png"'
        response["X-Robots-Tag"] = "noindex"
        return response

    etag = httpcache.digest("image/png", credential.ob2_json, credential.badge_class.image_digest)
    lifetime = httpcache.PRIVATE if credential.visibility == "hidden" else httpcache.SHORT
    return _cors(httpcache.conditional(request, etag, lifetime, response))


@require_safe
def badge_class(request: HttpRequest, slug: str) -> HttpResponse:
    row = get_object_or_404(BadgeClass, slug=slug)
    return _json_ld(ob2.build_badge_class(achievement_facts(row), issuer_facts()))


@require_safe
def issuer(request: HttpRequest) -> HttpResponse:
    key_ids = [key.key_id for key in issuer_keys().keys]
    return _json_ld(ob2.build_issuer(issuer_facts(), key_ids))


@require_safe
def public_key(request: HttpRequest, key_id: str) -> HttpResponse:
    for key in issuer_keys().keys:
        if key.key_id == key_id:
            pem = key.public_key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
            return _json_ld(ob2.build_cryptographic_key(settings.SITE_URL, key_id, pem.decode()))
    raise Http404


@require_safe
def revocations(request: HttpRequest) -> HttpResponse:
    revoked = (
        Credential.objects.filter(revoked_at__isnull=False)
        .order_by("revoked_at", "pk")
        .values_list("public_id", "revocation_reason")
    )
    items = (ob2.Revocation(public_id, reason) for public_id, reason in revoked.iterator())
    return _json_ld(ob2.build_revocation_list(settings.SITE_URL, items), SHORT_CACHE)
