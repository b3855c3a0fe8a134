"""Tiny typed readers for configuration taken from the environment.

Every secret may also come from a file: ``NAME_FILE=/run/secrets/name`` wins over
``NAME``. Nothing here has side effects except :func:`persistent_secret`, which
creates the embedded-mode secret key once, in the data folder, mode 0600.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path


def envstr(name: str, default: str = "") -> str:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def envbool(name: str, default: bool = False) -> bool:
    value = envstr(name, "")
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def envint(name: str, default: int) -> int:
    value = envstr(name, "")
    return int(value) if value else default


def envdate(name: str) -> dt.date | None:
    """A day written ``AAAA-MM-JJ``, or None when unset; a malformed one stops the start."""
    value = envstr(name, "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise ValueError(f"{name} : date AAAA-MM-JJ attendue, pas {value!r}") from error


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in envstr(name, default).split(",") if item.strip()]


def persistent_secret(path: Path, nbytes: int = 50) -> str:
    """Return the secret stored at ``path``, creating it (0600) on first use."""
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(nbytes)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value)
    return value
