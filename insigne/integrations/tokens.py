"""Creating, finding and revoking integrator tokens.

A token is ``ins_`` followed by 43 URL-safe characters (256 random bits); it is
shown once, when it is created, and only its SHA-256 is stored. Looking a token
up is one indexed query on that hash (the hash of a 256-bit secret needs no
salt nor slow hashing: it cannot be guessed). The last use is written at most
once a minute per token, so a busy integrator does not write on every request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import timezone

from insigne.integrations.models import ApiToken, Scope

PREFIX = "ins_"
LAST_USE_PRECISION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once; never stored


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(
    name: str, scopes: list[str], expires_at: dt.datetime, created_by: User | None = None
) -> NewToken:
    unknown = set(scopes) - set(Scope.values)
    if unknown:
        raise ValueError(f"unknown scopes: {sorted(unknown)}")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name,
        prefix=secret[: len(PREFIX) + 6],
        token_hash=hash_secret(secret),
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
        created_by=created_by,
    )
    return NewToken(token, secret)


def find_active(secret: str) -> ApiToken | None:
    """The live token of ``secret`` (not revoked, not expired), its last use noted."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    now = timezone.now()
    token = ApiToken.objects.filter(
        token_hash=hash_secret(secret), revoked_at=None, expires_at__gt=now
    ).first()
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def revoke_token(token: ApiToken) -> bool:
    changed = ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    token.refresh_from_db()
    return bool(changed)
