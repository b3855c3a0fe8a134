"""Helpers for the verifier tests: our issued badges, foreign issuers, a local web server.

No test lives here; the test modules import these helpers.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from insigne.badges.models import Credential
from insigne.claims.issuing import issue_credential
from insigne.claims.models import Invitation
from insigne.openbadges import proof
from insigne.openbadges.facts import CredentialFacts
from insigne.openbadges.multibase import ed25519_multikey
from insigne.verifier import fetch
from tests.personas import make_badge_class, make_mission
from tests.samples import demo_facts

ISSUED_AT = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)


def issue_ours(external_id: str = "M-VERIFY", public_id: str = "verify0001") -> Credential:
    """One of our badges, issued the way claim validation issues it."""
    mission = make_mission(external_id)
    invitation = Invitation.objects.create(mission=mission)
    make_badge_class()
    return issue_credential(invitation, ISSUED_AT, public_id=public_id)


def public_bytes(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def did_key(key: Ed25519PrivateKey) -> tuple[str, str]:
    """The ``did:key`` of ``key`` and its verification method id."""
    multikey = ed25519_multikey(public_bytes(key))
    return f"did:key:{multikey}", f"did:key:{multikey}#{multikey}"


def foreign_facts(site_url: str, **changes: Any) -> CredentialFacts:
    issuer = dataclasses.replace(demo_facts().issuer, site_url=site_url, name="Autre Émetteur")
    return dataclasses.replace(demo_facts(), issuer=issuer, **changes)


def with_issuer(document: dict[str, Any], issuer_id: str) -> dict[str, Any]:
    return document | {"issuer": document["issuer"] | {"id": issuer_id}}


def sign(document: dict[str, Any], key: Ed25519PrivateKey, method: str) -> dict[str, Any]:
    return proof.sign(document, key, method, "2026-03-02T09:30:00Z")


Route = tuple[int, str, bytes]


def json_route(document: Any, status: int = 200, content_type: str = "application/json") -> Route:
    return status, content_type, json.dumps(document).encode()


class LocalServer:
    """A web server on 127.0.0.1 serving ``routes`` (path -> status, content type, body)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[str] = []
        routes, hits = self.routes, self.hits

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                hits.append(self.path)
                status, content_type, body = routes.get(self.path, (404, "text/plain", b""))
                self.send_response(status)
                if status in (301, 302):
                    self.send_header("Location", body.decode())
                    body = b""
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.netloc = f"127.0.0.1:{self.server.server_address[1]}"
        self.base = f"http://{self.netloc}"


@contextmanager
def local_server(settings: Any) -> Iterator[LocalServer]:
    """A running ``LocalServer``, allow-listed for plain http; the fetch cache starts empty."""
    server = LocalServer()
    settings.INSIGNE_VERIFY_HTTP_HOSTS = [server.netloc]
    fetch.clear_cache()
    thread = threading.Thread(target=server.server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()
        fetch.clear_cache()
