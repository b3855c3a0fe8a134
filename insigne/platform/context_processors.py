from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "SITE_URL": settings.SITE_URL,
        "SUPPORT_EMAIL": settings.SUPPORT_EMAIL,
        "ISSUER_NAME": settings.INSIGNE_ISSUER_NAME,
        "ISSUER_IN_SENTENCE": settings.INSIGNE_ISSUER_NAME_IN_SENTENCE,
        "DEMO_MODE": settings.DEMO_MODE,
    }
