"""This site's issuer keys: the key file named by the settings, read once per process."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings

from insigne.openbadges.keys import IssuerKey, IssuerKeys, read_keys, rotate_key_file


@cache
def _cached_keys(path: Path, site_url: str) -> IssuerKeys:
    return IssuerKeys(keys=read_keys(path), site_url=site_url)


def issuer_keys() -> IssuerKeys:
    """The issuer keys of this site, read (or created) once per process."""
    return _cached_keys(Path(settings.INSIGNE_KEY_FILE), settings.SITE_URL)


@cache
def _keys_digest(path: Path, site_url: str) -> str:
    digest = hashlib.sha256(site_url.encode())
    for key in _cached_keys(path, site_url).keys:
        digest.update(b"\0" + key.key_id.encode() + b"\0" + key.public_bytes)
    return digest.hexdigest()


def issuer_keys_digest() -> str:
    """A digest of the public keys this site publishes: it changes when one is added or
    withdrawn, so whatever was derived from the keys (a verdict, an ETag) is known stale."""
    return _keys_digest(Path(settings.INSIGNE_KEY_FILE), settings.SITE_URL)


def rotate_issuer_key() -> IssuerKey:
    """Add a new signing key to the key file; this process signs with it from now on."""
    added = rotate_key_file(Path(settings.INSIGNE_KEY_FILE))
    _cached_keys.cache_clear()
    _keys_digest.cache_clear()
    return added
