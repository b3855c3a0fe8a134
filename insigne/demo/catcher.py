"""A local SMTP server for the demo: every message it receives becomes a ``CaughtMail``.

It accepts any sender and recipient and relays nothing; the demo page
``/demo/courriels/`` shows what it caught, links included, so the whole
journey can be followed without a real mailbox.
"""

from __future__ import annotations

import asyncio
import email
import logging
from email.policy import default as default_policy
from typing import Any

from aiosmtpd.controller import Controller
from django.db import close_old_connections

from insigne.mail.models import CaughtMail

logger = logging.getLogger(__name__)


def store_message(envelope_from: str, envelope_to: list[str], raw: bytes) -> CaughtMail:
    message = email.message_from_bytes(raw, policy=default_policy)
    caught = CaughtMail.objects.create(
        envelope_from=envelope_from,
        envelope_to=", ".join(envelope_to),
        subject=str(message.get("Subject", ""))[:300],
        raw=raw,
    )
    logger.info("demo catcher: mail %s stored", caught.pk)
    return caught


def _store_in_thread(envelope_from: str, envelope_to: list[str], raw: bytes) -> None:
    # Runs in a worker thread of the executor: the ORM is synchronous only, and
    # that thread keeps its own connection, checked like a request would.
    close_old_connections()
    try:
        store_message(envelope_from, envelope_to, raw)
    finally:
        close_old_connections()


class CatcherHandler:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        await asyncio.to_thread(
            _store_in_thread, envelope.mail_from or "", list(envelope.rcpt_tos), bytes(raw)
        )
        return "250 Message accepted for delivery"


def start_catcher(host: str = "127.0.0.1", port: int = 1025) -> Controller:
    """Start the catcher in a background thread; call ``.stop()`` on the result."""
    # aiosmtpd logs every SMTP command, addresses included, at INFO.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    controller = Controller(CatcherHandler(), hostname=host, port=port)
    controller.start()
    logger.info("demo SMTP catcher listening on %s:%s", host, port)
    return controller
