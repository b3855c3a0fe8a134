from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/home.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


def legal_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/legal_notice.html", {"HOSTING": settings.INSIGNE_HOSTING})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/privacy.html")


def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/cookies.html")


def sitemap(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/sitemap.html")


def faq(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/faq.html")


# Personal links and staff pages are never to be crawled. Badge pages are not
# disallowed: a crawler must read a link-only page to see its noindex.
ROBOTS_TXT = """User-agent: *
Disallow: /obtenir/
Disallow: /renvoyer/
Disallow: /admin/
Disallow: /console/
Disallow: /demo/
Disallow: /api/
Disallow: /i18n/
"""


def robots_txt(request: HttpRequest) -> HttpResponse:
    return HttpResponse(ROBOTS_TXT, content_type="text/plain; charset=utf-8")


OPENAPI = Path(__file__).with_name("openapi.json")


def openapi(request: HttpRequest) -> HttpResponse:
    """The API description (OpenAPI 3.1), for the Agency's integrators."""
    return HttpResponse(OPENAPI.read_bytes(), content_type="application/json")
