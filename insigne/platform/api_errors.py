"""The JSON APIs answer every error as JSON: ``{"error": code, "message": sentence}``.

:func:`json_errors` wraps an API view: an error response Django or a decorator
made as HTML (400, 403, 404, 405…) is rewritten as JSON with the same status, a
body over Django's size limits is a 413, and an exception is logged (path and
kind, no body) and answered as a JSON 500, never as Django's HTML page.
``handler400``/``handler404``/``handler500`` (set in ``insigne.urls``) do the same
for any ``/api/`` address outside those views.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

from insigne.platform.messages import describe

API_PREFIX = "/api/"
_CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "api_not_found",
    405: "method_not_allowed",
    413: "request_too_large",
    500: "server_error",
}
logger = logging.getLogger("insigne.api")

View = Callable[..., HttpResponse]


def error_response(status: int, code: str = "", **params: Any) -> JsonResponse:
    code = code or _CODES.get(status, "bad_request")
    return JsonResponse(
        {"error": code, "message": describe(code, params)},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def too_large() -> JsonResponse:
    return error_response(413, "request_too_large", mib=settings.DATA_UPLOAD_MAX_MEMORY_SIZE >> 20)


def _is_json(response: HttpResponse) -> bool:
    return "json" in response.get("Content-Type", "")


def json_errors(view: View) -> View:
    """Wrap an API view so that every error it answers is JSON."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except (RequestDataTooBig, TooManyFilesSent):
            return too_large()
        except Exception:
            logger.exception("API error on %s", request.path)
            return error_response(500)
        if response.status_code >= 400 and not _is_json(response):
            return error_response(response.status_code)
        return response

    return wrapper


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def handler400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return error_response(400)
    return defaults.bad_request(request, exception)  # type: ignore[arg-type]


def handler404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return error_response(404)
    return defaults.page_not_found(request, exception)


def handler500(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return error_response(500)
    return defaults.server_error(request)
