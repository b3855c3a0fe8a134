"""The mail pump: a worker sends queued mail in batches over one SMTP connection.

With the database task backend (production, the demo, the fault test), mail does
not travel as one task per mail: every worker runs this pump between its task
passes. It reads up to ``MAIL_BATCH`` sendable mails at a time — journey replies
first (the badge, a resent link: ``MailPriority.REPLY``), bulk invitations after —
and sends them over one SMTP connection kept open from mail to mail and from
batch to batch (closed after an error and reopened for the next mail; a relay that
drops an idle connection is simply reconnected).

Each mail is still claimed alone, by the conditional update that gives it its
lease, right before it is sent (a batch read ahead is only a list of candidates:
a slow mail cannot make the next one's lease run out), sent with its own
``Message-ID`` and recorded alone. The delivery guarantee and its one window are
those of ``insigne.mail.tasks``. ``MAIL_RATE_PER_HOUR`` caps what all workers
together send in any rolling hour, so a relay's own limit is respected.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from insigne.mail.models import MailStatus, OutgoingMail
from insigne.mail.tasks import _close_quietly, claim, deliver, sendable

logger = logging.getLogger(__name__)


class Pump:
    """One worker's sender: its SMTP connection lives as long as the pump."""

    def __init__(self) -> None:
        self.connection: BaseEmailBackend | None = None

    def candidates(self, limit: int) -> list[int]:
        """Ids of sendable mails, most urgent first, oldest first within a priority."""
        due = OutgoingMail.objects.filter(sendable(timezone.now()))
        return list(due.order_by("priority", "pk").values_list("pk", flat=True)[:limit])

    def allowance(self) -> int:
        """How many mails may leave now under ``MAIL_RATE_PER_HOUR`` (0: no cap)."""
        rate = settings.MAIL_RATE_PER_HOUR
        batch = settings.MAIL_BATCH
        if not rate:
            return batch
        hour_ago = timezone.now() - dt.timedelta(hours=1)
        sent = OutgoingMail.objects.filter(status=MailStatus.SENT, sent_at__gte=hour_ago).count()
        return max(0, min(batch, rate - sent))

    def run_once(self, stopping: Callable[[], bool] = lambda: False) -> int:
        """Send what is due, one batch at most; return how many mails were tried.

        ``stopping`` is asked between two mails: a worker told to stop finishes the
        mail it is sending, never starts the next.
        """
        tried = 0
        for mail_id in self.candidates(self.allowance()):
            if stopping():
                break
            mail = claim(mail_id)
            if mail is None:
                continue  # another worker took it meanwhile
            if self.connection is None:
                self.connection = get_connection()
            outcome = deliver(mail, self.connection)
            tried += 1
            if outcome != "sent":
                self.close()  # deliver closed it; start the next mail afresh
        return tried

    def close(self) -> None:
        if self.connection is not None:
            _close_quietly(self.connection)
            self.connection = None
