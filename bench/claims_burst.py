"""Benchmark: a burst of claims, from the validation page to the badge mail.

``python -m bench claims`` runs it alone (``python -m bench.claims_burst`` too).

In a throwaway database (SQLite in a temporary folder, or ``BENCH_DATABASE_URL``,
a PostgreSQL database made anew), ``CLAIMS`` volunteers have an invitation and
its personal link. Gunicorn serves the site on loopback (``WEB_WORKERS``
processes of ``THREADS`` threads); ``CLAIMS`` client threads, released together,
each post the validation of their own claim (the link cookie and a CSRF token,
as a browser does), so the site gets them all at once, while ``WORKERS``
workers sign the badges and send their mails to a local relay. Printed: the
latency of the validations (p50, p99), the errors (any answer other than the
redirection to the badge's waiting page or to the badge page), the duplicates
(credentials or badge mails beyond one per claim), and credentials per second
end to end, from the first request to the last badge mail received. Bounded:
``CLAIMS`` requests, everything on this machine, everything stopped at the end.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from bench.cpu import Snapshot, cores, family_seconds, process_seconds
from bench.sending import CountingRelay, _environment, _manage, start_workers
from tests import gunicorn
from tests.smtp import free_port

ROOT = Path(__file__).resolve().parent.parent
CLAIMS = 200
WEB_WORKERS = 2
THREADS = 8
WORKERS = 2
CSRF = "benchcsrfsecretbenchcsrfsecret00"  # 32 characters: a valid CSRF cookie secret

_SEED = """
import django, json; django.setup()
from insigne.badges import programme
from insigne.badges.keys import issuer_keys
from insigne.claims import services
from insigne.claims.models import Invitation
from tests.personas import make_mission
issuer_keys()  # the key file, made once before the web processes read it
programme.ensure_programme()  # the badge class, which the flush took away
tokens = []
for n in range({claims}):
    invitation = Invitation.objects.create(mission=make_mission(f"BURST{{n:05d}}"))
    tokens.append(services.add_link(invitation))
print(json.dumps(tokens))
"""

_COUNT = """
import django, json; django.setup()
from collections import Counter
from insigne.claims.models import Invitation
from insigne.mail.models import OutgoingMail
mails = Counter(OutgoingMail.objects.filter(kind="badge").values_list("related_key", flat=True))
print(json.dumps({{
    "credentials": Invitation.objects.exclude(credential=None).count(),
    "mails": sum(mails.values()),
    "twins": sum(n - 1 for n in mails.values()),
}}))
"""


def _validate(port: int, token: str) -> tuple[float, int]:
    body = f"confirm=on&visibility=link&csrfmiddlewaretoken={CSRF}"
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"insigne_lien={token}; csrftoken={CSRF}",
    }
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    try:
        connection.request("POST", "/obtenir/apercu/", body, headers)
        response = connection.getresponse()
        response.read()
        # To the badge page, or to its waiting page while the workers issue it.
        location = response.getheader("Location", "")
        ok = response.status == 302 and (
            location == "/obtenir/en-preparation/" or "/badges/" in location
        )
        return time.perf_counter() - started, 0 if ok else 1
    except OSError:
        return time.perf_counter() - started, 1
    finally:
        connection.close()


def _burst(port: int, tokens: list[str]) -> list[tuple[float, int]]:
    barrier = threading.Barrier(len(tokens))
    results: list[tuple[float, int]] = []
    lock = threading.Lock()

    def client(token: str) -> None:
        barrier.wait()
        outcome = _validate(port, token)
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=client, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _wait_until_idle(processes: list[subprocess.Popen[bytes]], timeout: float = 120.0) -> None:
    """Until the workers have loaded and only poll (their CPU time stops growing)."""
    deadline = time.monotonic() + timeout
    last = [-1.0] * len(processes)
    while time.monotonic() < deadline:
        now = [process_seconds(process.pid) for process in processes]
        if all(b - a < 0.05 for a, b in zip(last, now, strict=True)):
            return
        last = now
        time.sleep(0.5)  # sampling the processes' CPU time
    raise RuntimeError("the workers did not settle")


def _wait_for_mails(relay: CountingRelay, count: int, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while relay.count < count and time.monotonic() < deadline:
        time.sleep(0.05)  # polling the relay's counter


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _python(env: dict[str, str], script: str) -> Any:
    run = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, check=True, capture_output=True
    )
    return json.loads(run.stdout)


def bench_claims_burst(claims: int = CLAIMS) -> list[tuple[str, float, str]]:
    folder = tempfile.mkdtemp(prefix="insigne-bench-claims-")
    relay = CountingRelay()
    relay_port, web_port = free_port(), free_port()
    controller = Controller(relay, hostname="127.0.0.1", port=relay_port)
    controller.start()
    env = _environment(folder, relay_port) | {
        "SITE_URL": f"http://127.0.0.1:{web_port}",
        "LOG_LEVEL": "WARNING",
    }
    web = None
    workers: list[subprocess.Popen[bytes]] = []
    logs = [open(Path(folder) / f"worker{n}.log", "wb") for n in range(WORKERS)]  # noqa: SIM115
    try:
        # A PostgreSQL database is reused: emptied (the checks would miss the badge
        # class the flush takes away, the seed puts it back).
        _manage(env, "migrate", "--verbosity", "0", "--skip-checks")
        _manage(env, "flush", "--no-input", "--skip-checks")
        _manage(env, "createcachetable")
        tokens = _python(env, _SEED.format(claims=claims))
        workers = start_workers(env, len(logs), "--interval", "0.2", logs=logs)
        web, _port = gunicorn.start(
            env,
            ROOT,
            Path(folder) / "gunicorn.log",
            *("-w", str(WEB_WORKERS), "--threads", str(THREADS)),
            port=web_port,
        )
        for _ in range(2 * WEB_WORKERS):  # each process loads its views lazily
            _validate(web_port, "warm-up-with-no-invitation")
        _wait_until_idle(workers)
        web_cpu = -family_seconds(web.pid)
        mail_cpu = -sum(process_seconds(process.pid) for process in workers)
        before, started = Snapshot.now(), time.perf_counter()
        results = _burst(web_port, tokens)
        answered = time.perf_counter() - started
        answering = Snapshot.now().since(before)
        web_cpu += family_seconds(web.pid)
        _wait_for_mails(relay, claims)
        whole = Snapshot.now().since(before)
        mail_cpu += sum(process_seconds(process.pid) for process in workers)
        counts = _python(env, _COUNT.format())
    finally:
        for process in [*workers, *([web] if web else [])]:
            process.terminate()
        for process in [*workers, *([web] if web else [])]:
            process.wait(30)
        for log in logs:
            log.close()
        controller.stop()
    latencies = [latency for latency, _error in results]
    errors = sum(error for _latency, error in results) + claims - len(results)
    duplicates = max(0, counts["credentials"] - claims) + counts["twins"]
    duplicates += max(0, relay.count - counts["mails"])
    end_to_end = relay.last - started if relay.count == claims else float("inf")
    assert relay.count == counts["credentials"] == claims, (relay.count, counts, folder)
    return [
        (f"burst of {claims} validations at once, p50", _percentile(latencies, 0.5) * 1000, "ms"),
        (f"burst of {claims} validations at once, p99", _percentile(latencies, 0.99) * 1000, "ms"),
        ("burst: errors", float(errors), "requests"),
        ("burst: duplicates (credentials or badge mails)", float(duplicates), "duplicates"),
        ("burst: validations answered", claims / answered, "per second"),
        ("claim → credential → badge mail received, end to end", claims / end_to_end, "per second"),
        ("web CPU per validation (gunicorn workers)", web_cpu / claims * 1000, "ms"),
        ("worker CPU per badge mail (both workers)", mail_cpu / claims * 1000, "ms"),
        *_machine_rows(claims, answering, whole, env["DATABASE_URL"].startswith("postgres")),
    ]


def _machine_rows(
    claims: int, answering: Snapshot, whole: Snapshot, postgres: bool
) -> list[tuple[str, float, str]]:
    """What every process on the machine spent (see ``bench.cpu``), and the ceiling it sets.

    The CPU spent while the burst is answered counts the workers' too, which sign
    the first badges meanwhile: over the cores, it is how long that window's work
    took the whole machine, not a bound on the answers alone.
    """
    n = cores()
    rows = [
        ("burst: machine CPU while answering, per validation", answering.machine / claims * 1000,
         "ms"),
        (f"burst: that CPU over {n} cores (the workers' included)", answering.machine / n * 1000,
         "ms"),
        ("machine CPU per badge, end to end (every process)", whole.machine / claims * 1000, "ms"),
        (f"ceiling on {n} cores: credentials per second end to end", claims / whole.machine * n,
         "per second"),
    ]  # fmt: skip
    rows.insert(3, ("of which this bench's clients and relay", whole.own / claims * 1000, "ms"))
    if postgres:
        rows.insert(3, ("of which PostgreSQL, per badge", whole.postgres / claims * 1000, "ms"))
    return rows


if __name__ == "__main__":
    os.environ.setdefault("BENCH_CLAIMS", "")
    for label, value, unit in bench_claims_burst(int(os.environ["BENCH_CLAIMS"] or CLAIMS)):
        print(f"{label:<58} {value:>12,.1f} {unit}")
