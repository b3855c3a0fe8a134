"""What a volunteer shares of a badge: its address, a QR code, a mail, an embed snippet.

Every address is absolute (``SITE_URL``): these leave the site, in a mail, on a
portfolio, on paper, in a link preview. The QR code is drawn here, server-side,
as SVG: no third-party service ever learns which badge is being shared.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from urllib.parse import quote

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from insigne.badges.models import Credential
from insigne.badges.presenter import badge_url


@dataclass(frozen=True)
class Sharing:
    url: str  # the badge page, which is also the credential's id and the verification page
    short_url: str  # the same, for paper: no scheme
    image_url: str  # the medal, for link previews (og:image)
    mailto_url: str
    embed_html: str
    ob2_png_url: str


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def medal_url(credential: Credential) -> str:
    """The badge class medal (no personal data, cacheable): what a link preview shows."""
    return absolute(reverse("achievement_image", args=[credential.badge_class.slug]))


def short_url(url: str) -> str:
    return url.split("://", 1)[-1]


def mailto_url(credential: Credential, url: str) -> str:
    subject = _("Mon Open Badge Service Civique")
    body = _(
        "Bonjour,\n\nVoici mon Open Badge Service Civique, délivré par l'Agence du Service "
        "Civique. Vous pouvez le vérifier à cette adresse :\n{url}\n"
    ).format(url=url)
    return f"mailto:?subject={quote(subject)}&body={quote(body)}"


def embed_html(credential: Credential, url: str) -> str:
    """A snippet for a portfolio: the medal, linked to the badge page (which verifies it)."""
    alt = _("Open Badge « {title} » de {name}, délivré par {issuer}").format(
        title=credential.badge_class.name,
        name=f"{credential.given_name} {credential.family_name}",
        issuer=settings.INSIGNE_ISSUER_NAME,
    )
    return str(
        format_html(
            '<a href="{}"><img src="{}" alt="{}" width="200" height="200"></a>',
            url,
            medal_url(credential),
            alt,
        )
    )


def sharing(credential: Credential) -> Sharing:
    url = badge_url(credential)
    return Sharing(
        url=url,
        short_url=short_url(url),
        image_url=medal_url(credential),
        mailto_url=mailto_url(credential, url),
        embed_html=embed_html(credential, url),
        ob2_png_url=reverse("ob2_baked_png", args=[credential.public_id]),
    )


def qr_svg(url: str, title: str = "") -> str:
    """A QR code of ``url`` as a standalone SVG (error correction M, a quiet zone of 4)."""
    buffer = io.BytesIO()
    code = segno.make(url, error="m", micro=False)
    code.save(
        buffer,
        kind="svg",
        scale=4,
        border=4,
        light="#fff",  # scannable on a dark page too
        xmldecl=False,
        svgclass=None,
        lineclass=None,
        title=title or None,
    )
    return buffer.getvalue().decode("utf-8")
