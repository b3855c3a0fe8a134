"""Staff access: login lockout (django-axes), session lifetimes, optional TOTP (django-otp).

* Login: after ``AXES_FAILURE_LIMIT`` wrong passwords for one username from one
  address, that pair is locked out for ``AXES_COOLOFF_TIME`` (a French page, 429).
* Sessions of signed-in users end after ``STAFF_IDLE_SECONDS`` without a request,
  and ``STAFF_SESSION_SECONDS`` after signing in whatever the activity.
* Second factor: an administrator who enrolled a TOTP device (admin, *Appareils
  TOTP*) must give its code at login; a session that was not verified by the
  device is ended. Someone with no device signs in with the password alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device
from django_otp.admin import OTPAdminAuthenticationForm

_STARTED = "staff_started"
_SEEN = "staff_seen"


def client_ip(request: HttpRequest) -> str:
    """The address axes counts failures for: Django's ``REMOTE_ADDR`` (see the README)."""
    return str(request.META.get("REMOTE_ADDR", ""))


def locked_out(request: HttpRequest, credentials: object = None, *args: object) -> HttpResponse:
    """The lockout page of django-axes, in French (429)."""
    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    context = {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "staff/locked_out.html", context, status=429)


class StaffLoginForm(OTPAdminAuthenticationForm):  # type: ignore[misc]
    """The admin login: password, then the TOTP code for whoever enrolled a device."""

    otp_error_messages = dict(
        OTPAdminAuthenticationForm.otp_error_messages,
        token_required=_("Saisissez le code à 6 chiffres de votre application d'authentification."),
        invalid_token=_("Ce code n'est pas valable. Saisissez le code affiché en ce moment."),
    )

    def clean_otp(self, user: AbstractBaseUser | None) -> None:
        if user is not None and not user_has_device(user):
            return
        super().clean_otp(user)


class StaffSessionMiddleware:
    """Ends the session of a signed-in user on idle timeout, on its age, or unverified TOTP."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now().timestamp()
            started = float(request.session.setdefault(_STARTED, now))
            seen = float(request.session.get(_SEEN, now))
            expired = (
                now - seen > settings.STAFF_IDLE_SECONDS
                or now - started > settings.STAFF_SESSION_SECONDS
                or (user_has_device(user) and not user.is_verified())
            )
            if expired:
                logout(request)
                return redirect_to_login(request.get_full_path())
            request.session[_SEEN] = now
        return self.get_response(request)
