"""Baking cost per credential: PNG and SVG, OB 2.0 and OB 3.0, bake and unbake.

``BENCHES`` follows ``bench/__main__.py``: functions returning rows
``(label, value, unit)``; ``python -m bench.baking`` runs them alone. The image is
the default medal (512 px PNG, hand-written SVG); the payloads are the demo
persona's OB 2.0 assertion and signed OB 3.0 credential.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from insigne.openbadges import baking, images, ob2
from insigne.openbadges.issuance import dumps, issue
from insigne.openbadges.keys import IssuerKeys, new_key
from tests.samples import SITE_URL, demo_facts

Row = tuple[str, float, str]
SECONDS = 1.0


def _per_call_us(operation: Callable[[], object]) -> float:
    """Mean microseconds per call of ``operation``, repeated for about ``SECONDS``."""
    calls, started = 0, time.perf_counter()
    while time.perf_counter() - started < SECONDS:
        for _ in range(50):
            operation()
        calls += 50
    return (time.perf_counter() - started) / calls * 1e6


def bench_baking() -> list[Row]:
    facts = demo_facts()
    keys = IssuerKeys(keys=(new_key("key-1"),), site_url=SITE_URL)
    assertion, credential = dumps(ob2.build_assertion(facts)), issue(facts, keys).ob3_json
    png, svg = images.default_badge_png(), images.DEFAULT_BADGE_SVG
    both_png = baking.bake_png(
        baking.bake_png(png, "openbadges", assertion), "openbadgecredential", credential
    )
    both_svg = baking.bake_svg(baking.bake_svg(svg, "ob2", assertion), "ob3", credential)
    unit = "µs/credential"
    return [
        (
            "bake PNG, OB 2.0 (512 px medal)",
            _per_call_us(lambda: baking.bake_png(png, "openbadges", assertion)),
            unit,
        ),
        (
            "bake PNG, OB 3.0 (512 px medal)",
            _per_call_us(lambda: baking.bake_png(png, "openbadgecredential", credential)),
            unit,
        ),
        ("bake SVG, OB 2.0", _per_call_us(lambda: baking.bake_svg(svg, "ob2", assertion)), unit),
        ("bake SVG, OB 3.0", _per_call_us(lambda: baking.bake_svg(svg, "ob3", credential)), unit),
        ("unbake PNG, both versions", _per_call_us(lambda: baking.unbake_png(both_png)), unit),
        ("unbake SVG, both versions", _per_call_us(lambda: baking.unbake_svg(both_svg)), unit),
    ]


BENCHES: list[Callable[[], list[Row]]] = [bench_baking]


def main() -> None:
    for bench in BENCHES:
        for label, value, unit in bench():
            print(f"{label:<58} {value:>12,.1f} {unit}")


if __name__ == "__main__":
    main()
