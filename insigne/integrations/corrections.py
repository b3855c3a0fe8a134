"""The one door from the API to correcting a badge (revoke it and issue the corrected one).

``reissue_credential`` has the signature of the badge correction service: the
API calls it and nothing else. Until that service is part of the platform, it
refuses with ``correction_unavailable`` (the API answers 503 with that code, so
an integrator knows to try later and nothing is half done); the console's
correction service replaces this body.
"""

from __future__ import annotations

from insigne.badges.models import Credential
from insigne.platform.errors import CodedError


class CorrectionUnavailable(CodedError):
    """Correcting badges is not open on this platform yet."""


def reissue_credential(
    credential: Credential,
    *,
    given_name: str | None = None,
    family_name: str | None = None,
    host_name: str | None = None,
    reason: str,
    actor: object,
) -> Credential:
    """Revoke ``credential`` and issue its corrected replacement; return the new badge."""
    raise CorrectionUnavailable("correction_unavailable")
