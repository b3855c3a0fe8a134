"""The Passport follows the account's addresses: a newly proven address brings its
badges at once (allauth's ``email_confirmed``), and so does each sign-in (an
address proven by a sign-in code); a removed address takes its badges away."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, email_removed
from django.contrib import messages
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from insigne.passport.sync import drop_unmatched, synchronise


def _tell(request: HttpRequest | None, text: str) -> None:
    if request is not None and hasattr(request, "_messages"):
        messages.info(request, text)


@receiver(email_confirmed)
def sync_confirmed_address(
    sender: Any, request: HttpRequest | None, email_address: EmailAddress, **kwargs: Any
) -> None:
    result = synchronise(email_address.user)
    if result.added:
        _tell(request, result.message())


@receiver(user_logged_in)
def sync_on_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if user.is_authenticated and not getattr(user, "is_staff", False):
        result = synchronise(user)
        if result.added:
            _tell(request, result.message())


@receiver(email_removed)
def drop_removed_address(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    drop_unmatched(user)
