"""Public key material and the revocation list, as JSON."""

from __future__ import annotations

from django.db.models import Max
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from insigne.badges.keys import issuer_keys
from insigne.badges.models import Credential
from insigne.openbadges import proof
from insigne.openbadges.keys import did_document, jwks
from insigne.openbadges.ob3 import format_datetime
from insigne.openbadges.statuslist import (
    MINIMUM_BITS,
    build_status_list_credential,
    encode_status_list,
)

_JSON = {"ensure_ascii": False}


@require_GET
@cache_control(public=True, max_age=3600)
def did_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(did_document(issuer_keys()), json_dumps_params=_JSON)


@require_GET
@cache_control(public=True, max_age=3600)
def jwks_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(jwks(issuer_keys()), json_dumps_params=_JSON)


@require_GET
@cache_control(public=True, max_age=300)
def status_list(request: HttpRequest) -> JsonResponse:
    """The signed revocation list, rebuilt on each request (two indexed queries, one signature).

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
    signed = proof.sign(unsigned, key.private_key, keys.verification_method, now)
    return JsonResponse(signed, json_dumps_params=_JSON)
