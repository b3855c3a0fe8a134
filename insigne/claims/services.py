"""The volunteer's journey, one verb per step: invite, open, draft, decline, validate, resend.

Every write happens in one transaction, durable: a step called by mistake inside
another transaction fails loudly instead of committing with it. Mails are queued with
``queue_mail``, which only enqueues the sending task once the transaction has committed.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import task

from insigne.badges.models import Credential, Visibility
from insigne.claims import mails
from insigne.claims.issuing import ClaimDetails, issue_credential
from insigne.claims.models import Invitation, InvitationLink
from insigne.claims.tokens import MAX_LIVE_LINKS, hash_token, looks_like_token, new_token
from insigne.mail.models import MailPriority, MailStatus, OutgoingMail
from insigne.mail.services import needing_staff, queue_mail
from insigne.missions.models import Mission
from insigne.platform.errors import CodedError

logger = logging.getLogger(__name__)


class ClaimError(CodedError):
    """A step of the journey that cannot happen, with a stable code for tests and pages."""


# --- invitations ---------------------------------------------------------------------------


def due_missions(today: dt.date) -> QuerySet[Mission]:
    """Eligible missions that ended before ``today`` and were never invited."""
    return Mission.objects.filter(
        eligible=True,
        actual_end_date__lt=today,
        invitation__isnull=True,
        email_undeliverable=False,
    )


def invite_due_missions(today: dt.date | None = None) -> int:
    """Invite every due mission once; return how many invitations were created.

    Safe to run at any time and several times a day, even concurrently: the
    one-to-one constraint on ``Invitation.mission`` makes a second invitation of
    the same mission fail, and that mission is simply skipped. Missions are
    walked once, in id order, so a mission that cannot be invited is not retried
    in a loop.
    """
    today = today or timezone.localdate()
    created, last_id = 0, 0
    while True:
        batch = list(
            due_missions(today)
            .filter(pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", flat=True)[:500]
        )
        if not batch:
            return created
        for mission_id in batch:
            created += invite_mission(mission_id)
        last_id = batch[-1]


def invite_mission(mission_id: int) -> bool:
    try:
        with transaction.atomic(durable=True):
            invitation = Invitation.objects.create(mission_id=mission_id)
            _queue_invitation_mail(invitation, add_link(invitation))
    except IntegrityError:
        return False  # invited meanwhile by another run
    return True


def add_link(invitation: Invitation) -> str:
    """A new personal link for ``invitation``; return its token (for the mail only).

    The links already sent stay live; only beyond ``MAX_LIVE_LINKS`` does the
    oldest go. Call it inside the transaction that queues the mail.
    """
    token, token_hash = new_token()
    InvitationLink.objects.create(invitation=invitation, token_hash=token_hash)
    keep = invitation.links.order_by("-created_at", "-pk").values_list("pk", flat=True)
    invitation.links.exclude(pk__in=list(keep[:MAX_LIVE_LINKS])).delete()
    return token


def _queue_invitation_mail(
    invitation: Invitation, token: str, priority: int = MailPriority.BULK
) -> None:
    """The invitation's mail: bulk for the daily run, a reply when the volunteer asked."""
    mail = mails.invitation_mail(invitation, token)
    queue_mail(
        kind="invitation",
        to=invitation.mission.email,
        subject=mail.subject,
        text=mail.text,
        html=mail.html,
        related_key=f"invitation:{invitation.pk}",
        priority=priority,
    )


# --- the claim -----------------------------------------------------------------------------


def find_invitation(token: str) -> Invitation:
    """The invitation of a personal link, or ``ClaimError("unknown_link")``."""
    if not looks_like_token(token):
        raise ClaimError("unknown_link")
    invitation = (
        Invitation.objects.select_related("mission")
        .filter(links__token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise ClaimError("unknown_link")
    return invitation


@transaction.atomic(durable=True)
def mark_opened(invitation: Invitation) -> None:
    if invitation.opened_at is None:
        Invitation.objects.filter(pk=invitation.pk, opened_at=None).update(opened_at=timezone.now())


@transaction.atomic(durable=True)
def save_draft(invitation: Invitation, details: ClaimDetails) -> None:
    _ensure_open(invitation)
    Invitation.objects.filter(pk=invitation.pk, validated_at=None).update(
        draft_given_name=details.given_name,
        draft_family_name=details.family_name,
        draft_host_name=details.host_name,
    )


@transaction.atomic(durable=True)
def decline_invitation(invitation: Invitation) -> None:
    """The volunteer does not want the badge (FAQ §14): the link stops working.

    Serialised with ``validate_claim`` on the invitation row, so a decline and a
    validation sent at the same moment end with one of them, never both.
    """
    current = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if current.validated_at is not None:
        raise ClaimError("already_validated")
    if current.declined_at is None:
        current.declined_at = timezone.now()
        current.save(update_fields=["declined_at"])


@transaction.atomic(durable=True)
def reopen_invitation(invitation: Invitation) -> None:
    """The volunteer changed their mind after declining."""
    Invitation.objects.filter(pk=invitation.pk).update(declined_at=None)


def _ensure_open(invitation: Invitation) -> None:
    if invitation.validated_at is not None:
        raise ClaimError("already_validated")
    if invitation.declined_at is not None:
        raise ClaimError("declined")
    if not invitation.mission.eligible:
        # The Agency corrected the record after the invitation (e.g. an early end).
        raise ClaimError("not_eligible")


def validate_claim(invitation: Invitation, visibility: Visibility = Visibility.LINK) -> Credential:
    """Issue the credential of this invitation exactly once and queue the badge mail.

    ``visibility`` is the volunteer's choice for the badge page, made at validation;
    a second submission gets the badge as the first one left it.

    Concurrent submissions serialise on the invitation row (``SELECT … FOR
    UPDATE`` on PostgreSQL, the immediate write lock on SQLite); the loser finds
    the credential already there and gets it back. Attaching the credential only
    to an invitation that has none (``issue_credential``) is the last line of defence.
    """
    try:
        with transaction.atomic(durable=True):
            locked = Invitation.objects.select_for_update(of=("self",)).select_related("mission")
            invitation = locked.get(pk=invitation.pk)
            if invitation.credential_id is not None:
                return Credential.objects.get(pk=invitation.credential_id)
            _ensure_open(invitation)
            # One INSERT and one conditional UPDATE (credential and validation date):
            # the visibility is stored with the credential, not set afterwards.
            credential = issue_credential(invitation, timezone.now(), visibility=visibility)
            _queue_badge_mail(credential)
            return credential
    except IntegrityError:
        return Credential.objects.get(invitation__pk=invitation.pk)


def _queue_badge_mail(credential: Credential) -> None:
    """Queued with the credential, in its transaction; ``MailPriority.REPLY`` by default,
    so it leaves before any backlog of invitations."""
    mail = mails.badge_mail(credential)
    queue_mail(
        kind="badge",
        to=credential.invitation.mission.email,  # the locked invitation, no query
        subject=mail.subject,
        text=mail.text,
        html=mail.html,
        attachments=mail.attachments,
        related_key=f"credential:{credential.pk}",
    )


# --- "je n'ai pas reçu mon invitation ou mon badge" ----------------------------------------


def request_resend(email: str) -> None:
    """Queue the resend of what exists for this address, taking the same time either way.

    The page answers the same whether the address is known or not; so that its
    timing does not tell either, the request always does one lookup and queues
    one task (with mission ids, never the address), and the mails are built and
    sent in the background.
    """
    mission_ids = list(
        Mission.objects.filter(email__iexact=email.strip()).values_list("pk", flat=True)
    )
    transaction.on_commit(partial(resend_missions.enqueue, mission_ids))


@task()
def resend_missions(mission_ids: list[int]) -> int:
    """Mail again what exists for these missions; the ids, not the address, travel."""
    return sum(
        resend_for_mission(mission) for mission in Mission.objects.filter(pk__in=mission_ids)
    )


def resend_for_mission(mission: Mission) -> bool:
    """Mail again the badge, or a fresh invitation link; False when there is nothing to send.

    A pending invitation gets one more link (only hashes are stored, so an old
    one cannot be sent again); the links already sent keep working, so whoever
    asks for a resend never kills the volunteer's link. Declined invitations stay
    declined, and a mission never invited is left to the daily run.
    """
    with transaction.atomic(durable=True):
        invitation = Invitation.objects.select_for_update().filter(mission=mission).first()
        if invitation is None or invitation.declined_at is not None:
            return False
        credential = Credential.objects.filter(invitation=invitation).first()
        if credential is not None:
            _queue_badge_mail(credential)
            return True
        _queue_invitation_mail(invitation, add_link(invitation), MailPriority.REPLY)
        return True


def mission_of(mail: OutgoingMail) -> Mission | None:
    """The mission a journey mail was about (invitation or badge), if any."""
    invitation_id = mail.related_id("invitation")
    if invitation_id is not None:
        return Mission.objects.filter(invitation__pk=invitation_id).first()
    credential_id = mail.related_id("credential")
    if credential_id is not None:
        return Mission.objects.filter(invitation__credential__pk=credential_id).first()
    return None


def resend_given_up_mail(limit: int = 1000) -> int:
    """Staff's one action on the banner: every given-up or refused journey mail goes again.

    Their bodies are erased when they are given up, so the mail is built anew
    (``resend_for_mission``: the badge, or a fresh link); an address refused
    before is tried again as it now stands (support may have corrected it).
    Each mail is marked handled, and leaves the banner; return how many went.
    """
    resent = 0
    for mail in needing_staff().order_by("pk")[:limit]:
        mission = mission_of(mail)
        if mission is not None:
            if mail.status == MailStatus.UNDELIVERABLE:
                Mission.objects.filter(pk=mission.pk).update(email_undeliverable=False)
            # Its own durable transaction; a crash before the mark below leaves the
            # mail on the banner, and a second click sends it once more at worst.
            resent += resend_for_mission(mission)
        OutgoingMail.objects.filter(pk=mail.pk).update(handled_at=timezone.now())
    logger.info("staff resent %d given-up mails", resent)
    return resent


@transaction.atomic(durable=True)
def change_address(mission: Mission, email: str) -> None:
    """Support fixes a volunteer's address: later mails go there, bounces are forgotten."""
    Mission.objects.filter(pk=mission.pk).update(email=email, email_undeliverable=False)
    mission.email, mission.email_undeliverable = email, False
