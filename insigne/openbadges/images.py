"""Badge class images: the upload check, the SVG scrubber, and the default medal.

An image is recognised by its first bytes, never by its file name. A PNG must
decode and be roughly square; an SVG must parse without DTD (defusedxml) and
carry no active content nor any reference that a viewer would fetch: an SVG is
served to browsers and baked into every badge, so a script in it would run on
verifiers' screens and an external URL would tell a third party who looks at a
badge. Refusals raise :class:`BadgeImageError` with a stable ``code`` and a French
message; with ``scrub=True`` the SVG is cleaned instead and the removals listed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cache
from math import cos, pi, sin

from PIL import Image, ImageChops, ImageDraw, ImageFont

from insigne.openbadges import svg
from insigne.platform.errors import CodedError

MAX_IMAGE_BYTES = 1024 * 1024
MIN_SIDE = 90
MAX_SIDE = 2048
# Width/height ratio allowed either way: badges are shown in circles and squares.
MAX_ASPECT = 1.1
PNG_MEDIA_TYPE = "image/png"
SVG_MEDIA_TYPE = "image/svg+xml"

_OTHER_FORMATS = {
    b"GIF87a": "GIF",
    b"GIF89a": "GIF",
    b"\xff\xd8\xff": "JPEG",
    b"BM": "BMP",
    b"%PDF": "PDF",
}


class BadgeImageError(CodedError):
    """An image refused for a badge class (its text: ``insigne.platform.messages``)."""


@dataclass(frozen=True)
class BadgeImage:
    """An accepted image: its media type, the bytes to store, what scrubbing removed."""

    media_type: str
    data: bytes
    removed: tuple[str, ...] = field(default=())


def check_badge_image(data: bytes, *, scrub: bool = False) -> BadgeImage:
    """Accept ``data`` as a badge class image or raise :class:`BadgeImageError`."""
    if len(data) > MAX_IMAGE_BYTES:
        raise BadgeImageError("too_large", mib=MAX_IMAGE_BYTES // (1024 * 1024))
    kind = sniff(data)
    if kind == "png":
        check_png(data)
        return BadgeImage(PNG_MEDIA_TYPE, data)
    if kind == "svg":
        clean, removed = scrub_svg(data)
        if removed and not scrub:
            raise BadgeImageError(removed[0])
        return BadgeImage(SVG_MEDIA_TYPE, clean, removed)
    raise BadgeImageError("unsupported_format")


def sniff(data: bytes) -> str | None:
    """``png``, ``svg``, the name of another known format, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    for magic, name in _OTHER_FORMATS.items():
        if data.startswith(magic):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") and b"<svg" in head:
        return "svg"
    return None


# --- PNG -------------------------------------------------------------------------


def check_png(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG that decodes and has badge proportions."""
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            width, height = image.size
            _check_dimensions(width, height)  # before decoding: no pixel bomb
            image.load()
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            image.verify()  # chunk CRCs, which load() does not check
    except BadgeImageError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise BadgeImageError("png_unreadable") from exc
    return width, height


def _check_dimensions(width: int, height: int) -> None:
    if min(width, height) < MIN_SIDE:
        raise BadgeImageError("png_too_small", min=MIN_SIDE)
    if max(width, height) > MAX_SIDE:
        raise BadgeImageError("png_too_big", max=MAX_SIDE)
    if max(width, height) / min(width, height) > MAX_ASPECT:
        raise BadgeImageError("png_not_square")


# --- SVG -------------------------------------------------------------------------


def scrub_svg(data: bytes) -> tuple[bytes, tuple[str, ...]]:
    """``data`` without active content or external references, and the codes of what went.

    Raises :class:`BadgeImageError` when the document cannot be parsed safely at all.
    """
    try:
        doc = svg.parse(data)
    except svg.SvgError as error:
        raise BadgeImageError(error.code) from error
    if doc.documentElement is None or doc.documentElement.namespaceURI != svg.SVG_NAMESPACE:
        raise BadgeImageError("svg_not_svg")
    removed = svg.scrub(doc)
    return doc.toxml(encoding="utf-8"), tuple(removed)


# --- The default medal -----------------------------------------------------------

BLUE = (0, 0, 145)
RED = (225, 0, 15)
WHITE = (255, 255, 255)
GOLD = (212, 175, 55)


def _centered_text(draw: ImageDraw.ImageDraw, y: float, text: str, size: int, side: int) -> None:
    font = ImageFont.load_default(size=size)
    draw.text((side / 2, y), text, font=font, fill=BLUE, anchor="mm")


def _star(cx: float, cy: float, outer: float, inner: float) -> list[tuple[float, float]]:
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -pi / 2 + i * pi / 5
        points.append((cx + radius * cos(angle), cy + radius * sin(angle)))
    return points


@cache
def default_badge_png(size: int = 512) -> bytes:
    """The demo programme's medal: blue ring, red and white bands, a star, the name.

    Drawn four times larger then reduced, for smooth edges; same bytes every call.
    """
    side = size * 4
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    unit = side / 512
    draw.ellipse((8 * unit, 8 * unit, 504 * unit, 504 * unit), fill=BLUE)
    draw.ellipse((28 * unit, 28 * unit, 484 * unit, 484 * unit), fill=WHITE)
    draw.ellipse((44 * unit, 44 * unit, 468 * unit, 468 * unit), outline=RED, width=int(10 * unit))
    # The band stays inside the red ring, as the SVG's clip-path does.
    inside = Image.new("L", (side, side), 0)
    ImageDraw.Draw(inside).ellipse((44 * unit, 44 * unit, 468 * unit, 468 * unit), fill=255)
    band = Image.new("L", (side, side), 0)
    ImageDraw.Draw(band).rectangle((0, 300 * unit, side, 380 * unit), fill=255)
    image.paste(BLUE, (0, 0), ImageChops.multiply(band, inside))
    draw.polygon(_star(256 * unit, 150 * unit, 70 * unit, 28 * unit), fill=GOLD)
    _centered_text(draw, 245 * unit, "SERVICE", int(54 * unit), side)
    font = ImageFont.load_default(size=int(50 * unit))
    draw.text((side / 2, 340 * unit), "CIVIQUE", font=font, fill=WHITE, anchor="mm")
    _centered_text(draw, 420 * unit, "Volontaire", int(34 * unit), side)
    out = io.BytesIO()
    image.resize((size, size), Image.Resampling.LANCZOS).save(out, "PNG", optimize=True)
    return out.getvalue()


DEFAULT_BADGE_SVG = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512"
     role="img" aria-label="Volontaire du Service Civique">
  <title>Volontaire du Service Civique</title>
  <defs>
    <clipPath id="inner"><circle cx="256" cy="256" r="212"/></clipPath>
  </defs>
  <circle cx="256" cy="256" r="248" fill="#000091"/>
  <circle cx="256" cy="256" r="228" fill="#ffffff"/>
  <circle cx="256" cy="256" r="207" fill="none" stroke="#e1000f" stroke-width="10"/>
  <rect x="44" y="300" width="424" height="80" fill="#000091" clip-path="url(#inner)"/>
  <polygon fill="#d4af37"
    points="256,80 272.5,127.3 322.6,128.4 282.6,158.7 297.1,206.6 256,178 214.9,206.6
            229.4,158.7 189.4,128.4 239.5,127.3"/>
  <g font-family="Marianne, Arial, Helvetica, sans-serif" font-weight="700"
     text-anchor="middle" dominant-baseline="central">
    <text x="256" y="245" font-size="54" fill="#000091">SERVICE</text>
    <text x="256" y="340" font-size="50" fill="#ffffff">CIVIQUE</text>
    <text x="256" y="420" font-size="34" font-weight="400" fill="#000091">Volontaire</text>
  </g>
</svg>
"""
