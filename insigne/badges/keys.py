"""This site's issuer keys: the key file named by the settings, read once per process."""

from __future__ import annotations

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


def rotate_issuer_key() -> IssuerKey:
    """Add a new signing key to the key file; this process signs with it from now on."""
    added = rotate_key_file(Path(settings.INSIGNE_KEY_FILE))
    _cached_keys.cache_clear()
    return added
