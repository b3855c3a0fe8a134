"""Benchmark: the public pages under load, behind gunicorn (``python -m bench pages``).

Seeds ``CREDENTIALS`` signed credentials (a few of them revoked) in a throwaway
database (SQLite in a temporary folder, or ``BENCH_DATABASE_URL``: a PostgreSQL
database, emptied and migrated, is what production looks like), starts gunicorn
on a loopback port (``WORKERS`` processes of ``THREADS`` threads, production
settings, ``DEBUG`` off) and fires ``REQUESTS`` requests at each endpoint over
``CONNECTIONS`` kept-alive connections from one asyncio client. Every answer
must be a 200 (or the 304 asked for). Prints, per endpoint: requests per second
(wall time), p50 and p99 latency, and the CPU time per request of the server
processes and of the client, which shares the same cores: on a 2-core machine
the client's share is taken from what the server could have served.

Before the timed runs, each URL is fetched a few times untimed, so that every
worker process has seen each badge once (its first view verifies the credential,
keeps the verdict and renders the page); that first pass is reported on its own
row. The last row of each endpoint divides the machine's cores by the CPU time
of one request (server and client): what an otherwise idle machine would serve,
derived, not measured. Everything stays on this machine and stops by itself.
"""

from __future__ import annotations

import asyncio
import http.client
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.cpu import family_seconds
from tests import gunicorn

ROOT = Path(__file__).resolve().parent.parent
CREDENTIALS = 300
REVOKED_EVERY = 50  # one credential in fifty is revoked: the status list has bits set
REQUESTS = 5000
CONNECTIONS = 8
WORKERS = 2
THREADS = 4
SITE_URL = "https://badges.example.test"
CORES = os.cpu_count() or 1

_SEED = """
import django; django.setup()
import dataclasses
from django.utils import timezone
from insigne.badges.models import Credential, Visibility
from insigne.badges.services import signed_credential
from tests.samples import demo_facts
Credential.objects.all().delete()
rows = []
for n in range({count}):
    facts = demo_facts(public_id=f"bench{{n:027d}}", index=n + 1)
    row = signed_credential(facts)
    row.visibility = Visibility.PUBLIC
    if n % {revoked_every} == {revoked_every} - 1:
        row.revoked_at, row.revocation_reason = timezone.now(), "Banc d'essai."
    rows.append(row)
Credential.objects.bulk_create(rows)
"""


def _environment(folder: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "INSIGNE_"))}
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/pages.sqlite3"
    env.pop("DATABASE_URL_TEST", None)
    return env | {
        "DJANGO_SETTINGS_MODULE": "insigne.settings",
        "DEBUG": "0",
        "DATABASE_URL": url,
        "INSIGNE_DATA_DIR": folder,
        "INSIGNE_KEY_FILE": f"{folder}/issuer_keys.json",
        "SECRET_KEY": "bench-only-secret-" + "x" * 40,
        "SITE_URL": SITE_URL,
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": "locmem://",
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
    }


def _run(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, *args], env=env, cwd=ROOT, check=True, timeout=600)


def _reset_database(env: dict[str, str]) -> None:
    """A PostgreSQL database is emptied first (its tables dropped); SQLite starts empty."""
    if env["DATABASE_URL"].startswith("postgres"):
        script = (
            "import django; django.setup()\n"
            "from django.db import connection\n"
            "with connection.cursor() as c:\n"
            "    c.execute('DROP SCHEMA public CASCADE; CREATE SCHEMA public')\n"
        )
        _run(env, "-c", script)


class Client:
    """One kept-alive HTTP/1.1 connection: GET, read the status and the body, again."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str, headers: str = "") -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}\r\n"
        self.writer.write(request.encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
        if length:
            await self.reader.readexactly(int(length.group(1)))
        if re.search(rb"(?i)\r\nconnection: *close", head) or not length:
            self.writer.close()
            self.writer = None
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def _fire(
    port: int, paths: list[str], headers: str, expected: int
) -> tuple[float, list[float]]:
    """Every path once, over ``CONNECTIONS`` connections; wall seconds and each latency."""
    queue = list(reversed(paths))
    latencies: list[float] = []
    clients = [Client(port) for _ in range(CONNECTIONS)]

    async def worker(client: Client) -> None:
        while queue:
            path = queue.pop()
            started = time.perf_counter()
            status = await client.get(path, headers)
            latencies.append(time.perf_counter() - started)
            if status != expected:
                raise RuntimeError(f"{path}: {status}, not {expected}")

    started = time.perf_counter()
    await asyncio.gather(*(worker(client) for client in clients))
    wall = time.perf_counter() - started
    for client in clients:
        client.close()
    return wall, latencies


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _endpoints(ids: list[str]) -> list[tuple[str, list[str], str, int]]:
    revoked = {n for n in range(len(ids)) if n % REVOKED_EVERY == REVOKED_EVERY - 1}
    live = [public_id for n, public_id in enumerate(ids) if n not in revoked]

    def spread(template: str, pool: list[str]) -> list[str]:
        return [template.format(pool[n % len(pool)]) for n in range(REQUESTS)]

    html = "Accept: text/html\r\n"
    return [
        ("badge page (HTML)", spread("/badges/{}", ids), html, 200),
        ("OB 2.0 assertion", spread("/ob2/assertions/{}", live), "", 200),
        ("OB 3.0 JSON", spread("/badges/{}/ob3.json", ids), "", 200),
        ("baked PNG (OB 3.0)", spread("/badges/{}/badge.png", ids), "", 200),
        ("status list", ["/ob3/status/1"] * REQUESTS, "", 200),
        ("did.json", ["/.well-known/did.json"] * REQUESTS, "", 200),
    ]


def _etag(port: int, path: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return str(response.getheader("ETag"))
    finally:
        connection.close()


def bench_pages() -> list[tuple[str, float, str]]:
    folder = tempfile.mkdtemp(prefix="insigne-bench-pages-")
    env = _environment(folder)
    _reset_database(env)
    _run(env, "manage.py", "migrate", "--verbosity", "0")
    _run(env, "manage.py", "createcachetable")
    _run(env, "-c", _SEED.format(count=CREDENTIALS, revoked_every=REVOKED_EVERY))
    ids = [f"bench{n:027d}" for n in range(CREDENTIALS)]
    log = Path(folder) / "gunicorn.log"
    process, port = gunicorn.start(
        env,
        ROOT,
        log,
        *("--workers", str(WORKERS), "--worker-class", "gthread", "--threads", str(THREADS)),
        *("--keep-alive", "30", "--preload"),
    )
    rows: list[tuple[str, float, str]] = []
    try:
        endpoints = _endpoints(ids)
        first = [f"/badges/{public_id}" for public_id in ids] * WORKERS * 2
        wall, _latencies = asyncio.run(_fire(port, first, "Accept: text/html\r\n", 200))
        rows.append(
            (f"badge page, first views ({len(first)}, untimed warm-up)", len(first) / wall, "req/s")
        )
        for _label, paths, headers, expected in endpoints[1:]:
            asyncio.run(_fire(port, paths[: len(ids) * WORKERS], headers, expected))
        did_etag = _etag(port, "/.well-known/did.json")
        endpoints.append(
            (
                "did.json, conditional GET (304)",
                ["/.well-known/did.json"] * REQUESTS,
                f"If-None-Match: {did_etag}\r\n",
                304,
            )
        )
        for label, paths, headers, expected in endpoints:
            server_before, client_before = family_seconds(process.pid), time.process_time()
            wall, latencies = asyncio.run(_fire(port, paths, headers, expected))
            client = time.process_time() - client_before
            server = family_seconds(process.pid) - server_before
            count = len(paths)
            rows += [
                (f"{label}: {count:,} requests, {CONNECTIONS} connections", count / wall, "req/s"),
                (f"{label}: p50", _percentile(latencies, 0.50) * 1000, "ms"),
                (f"{label}: p99", _percentile(latencies, 0.99) * 1000, "ms"),
                (f"{label}: server CPU per request", server / count * 1000, "ms"),
                (f"{label}: client CPU per request", client / count * 1000, "ms"),
                # What the machine's cores would serve at that CPU cost, client included
                # (derived, not measured: on a busy machine the wall rate above is lower).
                (
                    f"{label}: {CORES} cores / CPU per request",
                    CORES * count / (server + client),
                    "req/s",
                ),
            ]
    except RuntimeError:
        print(log.read_text()[-4000:], file=sys.stderr)  # the server's side of a failed answer
        raise
    finally:
        gunicorn.stop(process)
    return rows


if __name__ == "__main__":
    for label, value, unit in bench_pages():
        print(f"{label:<58} {value:>12,.1f} {unit}")
