"""Public key material and the revocation list, as JSON.

Each answer carries an ``ETag`` and answers a conditional ``GET`` with 304
(``insigne.platform.httpcache``). The signed status list is built once per
process for each set of revoked badges and keys, and served from memory until
a revocation changes the set: one indexed query per request (the partial index
``credential_revoked``), no signature.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from insigne.badges.keys import issuer_keys, issuer_keys_digest
from insigne.badges.models import Credential
from insigne.openbadges import proof
from insigne.openbadges.keys import did_document, jwks
from insigne.openbadges.ob3 import format_datetime
from insigne.openbadges.statuslist import build_status_list_credential, encode_status_list
from insigne.platform import httpcache

_LOCK = threading.Lock()
_STATUS_LIST: dict[str, bytes] = {}  # the latest signed list, by its etag


def _json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def _keys_document(
    request: HttpRequest, name: str, build: Any, content_type: str = "application/json"
) -> HttpResponse:
    def response() -> HttpResponse:
        return HttpResponse(_json(build(issuer_keys())), content_type=content_type)

    etag = httpcache.digest(name, issuer_keys_digest())
    return httpcache.conditional(request, etag, httpcache.KEYS, response)


@require_GET
def did_json(request: HttpRequest) -> HttpResponse:
    return _keys_document(request, "did.json", did_document)


@require_GET
def jwks_json(request: HttpRequest) -> HttpResponse:
    return _keys_document(request, "jwks.json", jwks)


def _signed_status_list(revoked: list[int]) -> bytes:
    keys = issuer_keys()
    now = format_datetime(timezone.now())
    unsigned = build_status_list_credential(keys.site_url, encode_status_list(revoked), now)
    signed = proof.sign(unsigned, keys.active.private_key, keys.verification_method, now)
    return _json(signed)


@require_GET
def status_list(request: HttpRequest) -> HttpResponse:
    """The signed revocation list: signed again only when the revoked set or the keys change."""
    revoked = list(
        Credential.objects.filter(revoked_at__isnull=False)
        .order_by("status_index")
        .values_list("status_index", flat=True)
    )
    etag = httpcache.digest("status", issuer_keys_digest(), ",".join(map(str, revoked)))

    def response() -> HttpResponse:
        body = _STATUS_LIST.get(etag)
        if body is None:
            body = _signed_status_list(revoked)
            with _LOCK:
                _STATUS_LIST.clear()
                _STATUS_LIST[etag] = body
        return HttpResponse(body, content_type="application/json")

    return httpcache.conditional(request, etag, httpcache.SHORT, response)
