"""The public verifier and its parsers against a real server process (gunicorn, loopback).

What holds: a dripping source is cut at the fetch deadline while the home page still
answers; NAT64, 6to4, Teredo and IPv4-mapped/compatible forms are refused; JSON
nested 100,000 deep, an SVG of 200,000 nested groups and a PNG baked with deep
JSON get a 4xx with a JSON error body; a 300 MB upload never writes more than the
limit to disk.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import io
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

from insigne.openbadges.baking import OB3_KEYWORD, bake_png
from insigne.platform.messages import describe_fr
from insigne.verifier import fetch
from insigne.verifier.inputs import MAX_INPUT_BYTES
from tests.security.conftest import API_TOKEN, GunicornServer

# One gunicorn for all these tests: xdist keeps the group on one worker (make test).
pytestmark = pytest.mark.xdist_group("gunicorn")

DEEP = 100_000


def request(
    server: GunicornServer,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def verify_api(server: GunicornServer, body: bytes, content_type: str = "text/plain") -> tuple:
    return request(server, "POST", "/api/v1/verify", body, {"Content-Type": content_type})


def multipart(field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = "insigne-security-boundary"
    body = (
        (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def deep_json(depth: int = DEEP) -> str:
    return '{"a":' * depth + "1" + "}" * depth


def json_error(status: int, headers: dict[str, str], body: bytes) -> dict:
    assert 400 <= status < 500, (status, body[:300])
    assert headers["Content-Type"].startswith("application/json")
    payload = json.loads(body)
    assert payload["error"] and payload["message"]
    return payload


# --- a dripping source ------------------------------------------------------------


def test_a_dripping_source_is_cut_at_the_deadline_and_the_site_still_answers(gunicorn_server):
    server = gunicorn_server
    urls = [f"http://{server.drip.netloc}/badge-{n}.json" for n in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        started = time.monotonic()
        verifications = [pool.submit(timed_verify, server, url) for url in urls]
        while server.drip.connections < 4 and time.monotonic() - started < 10:
            time.sleep(0.02)  # waiting for the four fetches to be under way
        home_started = time.monotonic()
        status, _headers, _body = request(server, "GET", "/", timeout=10)
        home_seconds = time.monotonic() - home_started
        results = [future.result(timeout=30) for future in verifications]
    assert server.drip.connections >= 4  # the four fetches were dripping during the home page
    assert status == 200 and home_seconds < 2.0, home_seconds
    for url, (seconds, status, payload) in zip(urls, results, strict=True):
        check = payload["checks"][0]
        assert status == 200 and payload["status"] == "unreadable"
        assert check["code"] == "url_unreachable"
        assert check["message_fr"] == describe_fr("fetch_timeout", {"url": url})
        # The deadline is 5 s: cut there, however long the source keeps dripping (60 s).
        assert fetch.TOTAL_TIMEOUT - 0.5 < seconds < fetch.TOTAL_TIMEOUT + 3.0, seconds


def timed_verify(server: GunicornServer, url: str) -> tuple[float, int, dict]:
    started = time.monotonic()
    status, _headers, body = verify_api(server, url.encode())
    return time.monotonic() - started, status, json.loads(body)


# --- addresses that carry an IPv4 address -------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "[64:ff9b::7f00:1]",  # NAT64 of 127.0.0.1
        "[64:ff9b::a00:1]",  # NAT64 of 10.0.0.1
        "[2002:7f00:1::1]",  # 6to4 of 127.0.0.1
        "[2002:c0a8:101::1]",  # 6to4 of 192.168.1.1
        "[2001:0:4136:e378:8000:63bf:80ff:fffe]",  # Teredo, client 127.0.0.1
        "[::ffff:127.0.0.1]",  # IPv4-mapped
        "[::ffff:169.254.169.254]",  # IPv4-mapped, cloud metadata
        "[::127.0.0.1]",  # IPv4-compatible
        "[::a00:1]",  # IPv4-compatible of 10.0.0.1
    ],
)
def test_ipv6_forms_of_ipv4_addresses_are_refused(gunicorn_server, host):
    url = f"https://{host}/badge.json"
    status, _headers, body = verify_api(gunicorn_server, url.encode())
    check = json.loads(body)["checks"][0]
    assert status == 200 and check["code"] == "url_unreachable"
    assert check["message_fr"] == describe_fr("fetch_private_address", {"url": url})


# --- parsers of untrusted input -------------------------------------------------------


def test_json_nested_100000_deep_gets_a_json_4xx_on_the_api(gunicorn_server):
    payload = json_error(*verify_api(gunicorn_server, deep_json().encode(), "application/json"))
    assert payload["error"] == "json_too_deep"
    assert payload["message"] == describe_fr("json_too_deep", {"max": 32})


def test_a_jwt_with_a_deep_header_gets_a_clear_refusal(gunicorn_server):
    header = base64.urlsafe_b64encode(("[" * DEEP + "]" * DEEP).encode()).rstrip(b"=")
    status, _headers, body = verify_api(gunicorn_server, header + b".e30.c2ln")
    assert status == 200 and json.loads(body)["checks"][0]["code"] == "jwt_invalid"


def test_an_svg_with_200000_nested_groups_gets_a_json_4xx(gunicorn_server):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * 200_000
    svg += b"</g>" * 200_000 + b"</svg>"
    body, content_type = multipart("file", "badge.svg", svg)
    payload = json_error(*verify_api(gunicorn_server, body, content_type))
    assert payload["error"] == "svg_too_complex"


def test_a_png_baked_with_deep_json_gets_a_json_4xx(gunicorn_server):
    image = io.BytesIO()
    Image.new("RGB", (8, 8)).save(image, "PNG")
    png = bake_png(image.getvalue(), OB3_KEYWORD, deep_json())
    body, content_type = multipart("file", "badge.png", png)
    payload = json_error(*verify_api(gunicorn_server, body, content_type))
    assert payload["error"] == "json_too_deep"


def test_the_verifier_page_refuses_deep_json_with_a_400(gunicorn_server):
    status, headers, page = request(gunicorn_server, "GET", "/verifier/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    form = f"csrfmiddlewaretoken={token}&badge_text=" + deep_json(20_000)
    status, _headers, page = request(
        gunicorn_server,
        "POST",
        "/verifier/",
        form.encode(),
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
            "Referer": gunicorn_server.base + "/verifier/",
        },
    )
    assert status == 400
    assert "imbriqué trop profondément" in page.decode()


def test_the_missions_api_refuses_deep_json_as_json(gunicorn_server):
    status, headers, body = request(
        gunicorn_server,
        "POST",
        "/api/v1/missions",
        ("[" * DEEP + "]" * DEEP).encode(),
        {"Content-Type": "application/json", "Authorization": f"Bearer {API_TOKEN}"},
    )
    assert json_error(status, headers, body)["error"] == "json_too_deep"


def test_api_errors_are_json_not_html(gunicorn_server):
    status, headers, body = request(gunicorn_server, "GET", "/api/v1/verify")
    assert status == 405 and json_error(status, headers, body)["error"] == "method_not_allowed"
    status, headers, body = request(gunicorn_server, "GET", "/api/v1/nothing-here")
    assert status == 404 and json_error(status, headers, body)["error"] == "api_not_found"


# --- request bodies ---------------------------------------------------------------------

UPLOAD_BYTES = 300 * 1024 * 1024


class DiskWatch:
    """The peak size of what the server wrote to its upload temporary folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.peak = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def _size(self) -> int:
        total = 0
        for path in self.folder.rglob("*"):
            with contextlib.suppress(OSError):  # removed while we looked
                total += path.stat().st_size
        return total

    def _watch(self) -> None:
        while not self.stop.wait(0.005):
            self.peak = max(self.peak, self._size())

    def __enter__(self) -> DiskWatch:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=2)
        self.peak = max(self.peak, self._size())


def stream_upload(server: GunicornServer, path: str, total: int) -> tuple[int, int | None]:
    """POST a multipart body of ``total`` bytes made on the fly; (bytes sent, status)."""
    boundary = "insigne-big-upload"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    chunk = b"\x89PNG" + b"\0" * (1024 * 1024 - 4)

    def body() -> Iterator[bytes]:
        yield head
        for _ in range((total - len(head) - len(tail)) // len(chunk)):
            yield chunk
        yield tail

    length = len(head) + len(tail) + (total - len(head) - len(tail)) // len(chunk) * len(chunk)
    sock = socket.create_connection((server.host, server.port), timeout=10)
    sent = 0
    with sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {length}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n\r\n".encode()
        )
        try:
            for piece in body():
                sock.sendall(piece)
                sent += len(piece)
        except OSError:
            pass  # the server stopped reading and closed: what the limit is for
        answer = b""
        try:
            while chunk_read := sock.recv(65536):
                answer += chunk_read
                if b"\r\n\r\n" in answer:
                    break
        except OSError:
            pass
    found = re.match(rb"HTTP/1\.[01] (\d{3})", answer)
    return sent, int(found.group(1)) if found else None


@pytest.mark.parametrize("path", ["/api/v1/verify", "/verifier/"])
def test_a_300_mb_upload_never_writes_more_than_the_limit_to_disk(gunicorn_server, path):
    with DiskWatch(gunicorn_server.upload_dir) as disk:
        sent, status = stream_upload(gunicorn_server, path, UPLOAD_BYTES)
    assert disk.peak <= MAX_INPUT_BYTES, disk.peak
    assert status in (413, 400), (sent, status)
    # and the server is still there
    assert request(gunicorn_server, "GET", "/")[0] == 200


def test_a_file_just_over_the_limit_is_cut_while_it_is_read(gunicorn_server):
    body, content_type = multipart("file", "badge.png", b"\x89PNG" + b"\0" * MAX_INPUT_BYTES)
    with DiskWatch(gunicorn_server.upload_dir) as disk:
        status, headers, answer = verify_api(gunicorn_server, body, content_type)
    assert disk.peak <= MAX_INPUT_BYTES
    assert status == 413 and json.loads(answer)["error"] == "too_large"
