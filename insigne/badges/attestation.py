"""The PDF attestation of a badge: one A4 page for a paper CV or a school file.

It prints what the signed badge says (the same reader as the badge page), with a
QR code and a short address of the verification page, so that whoever holds the
paper can check the badge online. Made by WeasyPrint as PDF/UA-1 (tagged, with a
language and a title) so that screen readers can read it. Nothing is fetched
from the network: the medal and the QR code are inlined, the fonts are the
DSFR's own files.
"""

from __future__ import annotations

import base64
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from insigne.badges.models import Credential
from insigne.badges.presenter import credential_view, medal
from insigne.badges.sharing import qr_svg, sharing

LANGUAGES = ("fr", "en")
MARIANNE = ("Regular", "Bold")


def _data_uri(content: bytes, media_type: str) -> str:
    return f"data:{media_type};base64,{base64.b64encode(content).decode('ascii')}"


def _fonts() -> dict[str, str]:
    """The DSFR's Marianne files by weight, as file URLs (absent ones fall back to sans-serif)."""
    found = {}
    for weight in MARIANNE:
        path = finders.find(f"dsfr/dist/fonts/Marianne-{weight}.woff2")
        if isinstance(path, str):
            found[weight.lower()] = Path(path).as_uri()
    return found


def _address_parts(address: str) -> tuple[str, str]:
    """The address up to its last "/", and what follows (the badge's id)."""
    head, slash, tail = address.rpartition("/")
    return head + slash, tail


def attestation_pdf(credential: Credential, language: str) -> bytes:
    """The attestation of ``credential`` in ``language`` (one of ``LANGUAGES``)."""
    shared = sharing(credential)
    with translation.override(language):
        html = render_to_string(
            "badges/attestation.html",
            {
                "badge": credential_view(credential),
                "credential": credential,
                "sharing": shared,
                # The address in two unbreakable parts: a line may end before the id only.
                "address": _address_parts(shared.short_url),
                "medal": _data_uri(medal(credential.badge_class)[0], "image/png"),
                "qr": _data_uri(qr_svg(shared.url).encode("utf-8"), "image/svg+xml"),
                "fonts": _fonts(),
                "LANGUAGE_CODE": language,
            },
        )
    fetcher = URLFetcher(allowed_protocols=("data", "file"), fail_on_errors=True)
    document = HTML(string=html, url_fetcher=fetcher, base_url="file:///")
    pdf: bytes = document.write_pdf(pdf_variant="pdf/ua-1")
    return pdf
