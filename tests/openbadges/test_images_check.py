"""Badge class image check: formats by their bytes, sizes, hostile SVG refused or scrubbed."""

import io

import pytest
from PIL import Image

from insigne.openbadges import images
from insigne.platform.messages import MESSAGES

SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'


def _png(width: int = 256, height: int = 256) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (0, 0, 145)).save(out, "PNG")
    return out.getvalue()


def _svg(body: str) -> bytes:
    return f"{SVG_OPEN}{body}<circle r='4'/></svg>".encode()


def _refusal(data: bytes) -> str:
    with pytest.raises(images.BadgeImageError) as error:
        images.check_badge_image(data)
    assert error.value.code in MESSAGES  # a French sentence for the staff member
    return error.value.code


def test_it_accepts_a_square_png_unchanged() -> None:
    png = _png()

    assert images.check_badge_image(png) == images.BadgeImage("image/png", png)


def test_it_accepts_a_clean_svg() -> None:
    accepted = images.check_badge_image(_svg('<rect fill="url(#g)" width="3" height="3"/>'))

    assert accepted.media_type == "image/svg+xml"
    assert accepted.removed == ()


def test_it_rejects_a_gif_renamed_png() -> None:
    out = io.BytesIO()
    Image.new("RGB", (256, 256)).save(out, "GIF")

    assert _refusal(out.getvalue()) == "unsupported_format"


def test_it_rejects_a_file_over_one_mebibyte() -> None:
    assert _refusal(_png() + b"\x00" * (2 * 1024 * 1024)) == "too_large"


def test_it_rejects_a_truncated_png() -> None:
    png = _png()

    assert _refusal(png[: len(png) - 30]) == "png_unreadable"


def test_it_rejects_a_png_with_a_bad_crc() -> None:
    png = bytearray(_png())
    png[29] ^= 0xFF  # IHDR's CRC

    assert _refusal(bytes(png)) == "png_unreadable"


@pytest.mark.parametrize(
    ("size", "code"),
    [((64, 64), "png_too_small"), ((3000, 3000), "png_too_big"), ((400, 200), "png_not_square")],
)
def test_it_rejects_pngs_without_badge_proportions(size: tuple[int, int], code: str) -> None:
    assert _refusal(_png(*size)) == code


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("<script>alert(1)</script>", "svg_script"),
        ('<rect onclick="alert(1)"/>', "svg_event_attribute"),
        (
            "<foreignObject><p xmlns='http://www.w3.org/1999/xhtml'>x</p></foreignObject>",
            "svg_foreign_object",
        ),
        ('<image href="https://tracker.example.com/pixel.png"/>', "svg_external_reference"),
        ('<use xlink:href="other.svg#shape"/>', "svg_external_reference"),
        ('<a href="javascript:alert(1)"><rect/></a>', "svg_script"),
        ("<style>@import 'https://evil.example.com/x.css';</style>", "svg_external_reference"),
        ('<rect style="fill: url(https://evil.example.com/p)"/>', "svg_external_reference"),
        ('<set attributeName="href" to="javascript:alert(1)"/>', "svg_script"),
    ],
)
def test_it_refuses_active_or_external_svg_content(body: str, code: str) -> None:
    assert _refusal(_svg(body)) == code


def test_it_refuses_a_processing_instruction() -> None:
    data = b'<?xml-stylesheet href="https://evil.example.com/x.css"?>' + _svg("")

    assert _refusal(data) == "svg_processing_instruction"


def test_it_refuses_a_dtd() -> None:
    data = b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd">' + _svg("")

    assert _refusal(data) == "svg_dtd"


def test_it_refuses_xml_that_is_not_svg() -> None:
    assert _refusal(b"<html><svg/></html>") == "svg_not_svg"


def test_scrubbing_removes_each_threat_and_keeps_the_drawing() -> None:
    hostile = _svg(
        '<script>alert(1)</script><rect onload="x()" width="5"/>'
        '<image href="https://tracker.example.com/p.png"/>'
        '<image href="data:image/png;base64,iVBORw0KGgo="/>'
    )

    accepted = images.check_badge_image(hostile, scrub=True)

    assert accepted.removed == ("svg_script", "svg_event_attribute", "svg_external_reference")
    text = accepted.data.decode()
    assert "script" not in text and "onload" not in text and "tracker" not in text
    assert 'width="5"' in text and "data:image/png" in text and "<circle" in text
    assert images.check_badge_image(accepted.data).removed == ()
