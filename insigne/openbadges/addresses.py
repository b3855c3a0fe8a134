"""The one URL scheme: every public address a credential names, written once.

A signed credential carries absolute URLs (its id, its achievement, the status
list, the OB 2.0 assertion, badge class, issuer and keys), and the site must
answer at exactly those paths for as long as the badge lives. Both sides read
:data:`PATHS`: the builders fill them with :func:`url`, the Django URL
configuration turns them into routes with :func:`route`, so the two cannot drift.
"""

from __future__ import annotations

import re

PATHS = {
    # Open Badges 3.0 and the badge page (the credential id is the page's address)
    "badge": "badges/{public_id}",
    "badge_png": "badges/{public_id}/badge.png",
    "badge_svg": "badges/{public_id}/badge.svg",
    "badge_ob3_json": "badges/{public_id}/ob3.json",
    "badge_ob3_jwt": "badges/{public_id}/ob3.jwt",
    # What the holder shares beyond the credential: its QR code, its PDF attestation
    "badge_qr": "badges/{public_id}/qr.svg",
    "badge_pdf": "badges/{public_id}/attestation-{language}.pdf",
    "achievement": "ob3/achievements/{slug}",
    "achievement_image": "ob3/achievements/{slug}/image.png",
    "ob3_status_list": "ob3/status/1",
    "did_json": ".well-known/did.json",
    "jwks_json": ".well-known/jwks.json",
    "controller_json": ".well-known/controller.json",
    # Open Badges 2.0 hosted documents
    "ob2_assertion": "ob2/assertions/{public_id}",
    "ob2_baked_png": "badges/{public_id}/badge-ob2.png",
    "ob2_badge_class": "ob2/badges/{slug}",
    "ob2_issuer": "ob2/issuer",
    "ob2_key": "ob2/keys/{key_id}",
    "ob2_revocations": "ob2/revocations",
}
# Django path converter of each placeholder (``public_id``: ``insigne.platform.converters``).
_CONVERTERS = {"public_id": "public_id", "slug": "slug", "key_id": "str", "language": "slug"}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def url(site_url: str, name: str, **values: str) -> str:
    """The absolute address ``name`` on the site at ``site_url`` (no slash at its end)."""
    return f"{site_url}/{PATHS[name].format(**values)}"


def route(name: str) -> str:
    """The Django route of ``name``: ``badges/{public_id}`` → ``badges/<public_id:public_id>``."""
    return _PLACEHOLDER.sub(lambda m: f"<{_CONVERTERS[m.group(1)]}:{m.group(1)}>", PATHS[name])
