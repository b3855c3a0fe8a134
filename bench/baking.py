"""Baking cost per credential: PNG and SVG, OB 2.0 and OB 3.0, bake and unbake.

Run alone with ``python -m bench.baking``; ``BENCHMARKS`` lists the functions for a
common runner. Each function returns (label, median milliseconds per operation).
The image is the default medal (512 px PNG, hand-written SVG); the payloads are
the demo persona's OB 2.0 assertion and signed OB 3.0 credential.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from functools import cache

from bench.samples import SITE_URL, demo_facts
from insigne.credentials import baking, images, ob2
from insigne.credentials.issuance import dumps, issue
from insigne.credentials.keys import IssuerKeys, new_key

ROUNDS = 200
Result = tuple[str, float]


@cache
def _payloads() -> tuple[str, str]:
    facts = demo_facts()
    keys = IssuerKeys(keys=(new_key("key-1"),), site_url=SITE_URL)
    return dumps(ob2.build_assertion(facts)), issue(facts, keys).ob3_json


def _median_ms(operation: Callable[[], object]) -> float:
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        operation()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def bake_png_ob2() -> Result:
    png, (assertion, _) = images.default_badge_png(), _payloads()
    return "bake PNG OB 2.0", _median_ms(lambda: baking.bake_png(png, "openbadges", assertion))


def bake_png_ob3() -> Result:
    png, (_, credential) = images.default_badge_png(), _payloads()
    keyword = "openbadgecredential"
    return "bake PNG OB 3.0", _median_ms(lambda: baking.bake_png(png, keyword, credential))


def bake_svg_ob2() -> Result:
    svg, (assertion, _) = images.DEFAULT_BADGE_SVG, _payloads()
    return "bake SVG OB 2.0", _median_ms(lambda: baking.bake_svg(svg, "ob2", assertion))


def bake_svg_ob3() -> Result:
    svg, (_, credential) = images.DEFAULT_BADGE_SVG, _payloads()
    return "bake SVG OB 3.0", _median_ms(lambda: baking.bake_svg(svg, "ob3", credential))


def unbake_png_both() -> Result:
    assertion, credential = _payloads()
    png = baking.bake_png(images.default_badge_png(), "openbadges", assertion)
    png = baking.bake_png(png, "openbadgecredential", credential)
    return "unbake PNG (both)", _median_ms(lambda: baking.unbake_png(png))


def unbake_svg_both() -> Result:
    assertion, credential = _payloads()
    svg = baking.bake_svg(images.DEFAULT_BADGE_SVG, "ob2", assertion)
    svg = baking.bake_svg(svg, "ob3", credential)
    return "unbake SVG (both)", _median_ms(lambda: baking.unbake_svg(svg))


BENCHMARKS: list[Callable[[], Result]] = [
    bake_png_ob2,
    bake_png_ob3,
    bake_svg_ob2,
    bake_svg_ob3,
    unbake_png_both,
    unbake_svg_both,
]


def main() -> None:
    for benchmark in BENCHMARKS:
        label, ms = benchmark()
        print(f"{label:<22} {ms:8.3f} ms  (median of {ROUNDS})")


if __name__ == "__main__":
    main()
