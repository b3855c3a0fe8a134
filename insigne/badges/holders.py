"""Who may see a badge page: anyone, unless its holder hid it.

The holder is recognised by their personal link (the invitation link): opening
it, or validating the badge through it, remembers in the session which badges
this browser holds. No account is needed, and nothing secret is kept: the
session stores public badge ids only.
"""

from __future__ import annotations

from django.http import HttpRequest

from insigne.badges.models import Credential, Visibility

SESSION_KEY = "insigne_held_badges"


def remember_holder(request: HttpRequest, credential: Credential) -> None:
    held = list(request.session.get(SESSION_KEY, []))
    if credential.public_id not in held:
        request.session[SESSION_KEY] = [*held, credential.public_id]


def is_holder(request: HttpRequest, credential: Credential) -> bool:
    return credential.public_id in request.session.get(SESSION_KEY, [])


def can_see(request: HttpRequest, credential: Credential) -> bool:
    """A hidden page is seen by its holder and by staff (support) only."""
    if credential.visibility != Visibility.HIDDEN:
        return True
    return is_holder(request, credential) or request.user.is_staff
