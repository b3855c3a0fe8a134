"""The SMTP backend: Django's, patient with the end of the message, and honest about it.

Once the message is on the wire, the relay's final reply may take long (RFC 5321
recommends waiting 10 minutes for it): the wait is ``EMAIL_DATA_TIMEOUT``, not
``EMAIL_TIMEOUT``, so a slow relay is not sent the mail a second time. When even
that wait ends without a reply, or the connection drops, the relay may or may not
have taken the message: :class:`OutcomeUnknown` says so, and the sending task
retries it later with the same ``Message-ID`` rather than at once.

The queued mails (:class:`OutgoingMessage`: a text part, an optional HTML
alternative, attachments, our own headers) are written to the wire by
:func:`render` rather than by the ``email`` package Django uses, which costs
most of a mail's CPU in a batch (header folding, address parsing): the same
message, MIME-wise, in a tenth of the time. Any other message (e.g. account
mails) goes through Django's own serialisation, and so does an ``OutgoingMessage``
given to another backend (the in-memory one of tests, the console).
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
import secrets
import smtplib
from email.header import Header
from email.utils import encode_rfc2231, formatdate
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend
from django.core.mail.message import sanitize_address

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer


class OutcomeUnknown(smtplib.SMTPException):
    """The message was sent but its final reply never came."""


class _PatientData:
    """Mixin for ``smtplib.SMTP``: a longer timeout once the message itself is sent."""

    sock: Any
    timeout: float
    _sending_data = False
    _message_sent = False

    def data(self, msg: Any) -> tuple[int, bytes]:
        self._sending_data, self._message_sent = True, False
        try:
            reply: tuple[int, bytes] = super().data(msg)  # type: ignore[misc]
            return reply
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            if self._message_sent:
                raise OutcomeUnknown(f"pas de réponse après l'envoi du message ({exc})") from exc
            raise
        finally:
            self._sending_data = False
            if self.sock is not None:
                self.sock.settimeout(self.timeout)

    def send(self, s: ReadableBuffer | str) -> None:
        # In DATA, the command goes as text and the message as bytes (smtplib.SMTP.data).
        if self._sending_data and not isinstance(s, str):
            self._message_sent = True
            if self.sock is not None:
                self.sock.settimeout(max(settings.EMAIL_DATA_TIMEOUT, self.timeout or 0))
        super().send(s)  # type: ignore[misc]


class PatientSMTP(_PatientData, smtplib.SMTP):
    pass


class PatientSMTPSSL(_PatientData, smtplib.SMTP_SSL):
    pass


class OutgoingMessage(EmailMultiAlternatives):
    """A queued mail: only ``to``, a body, an HTML alternative, attachments, headers."""


# An address that needs neither quoting nor IDNA: written as it is.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+")
_UNSAFE_HEADER = re.compile(r"[\r\n]")


@functools.lru_cache(maxsize=16)
def _sanitized(address: str) -> str:
    return sanitize_address(address, "utf-8")


def _address(address: str) -> str:
    return address if _PLAIN_ADDRESS.fullmatch(address) else _sanitized(address)


def _header(name: str, value: str) -> bytes:
    if _UNSAFE_HEADER.search(value):
        raise BadHeaderError(f"Header values can't contain newlines (got {name})")
    if value.isascii() and len(value) < 900:
        return f"{name}: {value}\r\n".encode("ascii")
    folded = Header(value, "utf-8", header_name=name).encode(linesep="\r\n")
    return f"{name}: {folded}\r\n".encode("ascii")


def _text_part(text: str, subtype: str) -> bytes:
    body = binascii.b2a_qp(text.replace("\r\n", "\n").encode("utf-8"), istext=True)
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\n'
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
    ).encode("ascii") + body.replace(b"\n", b"\r\n")


def _attachment_part(filename: str, content: bytes | str, mimetype: str) -> bytes:
    data = content.encode("utf-8") if isinstance(content, str) else content
    name = filename if filename.isascii() else encode_rfc2231(filename, "utf-8")
    quoted = f'"{name}"' if filename.isascii() else name
    star = "" if filename.isascii() else "*"
    return (
        f"Content-Type: {mimetype}\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        f"Content-Disposition: attachment; filename{star}={quoted}\r\n\r\n"
    ).encode("ascii") + base64.encodebytes(data).replace(b"\n", b"\r\n")


def _multipart(subtype: str, parts: list[bytes]) -> bytes:
    # "=_" never occurs in quoted-printable or base64 text: the boundary cannot clash.
    boundary = f"=_{secrets.token_hex(12)}"
    separator = f"\r\n--{boundary}\r\n".encode("ascii")
    head = f'Content-Type: multipart/{subtype}; boundary="{boundary}"\r\n\r\n'.encode("ascii")
    return head + separator[2:] + separator.join(parts) + f"\r\n--{boundary}--\r\n".encode()


def render(message: OutgoingMessage) -> tuple[str, list[str], bytes]:
    """The envelope sender, the recipients and the bytes of the message, CRLF-ended lines."""
    sender = _sanitized(message.from_email)
    recipients = [_address(address) for address in message.to]
    head = b"".join(
        [
            _header("From", sender),
            _header("To", ", ".join(recipients)),
            _header("Subject", str(message.subject)),
            _header("Date", formatdate(localtime=settings.EMAIL_USE_LOCALTIME)),
            *(_header(name, value) for name, value in message.extra_headers.items()),
            b"MIME-Version: 1.0\r\n",
        ]
    )
    body = _text_part(str(message.body), message.content_subtype)
    html = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    if html:
        body = _multipart("alternative", [body, _text_part(str(html[0]), "html")])
    if message.attachments:
        parts = [_attachment_part(*attachment) for attachment in message.attachments]
        body = _multipart("mixed", [body, *parts])
    return sender, recipients, head + body


class SmtpBackend(EmailBackend):
    @property
    def connection_class(self) -> type[smtplib.SMTP]:
        return PatientSMTPSSL if self.use_ssl else PatientSMTP

    def _send(self, email_message: EmailMessage) -> bool:
        simple = not (email_message.cc or email_message.bcc or email_message.reply_to) and all(
            isinstance(attachment, tuple) for attachment in email_message.attachments
        )
        if type(email_message) is not OutgoingMessage or not simple:
            return bool(super()._send(email_message))  # type: ignore[misc]
        if not email_message.to or self.connection is None:
            return False
        sender, recipients, data = render(email_message)
        try:
            self.connection.sendmail(sender, recipients, data)
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True
