"""Public key material and the revocation list, as JSON (or a VC-JWT for the list).

All public, and read by verifiers that run in a browser on another origin: each
answer allows any origin (``Access-Control-Allow-Origin: *``, no credentials).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.db.models import Max
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from insigne.badges.keys import issuer_keys
from insigne.badges.models import Credential
from insigne.openbadges import proof
from insigne.openbadges.jose import vcjwt
from insigne.openbadges.keys import controller_document, did_document, jwks
from insigne.openbadges.ob3 import format_datetime
from insigne.openbadges.statuslist import (
    MINIMUM_BITS,
    build_status_list_credential,
    encode_status_list,
)

_JSON = {"ensure_ascii": False}


def _public(view: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponse:
        response = view(request)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapped


@_public
@require_GET
@cache_control(public=True, max_age=3600)
def did_json(request: HttpRequest) -> HttpResponse:
    return JsonResponse(did_document(issuer_keys()), json_dumps_params=_JSON)


@_public
@require_GET
@cache_control(public=True, max_age=3600)
def jwks_json(request: HttpRequest) -> HttpResponse:
    return JsonResponse(jwks(issuer_keys()), json_dumps_params=_JSON)


@_public
@require_GET
@cache_control(public=True, max_age=3600)
def controller_json(request: HttpRequest) -> HttpResponse:
    """The issuer keys at an HTTPS URL, as a W3C controller document (CID 1.0)."""
    return JsonResponse(controller_document(issuer_keys()), json_dumps_params=_JSON)


# What the status list answers, by the client's Accept header. JSON-LD first, so that
# ``*/*`` (curl, browsers, requests) gets the Data Integrity form Digital Bazaar's and
# the DCC's verifiers read; a client asking for a JWT gets the VC-JWT form.
JSON_TYPES = ("application/ld+json", "application/json", "application/vc")
JWT_TYPES = ("application/vc+jwt", "application/jwt")


def _wants_jwt(request: HttpRequest) -> bool:
    """Whether the status list should be answered as a VC-JWT.

    A client that sends no Accept header at all gets the VC-JWT: that is how JOSE
    stacks fetch it, openbadgeslib among them, whose default revocation check accepts
    only a signed JWT-VC list; the JSON-LD loaders of Digital Bazaar, the DCC, pyld and
    our own verifier name their types.
    """
    if not request.headers.get("Accept", "").strip():
        return True
    return request.get_preferred_type([*JSON_TYPES, *JWT_TYPES]) in JWT_TYPES


@_public
@require_GET
@cache_control(public=True, max_age=300)
@vary_on_headers("Accept")
def status_list(request: HttpRequest) -> HttpResponse:
    """The signed revocation list, rebuilt on each request (two indexed queries, one signature).

    One credential, two securings at the one address the badges name: the JSON with an
    ``eddsa-rdfc-2022`` proof, or the same credential as a VC-JWT (``application/vc+jwt``,
    signed by the same key, ``kid`` as in the badges' tokens), chosen by the Accept header.
    The list covers every index given out, revoked or not: a reissued badge's
    index (``REISSUE_INDEX_BASE`` and up) lies beyond the minimum size, and a
    verifier must find its bit there, unset.
    """
    revoked = Credential.objects.filter(revoked_at__isnull=False).values_list(
        "status_index", flat=True
    )
    highest = Credential.objects.aggregate(top=Max("status_index"))["top"] or 0
    size = max(MINIMUM_BITS, (highest // 8 + 1) * 8)
    keys = issuer_keys()
    now = format_datetime(timezone.now())
    unsigned = build_status_list_credential(keys.site_url, encode_status_list(revoked, size), now)
    key = keys.active
    if _wants_jwt(request):
        token = vcjwt.sign(unsigned, key.private_key, keys.jwt_kid)
        return HttpResponse(token.encode("ascii"), content_type="application/vc+jwt")
    signed = proof.sign(unsigned, key.private_key, keys.verification_method, now)
    return JsonResponse(signed, json_dumps_params=_JSON)
