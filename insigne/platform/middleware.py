"""Two middlewares: the language of the pages, and addresses no page can have.

Language: French unless the visitor chose otherwise with the footer switch.

Django's ``LocaleMiddleware`` follows the browser's ``Accept-Language``; a public
service of the French state speaks French first, so a volunteer whose phone is
set to English still lands on French pages. English is one click away, and the
choice is kept in Django's language cookie.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class UnstorableAddressMiddleware:
    """An address holding a NUL byte (``%00``) is a 404, whatever the route.

    A route's value goes to the database as text, and PostgreSQL refuses a NUL in
    any text: the query failed and the page answered 500 (a passport's shared link,
    a portfolio's address). No page has such an address, so none is looked up.
    Placed after authentication, so that the 404 page renders as any other.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info:
            raise Http404
        return self.get_response(request)
