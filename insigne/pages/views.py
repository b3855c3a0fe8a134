from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/home.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


OPENAPI = Path(__file__).with_name("openapi.json")


def openapi(request: HttpRequest) -> HttpResponse:
    """The API description (OpenAPI 3.1), for the Agency's integrators."""
    return HttpResponse(OPENAPI.read_bytes(), content_type="application/json")
