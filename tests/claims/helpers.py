from __future__ import annotations

from django.test import Client
from django.urls import reverse

from insigne.claims import services
from insigne.claims.models import Invitation
from insigne.claims.views import LINK_COOKIE
from insigne.missions.models import Mission


def invite(mission: Mission) -> tuple[Invitation, str]:
    """An invitation for ``mission`` and its token, without sending mail."""
    invitation = Invitation.objects.create(mission=mission)
    return invitation, services.add_link(invitation)


def open_link(client: Client, token: str, step: str = "") -> str:
    """Open a mailed link as the volunteer does; return the token-free page it leads to."""
    args = [token, step] if step else [token]
    response = client.get(reverse("claim_step" if step else "claim", args=args))
    assert response.status_code == 302, response.status_code
    assert token not in response.url
    assert client.cookies[LINK_COOKIE].value == token
    return str(response.url)
