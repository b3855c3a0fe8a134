"""One credential read by its public id for the public pages (``platform.rows``).

Every read takes ``ALWAYS``: who may see the page is decided from them.
"""

from __future__ import annotations

from insigne.badges.models import Credential
from insigne.platform import rows

ALWAYS = ("id", "public_id", "visibility", "badge_class_id")


def credential(public_id: str, fields: tuple[str, ...]) -> Credential | None:
    """The credential ``public_id`` with ``fields`` (and ``ALWAYS``) read, or None."""
    return rows.one(Credential, "public_id", public_id, (*ALWAYS, *fields))
