"""allauth's account adapter for the Passport: its mails go through the platform's
outgoing mail (``queue_mail``: sent after the commit, retried, body erased once
sent), and the Passport is where a volunteer lands after signing in."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest
from django.urls import reverse

from insigne.mail.services import queue_mail
from insigne.passport.models import ACCOUNT_MAIL


def site() -> SimpleNamespace:
    """What allauth's mail templates call ``current_site``: our name and address."""
    return SimpleNamespace(
        name=settings.INSIGNE_ISSUER_NAME, domain=urlsplit(settings.SITE_URL).netloc
    )


class PassportAccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        message = self.render_mail(
            template_prefix, email, {"email": email, "current_site": site(), **context}
        )
        html = ""
        if isinstance(message, EmailMultiAlternatives):
            html = next(
                (str(body) for body, kind in message.alternatives if kind == "text/html"), ""
            )
        queue_mail(
            kind=ACCOUNT_MAIL,
            to=email,
            subject=str(message.subject),
            text=str(message.body),
            html=html,
        )

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return reverse("passport")
