"""The demo mailbox: what the local SMTP catcher received (demo mode only)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from insigne.demo.parsing import attachment, read_mail
from insigne.mail.models import CaughtMail

View = Callable[..., HttpResponse]


def demo_only(view: View) -> View:
    """404 outside demo mode: in production these pages do not exist."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.DEMO_MODE:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@demo_only
def outbox(request: HttpRequest) -> HttpResponse:
    mails = CaughtMail.objects.defer("raw")[:200]
    return render(
        request, "demo/outbox.html", {"mails": mails, "page_title": _("Courriels (démo)")}
    )


# The mail's HTML (inline styles, as mail clients need) is shown in a sandboxed
# srcdoc frame, which inherits the page's policy: let styles, never scripts, in.
@csp_update({"style-src": [UNSAFE_INLINE]})
@demo_only
def outbox_detail(request: HttpRequest, pk: int) -> HttpResponse:
    caught = get_object_or_404(CaughtMail, pk=pk)
    context = {"caught": caught, "mail": read_mail(bytes(caught.raw)), "page_title": caught.subject}
    return render(request, "demo/outbox_detail.html", context)


@demo_only
def outbox_attachment(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    caught = get_object_or_404(CaughtMail, pk=pk)
    found = attachment(bytes(caught.raw), index)
    if found is None:
        raise Http404
    filename, mimetype, content = found
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response
