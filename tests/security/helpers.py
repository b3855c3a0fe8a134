"""A small HTTP client for a real server process (``live_server``): cookies kept by hand.

The test settings serve ``https://…`` cookies (Secure); the server here speaks plain
http behind a pretend proxy, so requests carry ``X-Forwarded-Proto: https`` and the
tests turn on ``SECURE_PROXY_SSL_HEADER`` as production does.
"""

from __future__ import annotations

import http.client
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

PROXY_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


@dataclass
class Visitor:
    base_url: str
    https: bool = True
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, data: dict[str, str] | None = None) -> Answer:
        parts = urlsplit(self.base_url)
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
        headers = {"Host": parts.netloc}
        if self.https:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"{'https' if self.https else 'http'}://{parts.netloc}"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for raw in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(raw).items():
                self.cookies[name] = morsel.value
        return Answer(response.status, response.headers, text)

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, data: dict[str, str]) -> Answer:
        return self.request("POST", path, data)


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)
