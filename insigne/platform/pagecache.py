"""Public pages rendered once per process for visitors who carry no session.

A public page (a badge page) is the same for every visitor without a session,
but for two things each response must have of its own: the CSRF token of the
language switch (a POST form) and the CSP nonce of the design system's scripts.
:class:`PageCache` renders such a page once with a placeholder for each, keeps
the bytes in memory (the ``size`` most recently used pages of this process), and
serves every later visitor the kept bytes with their own token and nonce put in
place: the same page, byte for byte, as a fresh render would give them.

The caller's key must name everything the page shows (the row's state, the
language, the path with its query): a revoked badge's page has another key, so
a stale page is never served, it only ages out. Visitors with a session or a
pending message (a holder, staff, a Passport member) always get a fresh render.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

# Per process, never shown: a page's own text cannot contain them by chance.
_CSRF = secrets.token_hex(24)
_NONCE = secrets.token_hex(24)
MESSAGES_COOKIE = "messages"  # django.contrib.messages' cookie storage


def sessionless(request: HttpRequest) -> bool:
    """True when the request carries no session and no pending message."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and MESSAGES_COOKIE not in cookies


class PageCache:
    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._pages: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._pages)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: Hashable, page: bytes) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    @staticmethod
    def render(request: HttpRequest, template: str, context: dict[str, Any]) -> bytes:
        """The page with placeholders for the token and the nonce, ready to keep."""
        nonce = getattr(request, "csp_nonce", None)
        if nonce is not None:
            request.csp_nonce = _NONCE  # type: ignore[attr-defined]
        try:
            text = render_to_string(template, context | {"csrf_token": _CSRF}, request)
        finally:
            if nonce is not None:
                request.csp_nonce = nonce  # type: ignore[attr-defined]
        return text.encode("utf-8")

    @staticmethod
    def respond(request: HttpRequest, page: bytes) -> HttpResponse:
        """A kept page, with this request's own CSRF token and CSP nonce."""
        page = page.replace(_CSRF.encode(), get_token(request).encode())
        nonce = getattr(request, "csp_nonce", None)
        if nonce is not None:
            page = page.replace(_NONCE.encode(), str(nonce).encode())
        return HttpResponse(page)
