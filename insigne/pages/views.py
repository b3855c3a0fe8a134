from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext


def _period(days: int) -> str:
    """A period in whole years when it is one, else in days."""
    if days >= 365 and days % 365 == 0:
        years = days // 365
        return ngettext("%(n)d an", "%(n)d ans", years) % {"n": years}
    return ngettext("%(n)d jour", "%(n)d jours", days) % {"n": days}


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/home.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


def legal_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/legal_notice.html", {"HOSTING": settings.INSIGNE_HOSTING})


def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice; its periods are the settings that ``purge_personal_data``
    enforces, so the page never says other than what the service does."""
    return render(
        request,
        "pages/privacy.html",
        {
            "DPO_EMAIL": settings.INSIGNE_DPO_EMAIL,
            "mail_days": settings.INSIGNE_MAIL_TRACE_DAYS,
            "mission_period": _period(settings.INSIGNE_UNINVITED_MISSION_DAYS),
            "account_days": settings.INSIGNE_UNPROVEN_ACCOUNT_DAYS,
            "log_days": settings.INSIGNE_LOG_RETENTION_DAYS,
        },
    )


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
Disallow: /portefeuille/
Disallow: /passeport/portefeuille/
"""


def robots_txt(request: HttpRequest) -> HttpResponse:
    return HttpResponse(ROBOTS_TXT, content_type="text/plain; charset=utf-8")


OPENAPI = Path(__file__).with_name("openapi.json")


def openapi(request: HttpRequest) -> HttpResponse:
    """The API description (OpenAPI 3.1), for the Agency's integrators."""
    return HttpResponse(OPENAPI.read_bytes(), content_type="application/json")
