"""Public key material and the revocation list, as JSON (or a VC-JWT for the list).

All public, and read by verifiers that run in a browser on another origin: each
answer allows any origin (``Access-Control-Allow-Origin: *``, no credentials).

Each answer carries an ``ETag`` and answers a conditional ``GET`` with 304
(``insigne.platform.httpcache``). The signed status list is built once per
process for each set of revoked badges, list size, keys and form (JSON or
VC-JWT), and served from memory until a revocation changes the set. What the
list says is read (two indexed queries: the partial index ``credential_revoked``
and the highest index given out) at most every ``STATUS_LIST_READ_SECONDS`` in
each process, so a busy list costs no query at all: a revocation reaches it within
those seconds, well inside the five minutes (``max-age``) a verifier may keep it.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from insigne.badges.keys import issuer_keys, issuer_keys_digest
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
from insigne.platform import httpcache

# The latest signed list of each form ("json", "jwt"): its etag and its bytes.
_STATUS_LIST: dict[str, tuple[str, bytes]] = {}
# What it says, and when that was read: (time.time(), revoked indexes, size in bits).
_STATE: list[tuple[float, tuple[int, ...], int]] = []
_STATE_LOCK = threading.Lock()


def _public(view: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponse:
        response = view(request)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapped


def _json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def _keys_document(
    request: HttpRequest, name: str, build: Any, content_type: str = "application/json"
) -> HttpResponse:
    def response() -> HttpResponse:
        return HttpResponse(_json(build(issuer_keys())), content_type=content_type)

    etag = httpcache.digest(name, issuer_keys_digest())
    return httpcache.conditional(request, etag, httpcache.KEYS, response)


@_public
@require_GET
def did_json(request: HttpRequest) -> HttpResponse:
    return _keys_document(request, "did.json", did_document)


@_public
@require_GET
def jwks_json(request: HttpRequest) -> HttpResponse:
    return _keys_document(request, "jwks.json", jwks)


@_public
@require_GET
def controller_json(request: HttpRequest) -> HttpResponse:
    """The issuer keys at an HTTPS URL, as a W3C controller document (CID 1.0)."""
    return _keys_document(request, "controller.json", controller_document)


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


def _signed_status_list(revoked: tuple[int, ...], size: int, as_jwt: bool) -> bytes:
    keys = issuer_keys()
    now = format_datetime(timezone.now())
    unsigned = build_status_list_credential(keys.site_url, encode_status_list(revoked, size), now)
    key = keys.active
    if as_jwt:
        return vcjwt.sign(unsigned, key.private_key, keys.jwt_kid).encode("ascii")
    return _json(proof.sign(unsigned, key.private_key, keys.verification_method, now))


def _list_state() -> tuple[tuple[int, ...], int]:
    """The revoked indexes and the list's size, read again once they are old enough.

    One thread reads while the others of the process serve what was read before.
    """
    now = time.time()

    def fresh() -> bool:  # a clock set back makes it old, not young
        return bool(_STATE) and 0 <= now - _STATE[0][0] < settings.STATUS_LIST_READ_SECONDS

    if fresh():
        return _STATE[0][1], _STATE[0][2]
    with _STATE_LOCK:
        if fresh():
            return _STATE[0][1], _STATE[0][2]  # read by another thread meanwhile
        revoked = tuple(
            Credential.objects.filter(revoked_at__isnull=False)
            .order_by("status_index")
            .values_list("status_index", flat=True)
        )
        highest = Credential.objects.aggregate(top=Max("status_index"))["top"] or 0
        size = max(MINIMUM_BITS, (highest // 8 + 1) * 8)
        _STATE[:] = [(now, revoked, size)]
        return revoked, size


@_public
@require_GET
@vary_on_headers("Accept")
def status_list(request: HttpRequest) -> HttpResponse:
    """The signed revocation list: signed again only when what it says or the keys change.

    One credential, two securings at the one address the badges name: the JSON with an
    ``eddsa-rdfc-2022`` proof, or the same credential as a VC-JWT (``application/vc+jwt``,
    signed by the same key, ``kid`` as in the badges' tokens), chosen by the Accept header.
    The list covers every index given out, revoked or not: a reissued badge's
    index (``REISSUE_INDEX_BASE`` and up) lies beyond the minimum size, and a
    verifier must find its bit there, unset.
    """
    revoked, size = _list_state()
    as_jwt = _wants_jwt(request)
    form = "jwt" if as_jwt else "json"
    etag = httpcache.digest(
        "status", form, str(size), issuer_keys_digest(), ",".join(map(str, revoked))
    )

    def response() -> HttpResponse:
        kept = _STATUS_LIST.get(form)
        if kept is not None and kept[0] == etag:
            body = kept[1]
        else:
            body = _signed_status_list(revoked, size, as_jwt)
            _STATUS_LIST[form] = (etag, body)  # one assignment: no lock needed between threads
        content_type = "application/vc+jwt" if as_jwt else "application/json"
        return HttpResponse(body, content_type=content_type)

    return httpcache.conditional(request, etag, httpcache.SHORT, response)
