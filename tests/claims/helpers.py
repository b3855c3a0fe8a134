from __future__ import annotations

from insigne.claims.models import Invitation
from insigne.claims.tokens import new_token
from insigne.missions.models import Mission


def invite(mission: Mission) -> tuple[Invitation, str]:
    """An invitation for ``mission`` and its token, without sending mail."""
    token, token_hash = new_token()
    return Invitation.objects.create(mission=mission, token_hash=token_hash), token
