"""Who reaches a staff page (support console, programme, API tokens): signed-in
active staff holding the page's right. One decorator for all of them.

Anonymous visitors and non-staff accounts are sent to the staff login; staff
without the right get a French 403 page. The rights and roles are
``insigne.platform.roles``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse

from insigne.platform import roles

View = Callable[..., HttpResponseBase]


def is_staff(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def requires(codename: str) -> Callable[[View], View]:
    """Decorate a console view with the right it needs (a ``roles`` codename)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not is_staff(request.user):
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            if not roles.allowed(request.user, codename):
                raise PermissionDenied(codename)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def rights(user: Any) -> dict[str, bool]:
    """``{"view_support": True, …}`` for the templates: actions are offered only when allowed."""
    return {codename: roles.allowed(user, codename) for codename in roles.PERMISSIONS}
