"""A real server process for the security tests: gunicorn on a loopback port.

``gunicorn_server`` (one per test process) runs ``insigne.wsgi`` with the production
settings module (``DEBUG`` off), its own SQLite database and data folder, its own
upload temporary folder (``upload_dir``, to watch what reaches the disk), and a
dripping source on loopback that the verifier may fetch (``drip_source``, allowed
through ``INSIGNE_VERIFY_HTTP_HOSTS``). Every wait is bounded.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from insigne.settings import BASE_DIR
from tests import gunicorn

API_TOKEN = "security-test-token"
START_TIMEOUT = 60.0


class DripSource:
    """Answers every connection with a JSON response whose body comes one byte at a time."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.netloc = f"127.0.0.1:{self.listener.getsockname()[1]}"
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.listener.settimeout(0.1)
        while not self.stop.is_set():
            try:
                conn, _address = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        head = (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
        )
        with conn:
            try:
                conn.recv(65536)
                conn.sendall(head)
                # One byte per interval, for far longer than any deadline (bounded: 60 s).
                for _ in range(int(60 / self.interval)):
                    if self.stop.wait(self.interval):
                        return
                    conn.sendall(b" ")
            except OSError:
                return  # the client hung up: what the deadline is for

    def close(self) -> None:
        self.stop.set()
        self.listener.close()
        self.thread.join(timeout=2)


@dataclass
class GunicornServer:
    base: str
    host: str
    port: int
    upload_dir: Path
    drip: DripSource
    log: Path
    process: subprocess.Popen[bytes] = field(repr=False)


def _server_env(tmp: Path, drip: DripSource, upload_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "INSIGNE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="insigne.settings",
        DEBUG="0",
        SECRET_KEY="security-tests-secret-key-" + "x" * 40,
        DATABASE_URL=f"sqlite:///{tmp / 'server.sqlite3'}",
        INSIGNE_DATA_DIR=str(tmp / "data"),
        INSIGNE_KEY_FILE=str(tmp / "data" / "issuer_keys.json"),
        SITE_URL="http://127.0.0.1:8000",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        EMAIL_URL="locmem://",
        TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        INSIGNE_API_TOKEN=API_TOKEN,
        INSIGNE_VERIFY_HTTP_HOSTS=drip.netloc,
        INSIGNE_UPLOAD_TEMP_DIR=str(upload_dir),
        TMPDIR=str(upload_dir),
        PYTHONUNBUFFERED="1",
    )
    env.pop("DATABASE_URL_TEST", None)
    return env


MANAGE_TIMEOUT = 600.0


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args, "-v", "0"],
        env=env,
        cwd=BASE_DIR,
        check=True,
        # A bound, not a measure: all the migrations on a fresh database take seconds
        # alone and minutes on a machine busy with the rest of the suite.
        timeout=MANAGE_TIMEOUT,
    )


def _warm_up(port: int) -> None:
    """The first page of each worker loads templates: done before any test measures time."""
    for _ in range(8):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=START_TIMEOUT)
        try:
            conn.request("GET", "/")
            conn.getresponse().read()
        finally:
            conn.close()


@pytest.fixture(scope="session")
def gunicorn_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GunicornServer]:
    tmp = tmp_path_factory.mktemp("gunicorn")
    (tmp / "data").mkdir()
    upload_dir = tmp / "uploads"
    upload_dir.mkdir()
    drip = DripSource()
    env = _server_env(tmp, drip, upload_dir)
    _manage(env, "migrate", "--noinput")
    _manage(env, "createcachetable")
    log = tmp / "gunicorn.log"
    process, port = gunicorn.start(
        env,
        BASE_DIR,
        log,
        *("--workers", "2", "--threads", "8", "--timeout", "30", "--graceful-timeout", "2"),
        "--preload",  # the application is loaded before the workers fork: warm
    )
    try:
        _warm_up(port)
        yield GunicornServer(
            f"http://127.0.0.1:{port}", "127.0.0.1", port, upload_dir, drip, log, process
        )
    finally:
        gunicorn.stop(process)
        drip.close()
