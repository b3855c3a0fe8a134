"""HTTP caching of what the site publishes: validators, lifetimes, and 304 before any work.

Three lifetimes, named once here:

* ``IMMUTABLE``: signed documents and the images baked from them (a credential's
  bytes never change). Browsers keep them a year; shared caches (a proxy, a CDN)
  one hour only (``s-maxage``), so a badge its holder hides later stops being
  served from them soon.
* ``KEYS``: the issuer's public keys (``did.json``, JWKS): a rotation must be seen
  within the hour.
* ``SHORT``: what a revocation changes (the status list, the OB 2.0 assertion and
  revocation list): five minutes.

Every such answer carries an ``ETag`` (a digest of what it is made of) and answers
a conditional ``GET`` with ``304 Not Modified`` before its body is built.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag

IMMUTABLE: dict[str, Any] = {
    "public": True,
    "max_age": 365 * 24 * 3600,
    "s_maxage": 3600,
    "immutable": True,
}
KEYS: dict[str, Any] = {"public": True, "max_age": 3600}
SHORT: dict[str, Any] = {"public": True, "max_age": 300}
# A page or file only its holder and staff may see: never in a shared cache.
PRIVATE: dict[str, Any] = {"private": True, "max_age": 3600}


def digest(*parts: str | bytes) -> str:
    """An entity tag made of ``parts`` (texts or bytes), short and strong."""
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(part.encode("utf-8") if isinstance(part, str) else part)
        hashed.update(b"\0")
    return hashed.hexdigest()[:32]


def conditional(
    request: HttpRequest,
    etag: str,
    lifetime: dict[str, Any],
    build: Callable[[], HttpResponse],
) -> HttpResponse:
    """``build()``'s response with its validator and lifetime, or 304 when the client has it.

    ``build`` runs only when the client's copy (``If-None-Match``) is not current.
    """
    tag = quote_etag(etag)
    response = get_conditional_response(request, etag=tag)
    if response is None:
        response = build()
    response["ETag"] = tag
    if "Cache-Control" in response:
        del response["Cache-Control"]  # patching keeps the smaller max-age: this one rules
    patch_cache_control(response, **lifetime)
    return response
