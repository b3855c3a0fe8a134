"""``python -m bench``: timings of the credential core, one process, one core.

Each entry of ``BENCHES`` is a function returning rows ``(label, value, unit)``;
other parts (e.g. baking) append theirs to the list. ``python -m bench NAME…``
runs only the entries whose function name contains one of the names, e.g.
``python -m bench sending`` (the mail rows), ``python -m bench claims``,
``python -m bench pages``, or
``python -m bench backfill`` with ``BACKFILL_SIZE=900000``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
django.setup()

from django.core.management import call_command  # noqa: E402

from bench.backfill import bench_backfill  # noqa: E402
from bench.baking import BENCHES as BAKING_BENCHES  # noqa: E402
from bench.claims_burst import bench_claims_burst  # noqa: E402
from bench.missions import bench_missions_import  # noqa: E402
from bench.pages import bench_pages  # noqa: E402
from bench.sending import bench_sending  # noqa: E402
from insigne.openbadges import baking, images, proof  # noqa: E402
from insigne.openbadges.issuance import dumps, issue, verify_ob3  # noqa: E402
from insigne.openbadges.jose import vcjwt as jwt  # noqa: E402
from insigne.openbadges.keys import IssuerKeys, new_key  # noqa: E402
from insigne.openbadges.ob3 import build_credential, format_datetime  # noqa: E402
from insigne.openbadges.rdf.jsonld import canonicalize_generic  # noqa: E402
from insigne.verifier.verify import verify  # noqa: E402
from tests.samples import SITE_URL, demo_facts  # noqa: E402

Row = tuple[str, float, str]
KEYS = IssuerKeys(keys=(new_key("key-1"),), site_url=SITE_URL)
BADGE_PNG = images.default_badge_png()
FACTS = [demo_facts(public_id=f"bench{index:027d}", index=index) for index in range(200)]


def per_call(function: Callable[[Any], object], items: list[Any], seconds: float) -> float:
    """Mean CPU seconds per call of ``function`` over ``items``, for about ``seconds``.

    CPU time of this process, not wall time: "per core" figures stay meaningful
    on a machine busy with other work.
    """
    calls, started = 0, time.process_time()
    while time.process_time() - started < seconds:
        for item in items:
            function(item)
        calls += len(items)
    return (time.process_time() - started) / calls


def issue_generic(facts: Any) -> tuple[str, str]:
    """The same issuance with pyld for both canonical forms (safe mode included)."""
    credential = build_credential(facts)
    key = KEYS.active
    method = key.verification_method(SITE_URL)
    created = format_datetime(facts.issued_at)
    signed = proof.sign(credential, key.private_key, method, created, canonicalize_generic)
    return dumps(signed), jwt.sign(credential, key.private_key, method)


def issue_eddsa_only(facts: Any) -> str:
    key = KEYS.active
    signed = proof.sign(
        build_credential(facts),
        key.private_key,
        key.verification_method(SITE_URL),
        format_datetime(facts.issued_at),
    )
    return dumps(signed)


def with_bakes(signed: tuple[str, str]) -> tuple[bytes, str]:
    """Both bakes of a signed credential: the PNG and the SVG a volunteer downloads."""
    ob3_json = signed[0]
    return (
        baking.bake_png(BADGE_PNG, baking.OB3_KEYWORD, ob3_json),
        baking.bake_svg(images.DEFAULT_BADGE_SVG, "ob3", ob3_json),
    )


def issue_ours(facts: Any) -> tuple[bytes, str]:
    issued = issue(facts, KEYS)
    return with_bakes((issued.ob3_json, issued.ob3_jwt))


def bench_issuance() -> list[Row]:
    ours = per_call(issue_ours, FACTS, 3.0)
    generic = per_call(lambda facts: with_bakes(issue_generic(facts)), FACTS[:20], 3.0)
    eddsa = per_call(issue_eddsa_only, FACTS, 3.0)
    credentials = [build_credential(facts) for facts in FACTS]
    method = KEYS.verification_method
    jwt_seconds = per_call(lambda c: jwt.sign(c, KEYS.active.private_key, method), credentials, 2.0)
    return [
        ("issue, build + both proofs + both bakes, our path", ours * 1e6, "µs/credential"),
        ("issue, build + both proofs + both bakes, pyld path", generic * 1e6, "µs/credential"),
        ("speed-up of our path (reference: pyld, same run)", generic / ours, "×"),
        ("eddsa-rdfc-2022 issuances (build + proof + JSON)", 1 / eddsa, "per second per core"),
        ("VC-JWT signatures (EdDSA, the JWS layer)", 1 / jwt_seconds, "per second per core"),
    ]


def bench_verification() -> list[Row]:
    texts = [issue(facts, KEYS).ob3_json for facts in FACTS]
    assert all(check.ok for check in verify_ob3(texts[0], KEYS.resolve))
    documents = per_call(lambda text: verify_ob3(text, KEYS.resolve), texts, 3.0)
    tokens = [issue(facts, KEYS).ob3_jwt for facts in FACTS]
    jwts = per_call(lambda token: verify_ob3(token, KEYS.resolve), tokens, 2.0)
    return [
        (
            "verifications of eddsa-rdfc-2022 JSON (proof + safety)",
            1 / documents,
            "per second per core",
        ),
        ("verifications of VC-JWT", 1 / jwts, "per second per core"),
    ]


def bench_public_verifier() -> list[Row]:
    """The whole public verify(): parsing, proof, key binding, status, dates, JSON Schema."""
    call_command("migrate", verbosity=0)  # a throwaway database: the status is read there
    texts = [issue(facts, KEYS).ob3_json for facts in FACTS[:50]]
    seconds = per_call(verify, texts, 2.0)
    return [("public verify() of a signed JSON, all checks", 1 / seconds, "per second per core")]


BENCHES: list[Callable[[], list[Row]]] = [
    bench_issuance,
    bench_verification,
    bench_public_verifier,
    *BAKING_BENCHES,
    bench_missions_import,
    bench_sending,
    bench_backfill,
    bench_claims_burst,
    bench_pages,
]


def main(names: list[str]) -> None:
    started = time.perf_counter()
    chosen = [b for b in BENCHES if not names or any(n in b.__name__ for n in names)]
    if not chosen:
        raise SystemExit(f"no bench named like {names}: {[b.__name__ for b in BENCHES]}")
    for bench in chosen:
        for label, value, unit in bench():
            print(f"{label:<58} {value:>12,.1f} {unit}")
    print(json.dumps({"total_seconds": round(time.perf_counter() - started, 1)}))


if __name__ == "__main__":
    main(sys.argv[1:])
