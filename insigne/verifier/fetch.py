"""Fetching another issuer's documents (DID documents, keys, status lists, hosted
assertions) for the verifier, defensively.

Anyone can make the public verifier fetch a URL by uploading a badge, so:

* https only; plain http only for hosts listed in ``settings.INSIGNE_VERIFY_HTTP_HOSTS``
  (``host:port`` entries, used by tests) and for our own ``SITE_URL``;
* no request to a private, loopback or link-local address unless the host is listed
  (the verifier must not become a way to probe the internal network), nor to the
  IPv6 forms that carry an IPv4 address (NAT64 ``64:ff9b::/96``, 6to4 ``2002::/16``,
  Teredo ``2001::/32``, IPv4-compatible ``::/96`` and IPv4-mapped ``::ffff:0:0/96``);
* the host name is resolved once, and the connection goes to the address that was
  checked (a rebinding resolver cannot send it elsewhere); the Host header, SNI
  and the certificate check still use the host name (urllib3 does the HTTP and TLS);
* redirects are followed (at most three) only to URLs that pass the same rules;
* one deadline per fetch (``TOTAL_TIMEOUT``, 5 s, redirects included) enforced by
  the socket itself: every receive waits at most for what is left of it (and at
  most 3 s of silence), so a source dripping one byte at a time is cut at the
  deadline; 3 s to connect;
* at most ``MAX_CONCURRENT`` fetches at once per process: when all are busy the
  fetch is refused at once (``fetch_busy``) rather than queued;
* 1 MiB at most, JSON content types only;
* a small per-process cache, so that one status list serves many verifications;
* downloads (not cache hits) made for a visitor (:func:`on_behalf_of`) count against
  that visitor's own strict limit, ``FETCH_LIMIT`` (``fetch_rate_limited``).

Errors are :class:`FetchError` with a stable ``code``.
"""

from __future__ import annotations

import contextvars
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util.ssl_ import create_urllib3_context

from insigne.platform import json_limits, ratelimit
from insigne.platform.errors import CodedError

CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 3.0  # the longest silence between two receives
TOTAL_TIMEOUT = 5.0
MAX_CONCURRENT = 4
# Remote downloads per visitor: (count, seconds). Each may take the full deadline.
FETCH_LIMIT = (12, 60)
MAX_BYTES = 1024 * 1024
MAX_REDIRECTS = 3
CACHE_SECONDS = 300.0
CACHE_ENTRIES = 256
ACCEPT = "application/ld+json, application/json;q=0.9, application/did+json;q=0.9"
_JSON_TYPES = ("json", "text/plain")
_USER_AGENT = "Insigne-Verifier/1.0"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# IPv6 ranges that carry an IPv4 address (or reach one through a gateway): the
# address inside could be private, so none of them is fetched.
REFUSED_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in (
        "64:ff9b::/96",  # NAT64
        "64:ff9b:1::/48",  # NAT64, local use
        "2002::/16",  # 6to4
        "2001::/32",  # Teredo
        "::/96",  # IPv4-compatible (deprecated)
        "::ffff:0:0/96",  # IPv4-mapped
    )
)


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
_slots = threading.BoundedSemaphore(MAX_CONCURRENT)
# The deadline of the fetch running in this thread, read by every receive.
_deadline = threading.local()
# Who the current verification fetches for (a client address), if anyone.
_client: contextvars.ContextVar[str | None] = contextvars.ContextVar("fetch_client", default=None)


def clear_cache() -> None:
    _cache.clear()


@contextmanager
def on_behalf_of(client: str) -> Iterator[None]:
    """Count the downloads made inside the block against ``client``'s ``FETCH_LIMIT``."""
    token = _client.set(client)
    try:
        yield
    finally:
        _client.reset(token)


def _count_download(url: str) -> None:
    client = _client.get()
    if client is not None and not ratelimit.allow("verify-fetch", client, *FETCH_LIMIT):
        raise FetchError("fetch_rate_limited", url)


def http_hosts() -> frozenset[str]:
    """``host:port`` names allowed over plain http (and on private addresses)."""
    listed = settings.INSIGNE_VERIFY_HTTP_HOSTS
    return frozenset([*listed, urlsplit(settings.SITE_URL).netloc])


def address_allowed(address: str) -> bool:
    """Whether ``address`` may be fetched from: global, and no IPv4 carried in IPv6."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if ip.version == 6 and any(ip in network for network in REFUSED_NETWORKS):
        return False
    return ip.is_global


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the one resolution a fetch makes)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


@dataclass(frozen=True)
class _Target:
    url: str
    scheme: str
    host: str
    port: int
    path: str
    address: str


def _target(url: str) -> _Target:
    """Check ``url`` (scheme, host, addresses) and pin the address to connect to."""
    parts = urlsplit(url)
    listed = parts.netloc.lower() in http_hosts()
    if parts.scheme != "https" and not (parts.scheme == "http" and listed):
        raise FetchError("fetch_scheme", url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise FetchError("fetch_scheme", url) from error
    if not parts.hostname:
        raise FetchError("fetch_scheme", url)
    try:
        addresses = resolve(parts.hostname, port)
    except (OSError, UnicodeError) as error:
        if listed:
            raise FetchError("fetch_network", url) from error
        raise FetchError("fetch_private_address", url) from error
    if not addresses or not (listed or all(map(address_allowed, addresses))):
        raise FetchError("fetch_private_address", url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return _Target(url, parts.scheme, parts.hostname, port, path, addresses[0])


def check_url(url: str) -> None:
    """Raise ``FetchError`` unless ``url`` may be fetched (scheme, host, address)."""
    _target(url)


def _time_left() -> float:
    left: float = getattr(_deadline, "at", 0.0) - time.monotonic()
    if left <= 0:
        raise TimeoutError("fetch deadline passed")
    return left


def _receive_timeout() -> float:
    return min(READ_TIMEOUT, _time_left())


class _DeadlineSocket(socket.socket):
    """A socket whose every receive waits at most until the fetch's deadline."""

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        self.settimeout(_receive_timeout())
        return super().recv(bufsize, flags)

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        self.settimeout(_receive_timeout())
        return super().recv_into(buffer, nbytes, flags)


class _DeadlineSSLSocket(ssl.SSLSocket):
    """The TLS side of :class:`_DeadlineSocket` (used through the context below)."""

    def recv(self, buflen: int = 1024, flags: int = 0) -> bytes:
        self.settimeout(_receive_timeout())
        return super().recv(buflen, flags)

    def recv_into(self, buffer: Any, nbytes: int | None = None, flags: int = 0) -> int:
        self.settimeout(_receive_timeout())
        return super().recv_into(buffer, nbytes, flags)


_ssl_context = create_urllib3_context()
_ssl_context.load_default_certs()
_ssl_context.sslsocket_class = _DeadlineSSLSocket


def _connect(connection: HTTPConnection, address: str) -> socket.socket:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = _DeadlineSocket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(min(CONNECT_TIMEOUT, _time_left()))
        sock.connect((address, connection.port))
        # The TLS handshake waits at most for what is left of the deadline.
        sock.settimeout(_time_left())
    except TimeoutError as error:
        sock.close()
        raise ConnectTimeoutError(connection, f"connect to {connection.host} timed out") from error
    except OSError as error:
        sock.close()
        raise NewConnectionError(connection, f"cannot connect: {error}") from error
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


class _PinnedHTTPConnection(HTTPConnection):
    """urllib3's connection, connecting to the checked address instead of resolving again."""

    def __init__(self, *args: Any, pinned_address: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pinned_address = pinned_address

    def _new_conn(self) -> socket.socket:
        return _connect(self, self.pinned_address)


class _PinnedHTTPSConnection(HTTPSConnection):
    def __init__(self, *args: Any, pinned_address: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pinned_address = pinned_address

    def _new_conn(self) -> socket.socket:
        return _connect(self, self.pinned_address)


def _pool(target: _Target) -> urllib3.HTTPConnectionPool:
    if target.scheme == "https":
        pool: urllib3.HTTPConnectionPool = urllib3.HTTPSConnectionPool(
            target.host,
            target.port,
            ssl_context=_ssl_context,
            pinned_address=target.address,
        )
        pool.ConnectionCls = _PinnedHTTPSConnection
    else:
        pool = urllib3.HTTPConnectionPool(target.host, target.port, pinned_address=target.address)
        pool.ConnectionCls = _PinnedHTTPConnection
    return pool


def _read_limited(response: urllib3.BaseHTTPResponse, url: str) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_BYTES:
        raise FetchError("fetch_too_large", url)
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(64 * 1024):
        size += len(chunk)
        if size > MAX_BYTES:
            raise FetchError("fetch_too_large", url)
        chunks.append(chunk)
    return b"".join(chunks)


def _get_once(target: _Target) -> tuple[Fetched, str | None]:
    """One GET; the fetched document and the redirect location, if any."""
    pool = _pool(target)
    try:
        response = pool.urlopen(
            "GET",
            target.path,
            headers={
                "Accept": ACCEPT,
                "Accept-Encoding": "identity",
                "User-Agent": _USER_AGENT,
            },
            retries=False,
            redirect=False,
            preload_content=False,
            decode_content=False,
            timeout=urllib3.Timeout(connect=CONNECT_TIMEOUT, read=TOTAL_TIMEOUT),
        )
        try:
            content_type = response.headers.get("Content-Type", "")
            location = response.headers.get("Location")
            if response.status in _REDIRECTS and location:
                return Fetched(target.url, response.status, content_type, b""), location
            # 410 Gone is meaningful (a revoked OB 2.0 assertion): keep the status.
            body = b"" if response.status >= 400 else _read_limited(response, target.url)
            return Fetched(target.url, response.status, content_type, body), None
        finally:
            response.release_conn()
    finally:
        pool.close()


def _is_timeout(error: BaseException | None) -> bool:
    # urllib3's NewConnectionError derives from its ConnectTimeoutError: not a timeout.
    while error is not None:
        if isinstance(error, NewConnectionError):
            return False
        if isinstance(error, TimeoutError | urllib3.exceptions.TimeoutError):
            return True
        error = error.__cause__ or error.__context__
    return False


def _download(url: str) -> Fetched:
    target = _target(url)
    _count_download(url)
    if not _slots.acquire(blocking=False):
        raise FetchError("fetch_busy", url)
    _deadline.at = time.monotonic() + TOTAL_TIMEOUT
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            fetched, location = _get_once(target)
            if location is None:
                return fetched
            target = _target(urljoin(target.url, location))
        return fetched  # too many redirects: the last redirect's status
    except (urllib3.exceptions.HTTPError, OSError, ValueError) as error:
        code = "fetch_timeout" if _is_timeout(error) else "fetch_network"
        raise FetchError(code, url) from error
    finally:
        _deadline.at = 0.0
        _slots.release()


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
        return json_limits.loads(fetched.body)
    except ValueError as error:  # JsonTooDeep included
        raise FetchError("fetch_not_json", fetched.url, fetched.status) from error


def fetch_json(url: str) -> Any:
    """The JSON document at ``url`` (status 200, a JSON content type), else ``FetchError``."""
    return parse_json(fetch(url))
