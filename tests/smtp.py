"""``smtp_server``: a real SMTP server (aiosmtpd) for tests, with Django pointed at it.

Usage (the plugin is loaded by ``tests/conftest.py``)::

    def test_it_mails_the_badge(smtp_server, ...):
        do_something_that_sends_mail()
        [message] = smtp_server.wait_for(1)          # no sleep: waits on a condition
        assert message["To"] == "camille@exemple.test"
        assert message.get_body(("plain",)).get_content().startswith("Bonjour")

The fixture yields an :class:`SmtpServer`:

* ``messages`` — every message received, parsed as ``email.message.EmailMessage``
  (``email.policy.default``), in arrival order; ``envelopes`` holds
  ``(mail_from, [rcpt_to, ...])`` for each, ``peers`` the client address it came
  from (distinct peers: distinct SMTP connections).
* ``wait_for(count, timeout=5)`` — block until ``count`` messages arrived and
  return them; fails the test after ``timeout`` seconds.
* ``reply_to_rcpt(*replies)`` / ``reply_to_data(*replies)`` — answer the next
  RCPT TO / DATA commands with these replies instead of accepting, one per
  command, e.g. ``smtp_server.reply_to_rcpt("451 4.7.1 Try again later")`` or
  ``"550 5.1.1 No such user"``; afterwards the server accepts again.
* ``answer_data_late(*seconds)`` — the next messages are received (they count
  in ``messages``) but the final "250" to each comes that many seconds later,
  as a slow relay does; ``late_peers`` holds the client addresses waiting for such
  a reply.
* ``host``, ``port``.

Django's settings are switched for the test: SMTP backend, that host and port,
no TLS, no authentication. Tasks still run as the test settings say
(immediately), so mail queued with ``insigne.mail.services.queue_mail`` reaches
this server once the transaction commits (use ``transactional_db`` or
``django_capture_on_commit_callbacks(execute=True)``).
"""

from __future__ import annotations

import asyncio
import email
import socket
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller


class SmtpServer:
    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._rcpt_replies: list[str] = []
        self._data_replies: list[str] = []
        self._data_delays: list[float] = []
        self.late_peers: list[tuple[str, int]] = []
        # The client address of each message: one per SMTP connection used.
        self.peers: list[tuple[str, int]] = []
        self._condition = threading.Condition()

    def reply_to_rcpt(self, *replies: str) -> None:
        with self._condition:
            self._rcpt_replies.extend(replies)

    def reply_to_data(self, *replies: str) -> None:
        with self._condition:
            self._data_replies.extend(replies)

    def answer_data_late(self, *seconds: float) -> None:
        with self._condition:
            self._data_delays.extend(seconds)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[EmailMessage]:
        with self._condition:
            arrived = self._condition.wait_for(lambda: len(self.messages) >= count, timeout)
            if not arrived:
                pytest.fail(f"expected {count} messages, got {len(self.messages)} in {timeout}s")
            return list(self.messages)

    # aiosmtpd handler hooks (run in the server's thread)
    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        reply = self._next_reply(self._rcpt_replies)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        reply = self._next_reply(self._data_replies)
        if reply:
            return reply
        raw = bytes(envelope.original_content or envelope.content)
        message = email.message_from_bytes(raw, policy=default_policy)
        with self._condition:
            self.messages.append(message)  # type: ignore[arg-type]
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.peers.append(session.peer)
            self._condition.notify_all()
            delay = self._data_delays.pop(0) if self._data_delays else 0.0
        if delay:
            with self._condition:
                self.late_peers.append(session.peer)
            await asyncio.sleep(delay)
            with self._condition:
                self.late_peers.remove(session.peer)
        return "250 Message accepted"

    def _next_reply(self, replies: list[str]) -> str | None:
        with self._condition:
            return replies.pop(0) if replies else None


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpServer]:
    host = "127.0.0.1"
    server = SmtpServer(host, free_port(host))
    controller = Controller(server, hostname=host, port=server.port)
    controller.start()
    settings.EMAIL_BACKEND = "insigne.mail.backends.SmtpBackend"
    settings.EMAIL_HOST = host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield server
    finally:
        controller.stop()
