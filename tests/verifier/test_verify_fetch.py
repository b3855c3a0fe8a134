"""fetch: what the verifier agrees to download from other issuers."""

import socket

import pytest

from insigne.verifier import fetch
from insigne.verifier.fetch import FetchError, fetch_json
from tests.verifier.helpers import json_route, local_server


@pytest.fixture
def server(settings):
    with local_server(settings) as running:
        yield running


def code_of(url):
    with pytest.raises(FetchError) as caught:
        fetch_json(url)
    return caught.value.code


def test_it_fetches_json_from_an_allowed_host(server):
    server.routes["/doc"] = json_route({"a": 1}, content_type="application/ld+json")
    assert fetch_json(f"{server.base}/doc") == {"a": 1}


def test_it_refuses_plain_http_to_hosts_not_listed(settings):
    settings.INSIGNE_VERIFY_HTTP_HOSTS = []
    assert code_of("http://emetteur.example/doc") == "fetch_scheme"
    assert code_of("file:///etc/passwd") == "fetch_scheme"


def test_it_refuses_private_and_loopback_addresses_over_https(settings):
    settings.INSIGNE_VERIFY_HTTP_HOSTS = []
    assert code_of("https://127.0.0.1/doc") == "fetch_private_address"
    assert code_of("https://[::1]/doc") == "fetch_private_address"
    assert code_of("https://10.1.2.3/doc") == "fetch_private_address"


def test_it_refuses_a_redirect_to_a_host_not_allowed(server):
    server.routes["/moved"] = (302, "text/plain", b"http://emetteur.example/doc")
    assert code_of(f"{server.base}/moved") == "fetch_scheme"


def test_it_follows_a_redirect_within_the_rules(server):
    server.routes["/moved"] = (302, "text/plain", f"{server.base}/doc".encode())
    server.routes["/doc"] = json_route({"ok": True})
    assert fetch_json(f"{server.base}/moved") == {"ok": True}


def test_it_refuses_a_document_over_the_size_limit(server, monkeypatch):
    monkeypatch.setattr(fetch, "MAX_BYTES", 100)
    server.routes["/big"] = json_route({"x": "y" * 200})
    assert code_of(f"{server.base}/big") == "fetch_too_large"


def test_it_refuses_a_document_that_is_not_json(server):
    server.routes["/page"] = (200, "text/html", b"<html></html>")
    server.routes["/broken"] = (200, "application/json", b"{pas du json")
    assert code_of(f"{server.base}/page") == "fetch_content_type"
    assert code_of(f"{server.base}/broken") == "fetch_not_json"


def test_it_reports_the_http_status(server):
    with pytest.raises(FetchError) as caught:
        fetch_json(f"{server.base}/absent")
    assert (caught.value.code, caught.value.status) == ("fetch_status", 404)


def test_it_caches_documents_per_process(server):
    server.routes["/doc"] = json_route({"a": 1})
    fetch_json(f"{server.base}/doc")
    fetch_json(f"{server.base}/doc")
    assert server.hits == ["/doc"]


def test_it_gives_up_on_a_server_that_never_answers(settings, monkeypatch):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection, never answers
    netloc = f"127.0.0.1:{silent.getsockname()[1]}"
    settings.INSIGNE_VERIFY_HTTP_HOSTS = [netloc]
    monkeypatch.setattr(fetch, "CONNECT_TIMEOUT", 0.2)
    try:
        assert code_of(f"http://{netloc}/doc") == "fetch_timeout"
    finally:
        silent.close()
