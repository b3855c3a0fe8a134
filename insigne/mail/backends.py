"""The SMTP backend: Django's, patient with the end of the message, and honest about it.

Once the message is on the wire, the relay's final reply may take long (RFC 5321
recommends waiting 10 minutes for it): the wait is ``EMAIL_DATA_TIMEOUT``, not
``EMAIL_TIMEOUT``, so a slow relay is not sent the mail a second time. When even
that wait ends without a reply, or the connection drops, the relay may or may not
have taken the message: :class:`OutcomeUnknown` says so, and the sending task
retries it later with the same ``Message-ID`` rather than at once.
"""

from __future__ import annotations

import smtplib
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail.backends.smtp import EmailBackend

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


class SmtpBackend(EmailBackend):
    @property
    def connection_class(self) -> type[smtplib.SMTP]:
        return PatientSMTPSSL if self.use_ssl else PatientSMTP
