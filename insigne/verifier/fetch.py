"""Fetching another issuer's documents (DID documents, keys, status lists, hosted
assertions) for the verifier, defensively.

Anyone can make the public verifier fetch a URL by uploading a badge, so:

* https only; plain http only for hosts listed in ``settings.INSIGNE_VERIFY_HTTP_HOSTS``
  (``host:port`` entries, used by tests) and for our own ``SITE_URL``;
* no request to a private, loopback or link-local address unless the host is listed
  (the verifier must not become a way to probe the internal network);
* redirects are followed (at most three) only to URLs that pass the same rules;
* 3 s to connect, 5 s in all, 1 MiB at most, JSON content types only;
* a small per-process cache, so that one status list serves many verifications.

Errors are :class:`FetchError` with a stable ``code``.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import urlsplit

from django.conf import settings

from insigne.platform.errors import CodedError

CONNECT_TIMEOUT = 3.0
TOTAL_TIMEOUT = 5.0
MAX_BYTES = 1024 * 1024
MAX_REDIRECTS = 3
CACHE_SECONDS = 300.0
CACHE_ENTRIES = 256
ACCEPT = "application/ld+json, application/json;q=0.9, application/did+json;q=0.9"
_JSON_TYPES = ("json", "text/plain")
_USER_AGENT = "Insigne-Verifier/1.0"


class FetchError(CodedError):
    """A document that could not be fetched; ``status`` is the HTTP one, if any."""

    def __init__(self, code: str, url: str, status: int | None = None) -> None:
        super().__init__(code, url=url)
        self.url = url
        self.status = status


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    content_type: str
    body: bytes


_cache: dict[str, tuple[float, Fetched]] = {}


def clear_cache() -> None:
    _cache.clear()


def http_hosts() -> frozenset[str]:
    """``host:port`` names allowed over plain http (and on private addresses)."""
    listed = settings.INSIGNE_VERIFY_HTTP_HOSTS
    return frozenset([*listed, urlsplit(settings.SITE_URL).netloc])


def _netloc(url: str) -> str:
    return urlsplit(url).netloc.lower()


def _is_public_host(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            return False
    return True


def check_url(url: str) -> None:
    """Raise ``FetchError`` unless ``url`` may be fetched (scheme, host, address)."""
    parts = urlsplit(url)
    listed = parts.netloc.lower() in http_hosts()
    if parts.scheme != "https" and not (parts.scheme == "http" and listed):
        raise FetchError("fetch_scheme", url)
    if not parts.hostname:
        raise FetchError("fetch_scheme", url)
    if not listed and not _is_public_host(parts.hostname):
        raise FetchError("fetch_private_address", url)


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> Any:
        check_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_CheckedRedirects)


def _read_limited(response: IO[bytes], url: str, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(64 * 1024):
        size += len(chunk)
        if size > MAX_BYTES:
            raise FetchError("fetch_too_large", url)
        if time.monotonic() > deadline:
            raise FetchError("fetch_timeout", url)
        chunks.append(chunk)
    return b"".join(chunks)


def _download(url: str) -> Fetched:
    check_url(url)
    # check_url above allows only https (and http for listed hosts): no file: or custom schemes.
    request = urllib.request.Request(  # noqa: S310
        url, headers={"Accept": ACCEPT, "User-Agent": _USER_AGENT}
    )
    deadline = time.monotonic() + TOTAL_TIMEOUT
    try:
        with _opener.open(request, timeout=CONNECT_TIMEOUT) as response:
            body = _read_limited(response, url, deadline)
            content_type = response.headers.get("Content-Type", "")
            return Fetched(response.geturl(), response.status, content_type, body)
    except urllib.error.HTTPError as error:
        # 410 Gone is meaningful (a revoked OB 2.0 assertion): keep the status.
        return Fetched(url, error.code, error.headers.get("Content-Type", ""), b"")
    except TimeoutError as error:
        raise FetchError("fetch_timeout", url) from error
    except urllib.error.URLError as error:
        code = "fetch_timeout" if isinstance(error.reason, TimeoutError) else "fetch_network"
        raise FetchError(code, url) from error
    except (OSError, ValueError) as error:
        raise FetchError("fetch_network", url) from error


def fetch(url: str) -> Fetched:
    """GET ``url`` under the rules above; HTTP errors come back as a status, not raised."""
    now = time.monotonic()
    cached = _cache.get(url)
    if cached and cached[0] > now:
        return cached[1]
    fetched = _download(url)
    if len(_cache) >= CACHE_ENTRIES:
        _cache.clear()
    _cache[url] = (now + CACHE_SECONDS, fetched)
    return fetched


def parse_json(fetched: Fetched) -> Any:
    if fetched.status != 200:
        raise FetchError("fetch_status", fetched.url, fetched.status)
    if not any(kind in fetched.content_type.lower() for kind in _JSON_TYPES):
        raise FetchError("fetch_content_type", fetched.url, fetched.status)
    try:
        return json.loads(fetched.body)
    except ValueError as error:
        raise FetchError("fetch_not_json", fetched.url, fetched.status) from error


def fetch_json(url: str) -> Any:
    """The JSON document at ``url`` (status 200, a JSON content type), else ``FetchError``."""
    return parse_json(fetch(url))
