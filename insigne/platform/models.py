"""Counters of the rate limiter (``insigne.platform.ratelimit``)."""

from __future__ import annotations

from django.db import models


class RateCounter(models.Model):
    """Hits of one key in its current window; the row goes once the window is over."""

    # SHA-256 of "scope:key", truncated: the address or e-mail itself is never stored.
    bucket = models.CharField(max_length=32, unique=True)
    window_start = models.BigIntegerField()  # Unix seconds of the window's first hit
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.bucket}@{self.window_start}: {self.count}"
