"""The staff rights the programme pages and the integrator API check: one place for them.

Each constant is the ``app_label.codename`` that ``User.has_perm`` takes. The
permissions are declared on this branch's own models (``Meta.permissions`` of
``Campaign``, ``BackgroundImport``, ``DailyCount`` and ``integrations.ApiToken``),
so they exist wherever these apps are installed; a role (a Django group) is given
them like any other permission.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

MANAGE_IMPORTS = "programme.manage_imports"
MANAGE_CAMPAIGNS = "programme.manage_campaigns"
VIEW_FIGURES = "programme.view_figures"
MANAGE_API_TOKENS = "integrations.manage_api_tokens"

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
