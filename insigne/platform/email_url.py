"""Parse ``EMAIL_URL`` (``smtp://user:pass@host:port``, ``smtp+tls://``, ``smtp+ssl://``,
``console://``, ``locmem://``) into Django e-mail settings."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

BACKENDS = {
    "smtp": "insigne.mail.backends.SmtpBackend",
    "smtp+tls": "insigne.mail.backends.SmtpBackend",
    "smtp+ssl": "insigne.mail.backends.SmtpBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}


def parse_email_url(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    if parts.scheme not in BACKENDS:
        raise ValueError(f"EMAIL_URL: unsupported scheme {parts.scheme!r}")
    return {
        "EMAIL_BACKEND": BACKENDS[parts.scheme],
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtp+ssl" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": parts.scheme == "smtp+tls",
        "EMAIL_USE_SSL": parts.scheme == "smtp+ssl",
    }
