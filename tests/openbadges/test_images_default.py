"""The demo programme's default medal passes the badge image check in both formats."""

import io

from PIL import Image

from insigne.openbadges import baking, images


def test_the_default_png_is_a_valid_badge_image() -> None:
    png = images.default_badge_png()

    assert images.check_badge_image(png).media_type == "image/png"
    assert Image.open(io.BytesIO(png)).size == (512, 512)


def test_the_default_png_is_the_same_every_time() -> None:
    images.default_badge_png.cache_clear()
    first = images.default_badge_png(256)
    images.default_badge_png.cache_clear()

    assert images.default_badge_png(256) == first


def test_the_default_svg_is_clean_and_bakeable() -> None:
    accepted = images.check_badge_image(images.DEFAULT_BADGE_SVG.encode())

    assert accepted.removed == ()
    baked = baking.bake_svg(images.DEFAULT_BADGE_SVG, "ob3", '{"a": 1}')
    assert baking.unbake_svg(baked) == {"openbadgecredential": '{"a": 1}'}
