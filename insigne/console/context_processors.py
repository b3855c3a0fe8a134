"""The console's banner: given-up mails and refused addresses, on every console page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from insigne.mail.services import staff_counts

CONSOLE_PREFIX = "/console/"


def mail_banner(request: HttpRequest) -> dict[str, Any]:
    """``mail_attention`` (counts by status) for staff on console pages, else nothing."""
    user = getattr(request, "user", None)
    if not (request.path.startswith(CONSOLE_PREFIX) and user is not None and user.is_staff):
        return {}
    counts = staff_counts()
    if not any(counts.values()):
        return {}
    return {"mail_attention": counts, "mail_attention_total": sum(counts.values())}
