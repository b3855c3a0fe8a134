"""Personal links: a random token in the mail, only its SHA-256 in the database.

192 random bits (above the 128 required): a leaked database gives no usable link,
and a link cannot be guessed. Hashing without salt is enough because the token
itself has full entropy; it also lets the lookup be one indexed equality.
"""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 24
# Live links of one pending invitation at most: each resend adds one, the oldest
# goes beyond this, so a flood of resend requests cannot grow the table.
MAX_LIVE_LINKS = 5


def new_token() -> tuple[str, str]:
    """Return ``(token, token_hash)``: the token goes in the mail, the hash in the row."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def looks_like_token(token: str) -> bool:
    """Cheap shape check before touching the database (URL-safe base64, right length)."""
    return len(token) == 32 and all(c.isalnum() or c in "-_" for c in token)
