"""``manage.py demo`` end to end: a real process group, real ports, Ctrl+C at the end."""

import http.cookiejar
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.settings import TEST_ENVIRONMENT
from tests.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]
# The demo is the embedded mode (SQLite in its own data folder), even when the suite
# itself runs on PostgreSQL.
TEST_ONLY = TEST_ENVIRONMENT


def read_lines(stream, lines: queue.Queue) -> None:
    for line in iter(stream.readline, ""):
        lines.put(line)
    lines.put(None)


def next_line_with(lines: queue.Queue, text: str, timeout: float = 90) -> str:
    seen = []
    while True:
        line = lines.get(timeout=timeout)
        if line is None:
            pytest.fail(f"the demo exited before printing {text!r}:\n{''.join(seen[-30:])}")
        seen.append(line)
        if text in line:
            return line


def next_lines_with(lines: queue.Queue, texts: set[str], timeout: float = 90) -> None:
    """Read on until a line holding each of ``texts`` was seen, in any order."""
    waiting = set(texts)
    while waiting:
        line = next_line_with(lines, "", timeout)
        waiting = {text for text in waiting if text not in line}


@pytest.fixture
def demo(tmp_path):
    addr = f"127.0.0.1:{free_port()}"
    env = {key: value for key, value in os.environ.items() if key not in TEST_ONLY}
    env |= {
        "INSIGNE_DATA_DIR": str(tmp_path),
        "INSIGNE_KEY_FILE": str(tmp_path / "keys.json"),
        "SITE_URL": f"http://{addr}",
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "demo", "--addr", addr, "--smtp-port", str(free_port())],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as in a terminal
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=read_lines, args=(process.stdout, lines), daemon=True).start()
    yield process, lines, f"http://{addr}"
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_the_demo_serves_the_site_catches_invitations_and_stops_on_ctrl_c(demo):
    process, lines, site = demo

    # In either order: the worker's pump may deliver before the web server is up.
    # (The daily run invited the missions ended before today.)
    next_lines_with(lines, {"demo ready", "demo catcher: mail"})
    with urllib.request.urlopen(f"{site}/demo/courriels/", timeout=10) as response:
        page = response.read().decode()
    assert "exemple.test" in page
    detail = re.search(r'href="(/demo/courriels/\d+/)"', page).group(1)
    with urllib.request.urlopen(f"{site}{detail}", timeout=10) as response:
        assert f'href="{site}/' in response.read().decode()  # mail links lead to this server
    with urllib.request.urlopen(f"{site}/", timeout=10) as response:
        assert response.status == 200
        home = response.read().decode()
    # Debug off, as in production: a wrong address is the site's own 404 page,
    # and the static files (DSFR) are served all the same.
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{site}/nulle-part/", timeout=10)
    assert missing.value.code == 404
    assert "Page introuvable" in missing.value.read().decode()
    stylesheet = re.search(r'href="(/static/dsfr/[^"]+\.css)"', home).group(1)
    with urllib.request.urlopen(f"{site}{stylesheet}", timeout=10) as response:
        assert response.status == 200

    claim_through_the_worker(site, page)

    os.killpg(process.pid, signal.SIGINT)  # what Ctrl+C does
    assert process.wait(timeout=30) == 0
    next_line_with(lines, "Demo stopped")


def claim_through_the_worker(site: str, mailbox: str) -> None:
    """A volunteer of the demo validates; the demo's worker signs and mails the badge."""
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    link = None
    for detail in re.findall(r'href="(/demo/courriels/\d+/)"', mailbox):
        with browser.open(f"{site}{detail}", timeout=10) as response:
            found = re.search(
                rf'href="({re.escape(site)}/obtenir/[\w-]+/)"', response.read().decode()
            )
        if found:
            link = found.group(1)
            break
    assert link is not None, "no invitation in the demo mailbox"
    with browser.open(link + "apercu/", timeout=10) as response:  # the token into its cookie
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode())
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "confirm": "on", "visibility": "link"}
    )
    with browser.open(f"{site}/obtenir/apercu/", form.encode(), timeout=10) as response:
        assert response.url == f"{site}/obtenir/en-preparation/"
        assert "Votre badge est en préparation" in response.read().decode()
    deadline = time.monotonic() + 60
    while True:  # what the page's script asks, once a second
        with browser.open(f"{site}/obtenir/en-preparation/etat/", timeout=10) as response:
            state = json.loads(response.read())
        if state["ready"] or time.monotonic() > deadline:
            break
        time.sleep(0.2)  # polling the real worker, not waiting for time to pass
    assert state["ready"], "the demo's worker did not sign the badge"
    with browser.open(f"{site}{state['address']}", timeout=10) as response:
        assert "Badge authentique" in response.read().decode()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with browser.open(f"{site}/demo/courriels/", timeout=10) as response:
            if "Votre Open Badge Service Civique<" in response.read().decode():
                return
        time.sleep(0.2)  # polling the real worker's mail
    pytest.fail("the badge mail did not reach the demo mailbox")
