"""The URL converter of a badge's public id, registered at start-up (``platform.apps``).

A public id is what ``secrets.token_urlsafe`` writes (``claims.issuing.new_ids``):
letters, digits, ``-`` and ``_``, 32 characters at most (``Credential.public_id``).
An address holding anything else names no badge: it is a 404 before any query.
(A NUL byte, which PostgreSQL refuses in a query, is refused in every address by
``platform.middleware.UnstorableAddressMiddleware``.)
"""

from __future__ import annotations

from django.urls import register_converter


class PublicIdConverter:
    regex = "[A-Za-z0-9_-]{1,32}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PublicIdConverter, "public_id")
