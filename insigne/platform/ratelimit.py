"""Fixed-window rate limits kept in the shared cache (the database cache by default,
so every web process sees the same counters)."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest


def allow(scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit for ``key``; False once more than ``limit`` hits fell in the window."""
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    cache_key = f"rl:{scope}:{digest}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds)
        return True
    return count <= limit


def client_address(request: HttpRequest) -> str:
    """The client's address as seen by Django (set ``REMOTE_ADDR`` right behind a proxy)."""
    return str(request.META.get("REMOTE_ADDR", ""))
