"""Outcomes of outgoing mail, for the apps that queued them.

Receivers get ``sender=OutgoingMail`` and ``mail=<OutgoingMail>``; they read
``mail.kind`` and ``mail.related_key`` (see ``OutgoingMail.related_id``) to find
their own object, e.g. mark a mission's address as undeliverable.

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
