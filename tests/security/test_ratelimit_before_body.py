"""A rate-limited request is refused before a byte of its body is read.

The request goes through the whole middleware stack (CSRF included, which reads
the body of the forms it checks) with a body that counts what is read of it.
"""

from __future__ import annotations

import pytest
from django.test.client import ClientHandler

from insigne.verifier import views

pytestmark = pytest.mark.django_db

# A large body the verifier accepts (under its 2 MiB): read when allowed, not when limited.
SIZE = 1536 * 1024
BOUNDARY = "limite"


class CountingBody:
    """A ``wsgi.input`` of ``size`` bytes of one multipart field that counts what is read."""

    def __init__(self, size: int) -> None:
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="badge_text"\r\n\r\n'
        ).encode()
        tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.data = head + b"x" * (size - len(head) - len(tail)) + tail
        self.position = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size is None or size < 0 else self.position + size
        chunk = self.data[self.position : end]
        self.position += len(chunk)
        return chunk

    def readline(self, size: int = -1) -> bytes:
        end = self.data.find(b"\n", self.position) + 1 or len(self.data)
        if size is not None and size >= 0:
            end = min(end, self.position + size)
        chunk = self.data[self.position : end]
        self.position += len(chunk)
        return chunk


def post(path: str, body: CountingBody) -> int:
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "192.0.2.44",
        "wsgi.url_scheme": "http",
        "wsgi.input": body,
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(len(body.data)),
    }
    return ClientHandler(enforce_csrf_checks=True)(environ).status_code


@pytest.mark.parametrize(
    ("path", "limit"), [("/verifier/", "PAGE_LIMIT"), ("/api/v1/verify", "API_LIMIT")]
)
def test_a_limited_client_is_refused_before_its_body_is_read(monkeypatch, path, limit):
    monkeypatch.setattr(views, limit, (0, 60))
    body = CountingBody(SIZE)
    assert post(path, body) == 429
    assert body.position == 0


@pytest.mark.parametrize("path", ["/verifier/", "/api/v1/verify"])
def test_a_client_within_its_limit_has_its_body_read(path):
    """The counting body does count: the same request, allowed, is read whole (then the
    page refuses it for its missing CSRF token, the API for a badge it cannot read)."""
    body = CountingBody(SIZE)
    assert post(path, body) in (400, 403)
    assert body.position == len(body.data)
