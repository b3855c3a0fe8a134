"""fetch() connects to the address it checked, within one deadline, a few at a time.

Real sockets on loopback; the only stand-in is the resolver (a rebinding one) and,
for the public address it first answers, a connect that refuses at once instead of
leaving the machine.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest

from insigne.verifier import fetch
from insigne.verifier.fetch import FetchError, fetch_json

PUBLIC = "93.184.215.14"


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it gets."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.sock.settimeout(0.05)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def loopback_listener():
    listener = Listener()
    fetch.clear_cache()
    yield listener
    listener.close()
    fetch.clear_cache()


def code_of(url: str) -> str:
    with pytest.raises(FetchError) as caught:
        fetch_json(url)
    return caught.value.code


def test_a_rebinding_resolver_cannot_send_the_connection_to_loopback(
    settings, monkeypatch, loopback_listener
):
    settings.INSIGNE_VERIFY_HTTP_HOSTS = []
    answers = iter([[PUBLIC], ["127.0.0.1"], ["127.0.0.1"], ["127.0.0.1"]])
    resolutions: list[str] = []
    connected: list[str] = []

    def rebinding_resolver(host: str, port: int) -> list[str]:
        resolutions.append(host)
        return next(answers)

    real_connect = fetch._DeadlineSocket.connect

    def loopback_only_connect(self, address):
        connected.append(address[0])
        if address[0] != "127.0.0.1":
            raise ConnectionRefusedError("the test never leaves loopback")
        return real_connect(self, address)

    monkeypatch.setattr(fetch, "resolve", rebinding_resolver)
    monkeypatch.setattr(fetch._DeadlineSocket, "connect", loopback_only_connect)
    url = f"https://emetteur.example:{loopback_listener.port}/did.json"
    assert code_of(url) == "fetch_network"
    assert resolutions == ["emetteur.example"]  # resolved once
    assert connected == [PUBLIC]  # to the address that was checked
    assert loopback_listener.accepted == 0  # never to 127.0.0.1


def test_the_same_resolver_answering_loopback_first_is_refused(settings, monkeypatch):
    settings.INSIGNE_VERIFY_HTTP_HOSTS = []
    monkeypatch.setattr(fetch, "resolve", lambda host, port: ["127.0.0.1"])
    assert code_of("https://emetteur.example/did.json") == "fetch_private_address"


@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::7f00:1",
        "64:ff9b::808:808",  # NAT64 of a public address: refused too
        "64:ff9b:1::a00:1",
        "2002:7f00:1::1",
        "2002:808:808::1",
        "2001:0:4136:e378:8000:63bf:80ff:fffe",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::127.0.0.1",
        "::a00:1",
        "127.0.0.1",
        "10.1.2.3",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "fc00::1",
    ],
)
def test_a_host_resolving_to_these_addresses_is_refused(settings, monkeypatch, address):
    settings.INSIGNE_VERIFY_HTTP_HOSTS = []
    monkeypatch.setattr(fetch, "resolve", lambda host, port: [PUBLIC, address])
    assert code_of("https://emetteur.example/did.json") == "fetch_private_address"


@pytest.mark.parametrize("address", [PUBLIC, "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address):
    assert fetch.address_allowed(address)


def test_a_source_dripping_its_headers_is_cut_at_the_deadline(settings, monkeypatch):
    listener = socket.create_server(("127.0.0.1", 0))
    netloc = f"127.0.0.1:{listener.getsockname()[1]}"
    settings.INSIGNE_VERIFY_HTTP_HOSTS = [netloc]
    monkeypatch.setattr(fetch, "TOTAL_TIMEOUT", 1.0)
    stop = threading.Event()

    def drip_headers() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            while not stop.wait(0.05):  # one byte every 50 ms, never a full header
                try:
                    conn.sendall(b"a")
                except OSError:
                    return

    thread = threading.Thread(target=drip_headers, daemon=True)
    thread.start()
    started = time.monotonic()
    try:
        assert code_of(f"http://{netloc}/doc") == "fetch_timeout"
        assert time.monotonic() - started < 2.5
    finally:
        stop.set()
        thread.join(timeout=2)
        listener.close()


def test_fetches_over_the_concurrency_cap_are_refused_at_once(settings, monkeypatch):
    settings.INSIGNE_VERIFY_HTTP_HOSTS = ["127.0.0.1:9"]
    monkeypatch.setattr(fetch, "_slots", threading.BoundedSemaphore(1))
    fetch._slots.acquire()  # one fetch under way elsewhere in this process
    started = time.monotonic()
    try:
        assert code_of("http://127.0.0.1:9/doc") == "fetch_busy"
    finally:
        fetch._slots.release()
    assert time.monotonic() - started < 0.5


def test_downloads_for_a_visitor_count_against_their_own_strict_limit(settings, monkeypatch, db):
    listener = Listener()
    netloc = f"127.0.0.1:{listener.port}"
    settings.INSIGNE_VERIFY_HTTP_HOSTS = [netloc]
    monkeypatch.setattr(fetch, "FETCH_LIMIT", (2, 60))
    codes = []
    try:
        with fetch.on_behalf_of("198.51.100.7"):
            for n in range(3):
                codes.append(code_of(f"http://{netloc}/doc-{n}"))
        with fetch.on_behalf_of("198.51.100.8"):
            codes.append(code_of(f"http://{netloc}/doc-other"))
    finally:
        listener.close()
    # The listener hangs up at once: a network error, until the third download is refused.
    assert codes == ["fetch_network", "fetch_network", "fetch_rate_limited", "fetch_network"]
    assert listener.accepted == 3
