"""The staff rights the programme pages and the integrator API check: one place for them.

Each constant is the ``app_label.codename`` that ``User.has_perm`` takes: the
console permissions of ``insigne.platform.roles``, the one list of staff rights,
which gives them to the roles (Django groups) that hold them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from insigne.platform import roles

MANAGE_IMPORTS = f"{roles.APP_LABEL}.{roles.MANAGE_IMPORTS}"
MANAGE_CAMPAIGNS = f"{roles.APP_LABEL}.{roles.MANAGE_CAMPAIGNS}"
VIEW_FIGURES = f"{roles.APP_LABEL}.{roles.VIEW_FIGURES}"
MANAGE_API_TOKENS = f"{roles.APP_LABEL}.{roles.MANAGE_API_TOKENS}"

View = Callable[..., HttpResponse]


def staff_with(permission: str) -> Callable[[View], View]:
    """A staff page for those who hold ``permission``: others signed in get a 403.

    Anonymous visitors are sent to the staff login, as every console page does.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return staff_member_required(wrapper)

    return decorator
