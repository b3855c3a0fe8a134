"""Request bodies bounded before they reach the disk.

Django spools an uploaded file to the temporary folder once it passes
``FILE_UPLOAD_MAX_MEMORY_SIZE``, and reads the whole body before a form can say
"too large". :func:`limit_body` puts a :class:`SizeLimit` first in a request's
upload handlers (before anything reads ``request.POST``):

* a body whose declared ``Content-Length`` passes the limit is not read at all;
* otherwise every chunk is counted as it arrives, and reading stops at the first
  byte over the limit, so no more than the limit ever reaches the next handler
  (memory or temporary file).

Either way ``SizeLimit.exceeded`` is set and the view answers 413.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.datastructures import MultiValueDict
from django.views.decorators.csrf import csrf_exempt, csrf_protect

View = Callable[..., HttpResponse]

# Room for the multipart boundaries, headers and the small form fields.
FORM_OVERHEAD = 64 * 1024


def declared_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class SizeLimit(FileUploadHandler):
    """Counts the uploaded bytes of one request and stops reading past ``limit``."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],  # noqa: N803 (Django's name)
        content_length: int,
        boundary: Any,
        encoding: str | None = None,
    ) -> tuple[QueryDict, MultiValueDict[str, Any]] | None:
        if content_length > self.limit + FORM_OVERHEAD:
            self.exceeded = True
            return QueryDict(), MultiValueDict()  # parsed as empty: the body is never read
        return None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=True)  # stop reading the body here
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def limit_body(request: HttpRequest, limit: int) -> SizeLimit:
    """Bound the files of ``request`` to ``limit`` bytes in all (call before reading POST)."""
    guard = SizeLimit(request, limit)
    request.upload_handlers = [guard, *request.upload_handlers]
    return guard


def bounded(
    limit: int,
    too_large: Callable[[HttpRequest], HttpResponse],
    before: Callable[[HttpRequest], HttpResponse | None] = lambda request: None,
) -> Callable[[View], View]:
    """A view whose posted body is bounded to ``limit`` bytes before anything reads it.

    Django's CSRF check reads the body, so the guard must come first: the view is
    exempt from the middleware's check and checked here (``csrf_protect``) once
    the body was read under the guard. ``before(request)`` may answer first,
    before the body is read (a rate limit); past the limit, ``too_large(request)``
    answers instead of the view.
    """

    def decorate(view: View) -> View:
        protected = csrf_protect(view)

        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                refused = before(request)
                if refused is not None:
                    return refused
                guard = limit_body(request, limit)
                try:
                    request.POST  # noqa: B018 (reads the body now, under the guard)
                except (RequestDataTooBig, TooManyFilesSent):
                    guard.exceeded = True
                if guard.exceeded:
                    return too_large(request)
            return protected(request, *args, **kwargs)

        return wrapper

    return decorate
