"""How long personal data is kept, enforced: the periods the privacy notice states.

Run daily (``purge_personal_data``; the worker started with ``--daily-invitations``
runs it with the invitations). Each period is a setting, in days:

* ``INSIGNE_MAIL_TRACE_DAYS`` (365): the trace of a mail that is done with (sent,
  given up, refused: recipient, subject, outcome; its body was already erased when it
  left) is deleted this long after it was created. A mail still being sent is kept.
* ``INSIGNE_UNINVITED_MISSION_DAYS`` (730): a mission record that never led to an
  invitation (too short, interrupted early) is deleted this long after its end. A
  record with an invitation stays: it is how a badge is found again (resend,
  Synchroniser) and the badge's page names it; it goes with the badge on request.
* ``INSIGNE_UNPROVEN_ACCOUNT_DAYS`` (7): a Passport account none of whose addresses
  was ever proven (the proof link lasts 3 days) is deleted with what it holds.

Issued credentials never expire and are never purged (FAQ §11); rate-limit counters
are deleted as soon as their window is over (``platform.ratelimit``), wallet offers a
day after they expired (``passport.wallet``); a Passport
account that is used is kept until its owner deletes it.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from insigne.mail.models import MailStatus, OutgoingMail
from insigne.missions.models import Mission
from insigne.passport import keeping, wallet

logger = logging.getLogger(__name__)

DONE = (MailStatus.SENT, MailStatus.FAILED, MailStatus.UNDELIVERABLE)


@dataclass(frozen=True)
class Purged:
    mails: int
    missions: int
    accounts: int
    offers: int = 0


def purge(now: dt.datetime | None = None) -> Purged:
    now = now or timezone.now()
    mail_limit = now - dt.timedelta(days=settings.INSIGNE_MAIL_TRACE_DAYS)
    mails, _ = OutgoingMail.objects.filter(status__in=DONE, created_at__lt=mail_limit).delete()

    mission_limit = timezone.localdate(now) - dt.timedelta(
        days=settings.INSIGNE_UNINVITED_MISSION_DAYS
    )
    missions, _ = (
        Mission.objects.alias(ended=Coalesce("actual_end_date", "planned_end_date"))
        .filter(ended__lt=mission_limit, invitation__isnull=True)
        .delete()
    )

    account_limit = now - dt.timedelta(days=settings.INSIGNE_UNPROVEN_ACCOUNT_DAYS)
    addresses = EmailAddress.objects.filter(user_id=OuterRef("pk"))
    unproven = User.objects.filter(  # Passport accounts only: staff have no such address
        Exists(addresses),
        ~Exists(addresses.filter(verified=True)),
        ~Q(is_staff=True) & ~Q(is_superuser=True),
        date_joined__lt=account_limit,
    )
    accounts = 0
    for user in unproven.iterator():
        keeping.delete_account(user)
        accounts += 1
    offers = wallet.purge_offers(now)
    logger.info(
        "retention: %d mails, %d missions, %d accounts, %d wallet offers deleted",
        mails,
        missions,
        accounts,
        offers,
    )
    return Purged(mails, missions, accounts, offers)
