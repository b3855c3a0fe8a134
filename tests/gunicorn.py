"""gunicorn on loopback for the security tests and the benches: start it, learn its port, stop it.

The port is the system's choice (``port=0``) unless the caller needs it before the
start (a ``SITE_URL`` that names it); either way it is read from the server's own
"Listening at" line, so a server that did not start says why (the log's tail).
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

START_TIMEOUT = 60.0
_LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


def start(
    env: dict[str, str], cwd: Path, log: Path, *options: str, port: int = 0
) -> tuple[subprocess.Popen[bytes], int]:
    """``insigne.wsgi`` under gunicorn with ``options``; the process and its port."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "insigne.wsgi"),
                *("--bind", f"127.0.0.1:{port}", "--no-control-socket", *options),
            ],
            env=env,
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        return process, wait_for_port(log, process)
    except RuntimeError:
        process.kill()
        process.wait(timeout=5)
        raise


def wait_for_port(log: Path, process: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        found = _LISTENING.search(log.read_text(errors="replace"))
        if found:
            return int(found.group(1))
        if process.poll() is not None:
            break
        time.sleep(0.05)  # polling the server's log while it starts
    raise RuntimeError(f"gunicorn did not start:\n{log.read_text(errors='replace')[-3000:]}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Ask it to stop; kill it if it has not within ten seconds."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
