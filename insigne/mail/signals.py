"""Outcomes of outgoing mail, for the apps that queued them.

Receivers get ``sender=OutgoingMail`` and ``mails=[<OutgoingMail>, …]``: the
workers' pump announces the mails of a batch at once, so that a receiver can
record them with one query; they read ``mail.kind`` and ``mail.related_key``
(see ``OutgoingMail.related_id``) to find their own object, e.g. mark a
mission's address as undeliverable. The outcome is already committed on each
mail's row when the signal is sent; a worker killed in between leaves the
receivers' side (e.g. an invitation's "sent on") unrecorded for that batch.

* ``mail_sent`` — the relay accepted the message.
* ``mail_undeliverable`` — the relay refused it for good (5xx on the recipient
  or the message): the address should not be tried again as is.
* ``mail_failed`` — temporary failures until the last retry: nothing says the
  address is wrong, but the mail did not leave.
"""

from django.dispatch import Signal

mail_sent = Signal()
mail_undeliverable = Signal()
mail_failed = Signal()
