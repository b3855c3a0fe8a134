"""The volunteer's journey, one verb per step: invite, open, draft, decline, validate, resend.

Every write happens in one transaction, durable: a step called by mistake inside
another transaction fails loudly instead of committing with it. Mails are queued with
``queue_mail``, which only enqueues the sending task once the transaction has committed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django_tasks import task

from insigne.badges.models import Credential, Visibility
from insigne.claims import mails
from insigne.claims.issuing import (
    ClaimDetails,
    issue_credential,
    programme_class,
    sign_credential,
    store_credentials,
)
from insigne.claims.models import Invitation, InvitationLink
from insigne.claims.tokens import MAX_LIVE_LINKS, hash_token, looks_like_token, new_token
from insigne.mail.models import MailPriority, MailStatus, OutgoingMail
from insigne.mail.services import QueuedMail, needing_staff, queue_mail, queue_mails
from insigne.missions.models import Mission
from insigne.platform import audit, planner, rows
from insigne.platform.errors import CodedError

logger = logging.getLogger(__name__)


class ClaimError(CodedError):
    """A step of the journey that cannot happen, with a stable code for tests and pages."""


# --- invitations ---------------------------------------------------------------------------


def due_missions(today: dt.date) -> QuerySet[Mission]:
    """Eligible missions that ended before ``today`` and were never invited.

    With ``DAILY_INVITATIONS_ENDED_FROM`` set (the platform's opening day), the
    missions that ended before that day are left out: they are the backlog that
    backfill campaigns invite at a pace the relay accepts.
    """
    missions = Mission.objects.filter(
        eligible=True,
        actual_end_date__lt=today,
        invitation__isnull=True,
        email_undeliverable=False,
    )
    if settings.DAILY_INVITATIONS_ENDED_FROM is not None:
        missions = missions.filter(actual_end_date__gte=settings.DAILY_INVITATIONS_ENDED_FROM)
    return missions


def invite_due_missions(today: dt.date | None = None) -> int:
    """Invite every due mission once; return how many invitations were created.

    Safe to run at any time and several times a day, even concurrently: the
    one-to-one constraint on ``Invitation.mission`` makes a second invitation of
    the same mission impossible, and that mission is simply skipped. Missions are
    walked once, in id order, so a mission that cannot be invited is not retried
    in a loop.
    """
    return invite_missions(due_missions(today or timezone.localdate()))


# Missions invited per transaction: all of a batch's invitations, links and mails
# are committed together, or none of them. The invitation insert binds ten values
# per mission: keep a batch under 3,000 (SQLite binds at most 32,766 per statement).
INVITE_BATCH = 1000


def invite_missions(missions: QuerySet[Mission], limit: int | None = None) -> int:
    """Invite the missions of ``missions`` not invited yet, at most ``limit``; return how many.

    Set-based: ``INVITE_BATCH`` missions at a time, in id order, each batch one
    durable transaction that inserts the invitations (``ON CONFLICT DO NOTHING``
    on the one-to-one constraint, ``RETURNING`` the rows really inserted), their
    personal links and their mails, rendered from templates looked up once per
    batch. A crash leaves a batch all done or not started; a concurrent run
    (another worker, the cron) skips what this one invited, and only the rows an
    insert really created get a mail, so every invitation is mailed exactly once.
    A large run ends with ``ANALYZE`` of the tables it filled (PostgreSQL).
    """
    created, last_id = 0, 0
    while limit is None or created < limit:
        size = INVITE_BATCH if limit is None else min(INVITE_BATCH, limit - created)
        walk = (
            missions.filter(pk__gt=last_id, invitation__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        with walk_in_id_order():
            batch = list(walk)
        if not batch:
            break
        created += _invite_batch(batch)
        last_id = batch[-1]
    # A backfill's invitations: each one a link and a mail too.
    planner.analyze_after(created, Invitation, InvitationLink, OutgoingMail)
    return created


@contextmanager
def walk_in_id_order() -> Iterator[None]:
    """Run the invitation walk's query as a walk: missions in id order from the last
    one, each looked up in the invitations' unique index, stopping at the batch's size.

    PostgreSQL would otherwise choose by its statistics, which a backfill leaves
    behind (hundreds of thousands of invitations the planner believes are a few
    thousand): it then hashed, or read, every invitation for each batch — 170 ms a
    batch at 400,000 invitations, and growing. Hash and merge joins, sequential
    scans and parallel workers are turned off for this one query.
    """
    with planner.planned_without("hashjoin", "mergejoin", "seqscan", "parallel"):
        yield


def invite_mission(mission_id: int) -> bool:
    """Invite one mission; False when it already had its invitation."""
    return _invite_batch([mission_id]) == 1


@transaction.atomic(durable=True)
def _invite_batch(mission_ids: list[int]) -> int:
    inserted = _insert_invitations(mission_ids, timezone.now())
    if not inserted:
        return 0
    missions = Mission.objects.in_bulk([mission_id for _pk, mission_id in inserted])
    tokens = [new_token() for _ in inserted]
    InvitationLink.objects.bulk_create(
        InvitationLink(invitation_id=pk, token_hash=token_hash)
        for (pk, _mission_id), (_token, token_hash) in zip(inserted, tokens, strict=True)
    )
    pairs = [
        (missions[mission_id], token)
        for (_pk, mission_id), (token, _hash) in zip(inserted, tokens, strict=True)
    ]
    queue_mails(
        [
            QueuedMail(
                kind="invitation",
                to=mission.email,
                subject=mail.subject,
                text=mail.text,
                html=mail.html,
                related_key=f"invitation:{pk}",
                priority=MailPriority.BULK,
            )
            for (pk, _mission_id), (mission, _token), mail in zip(
                inserted, pairs, mails.invitation_mails(pairs), strict=True
            )
        ]
    )
    return len(inserted)


def _insert_invitations(mission_ids: list[int], now: dt.datetime) -> list[tuple[int, int]]:
    """Insert one invitation per mission unless it has one; ``(pk, mission_id)`` of the
    rows inserted, in mission order.

    One ``INSERT … ON CONFLICT (mission_id) DO NOTHING RETURNING`` (PostgreSQL, and
    SQLite ≥ 3.35): the conflict clause skips a mission invited by a concurrent
    run, and only what this statement inserted comes back — what Django's
    ``bulk_create(ignore_conflicts=True)`` cannot tell on every engine.
    """
    fields = [f for f in Invitation._meta.concrete_fields if not f.primary_key]
    ops = connection.ops
    table = ops.quote_name(Invitation._meta.db_table)
    columns = ", ".join(ops.quote_name(str(f.column)) for f in fields)
    mission_column = ops.quote_name(Invitation._meta.get_field("mission").column)
    stamp = ops.adapt_datetimefield_value(now)
    values: list[Any] = []
    for mission_id in mission_ids:
        for field in fields:
            if field.attname == "mission_id":
                values.append(mission_id)
            elif field.attname == "created_at":
                values.append(stamp)
            else:
                values.append(field.get_db_prep_save(field.get_default(), connection))
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # Only model metadata (quoted) goes into the text; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(mission_ids))} "  # noqa: S608
        f"ON CONFLICT ({mission_column}) DO NOTHING RETURNING id, {mission_column}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        inserted = [(int(pk), int(mission_id)) for pk, mission_id in cursor.fetchall()]
    return sorted(inserted, key=lambda pair: pair[1])


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
    # Every claim page starts here: two one-row reads written once (``platform.rows``),
    # the link's then its invitation's with the mission, as select_related reads them.
    link = rows.one(InvitationLink, "token_hash", hash_token(token), ("invitation_id",))
    invitation = None
    if link is not None:
        invitation = rows.one(Invitation, "id", link.invitation_id, _WITH_MISSION)
    if invitation is None:
        raise ClaimError("unknown_link")
    return invitation


_WITH_MISSION = (
    *(f.attname for f in Invitation._meta.concrete_fields),
    *(f"mission__{f.attname}" for f in Mission._meta.concrete_fields),
)


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


@transaction.atomic(durable=True)
def accept_claim(invitation: Invitation, visibility: Visibility = Visibility.LINK) -> None:
    """Record the volunteer's validation; the workers issue its badge (``issue_validated``).

    What the workers sign is what the invitation holds now (the record and the
    drafts the form saved), frozen by the validation date: ``save_draft`` and
    ``decline_invitation`` refuse a validated claim. One conditional UPDATE, so the
    page answers at once whatever the queue: a second submission, or a decline
    that got the row first (it locks it), leaves it unchanged and raises
    ``ClaimError``, and the page then shows the claim as it is.
    """
    _ensure_open(invitation)
    still_open = Invitation.objects.filter(
        pk=invitation.pk, validated_at=None, declined_at=None, credential=None
    )
    if not still_open.update(validated_at=timezone.now(), visibility=visibility):
        raise ClaimError("already_validated")


def to_issue(limit: int) -> QuerySet[Invitation]:
    """The next validated claims without a badge, locked, skipping those another worker holds.

    Its conditions and order are those of the partial index ``invitation_to_issue``,
    which holds the claims being issued only: PostgreSQL walks it and stops at
    ``limit`` whatever the table holds and whatever its statistics say (tested
    with the statistics of an empty table under a backfill's invitations).
    """
    return (
        Invitation.objects.filter(validated_at__isnull=False, credential__isnull=True)
        .select_related("mission")
        .order_by("validated_at", "pk")
        .select_for_update(skip_locked=True, of=("self",))[:limit]
    )


def issue_validated(limit: int | None = None) -> int:
    """Issue the badges of validated claims that have none yet, oldest first; how many.

    The workers' issuing pass (``CLAIMS_ISSUED_BY_WORKERS``), run before each mail
    pass so that the badge mails leave in it. One durable transaction: up to
    ``ISSUE_BATCH`` claims locked with ``SELECT … FOR UPDATE SKIP LOCKED`` over the
    partial index ``invitation_to_issue`` (two workers never take the same claim,
    neither waits), each signed and dated by its validation, then all stored and
    their badge mails queued in a few statements. Should that fail, each claim is
    stored in a savepoint of its own, so that one claim that cannot be issued
    (logged with its id only, tried again at the next pass) spares the others. A
    worker that dies mid-batch leaves the whole batch to the next pass;
    ``store_credentials``' conditional UPDATE and the one-to-one column still make
    a second credential impossible. The mission's eligibility is not read again:
    the volunteer validated while it held.
    """
    with transaction.atomic(durable=True):
        batch = list(to_issue(limit or settings.ISSUE_BATCH))
        if not batch:
            return 0
        badge_class = programme_class()
        signed = []
        for invitation in batch:
            assert invitation.validated_at is not None  # the query's own filter
            try:
                credential = sign_credential(
                    invitation, invitation.validated_at, badge_class=badge_class
                )
            except Exception as exc:  # noqa: BLE001 - one claim's failure spares the batch
                _not_issued(invitation, exc)
                continue
            credential.visibility = invitation.visibility
            signed.append((invitation, credential))
        try:
            with transaction.atomic():
                _store_and_mail(signed)
            return len(signed)
        except Exception as exc:  # noqa: BLE001 - tried again one by one below
            logger.warning("issuing a batch failed (%s); one claim at a time", type(exc).__name__)
        issued = 0
        for invitation, credential in signed:
            credential.pk = None  # its insert was rolled back with the batch
            try:
                with transaction.atomic():
                    _store_and_mail([(invitation, credential)])
            except Exception as exc:  # noqa: BLE001 - one claim's failure spares the batch
                _not_issued(invitation, exc)
                continue
            issued += 1
    return issued


def _store_and_mail(signed: list[tuple[Invitation, Credential]]) -> None:
    store_credentials(signed)
    queue_mails([_badge_mail(credential) for _invitation, credential in signed])


def _not_issued(invitation: Invitation, exc: Exception) -> None:
    # Type only: a database error's text may quote the volunteer's name.
    logger.error(
        "issuing the badge of invitation %s failed (%s)", invitation.pk, type(exc).__name__
    )


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
    """Queued with the credential, in its transaction."""
    queue_mails([_badge_mail(credential)])


def _badge_mail(credential: Credential) -> QueuedMail:
    """The badge's mail, ``MailPriority.REPLY``: it leaves before any backlog of invitations."""
    mail = mails.badge_mail(credential)
    return QueuedMail(
        kind="badge",
        to=credential.invitation.mission.email,  # the locked invitation, no query
        subject=mail.subject,
        text=mail.text,
        html=mail.html,
        attachments=mail.attachments,
        related_key=f"credential:{credential.pk}",
        priority=MailPriority.REPLY,
    )


# --- "je n'ai pas reçu mon invitation ou mon badge" ----------------------------------------


def request_resend(email: str) -> None:
    """Queue the resend of what exists for this address, taking the same time either way.

    The page answers the same whether the address is known or not; so that its
    timing does not tell either, the request always does one lookup and queues
    one task (with mission ids, never the address), and the mails are built and
    sent in the background.
    """
    # LOWER(email), as the index ``mission_email_lower_idx`` is (``iexact`` is UPPER()).
    mission_ids = list(
        Mission.objects.alias(address=Lower("email"))
        .filter(address=email.strip().lower())
        .values_list("pk", flat=True)
    )
    transaction.on_commit(partial(resend_missions.enqueue, mission_ids))


@task()
def resend_missions(mission_ids: list[int]) -> int:
    """Mail again what exists for these missions; the ids, not the address, travel.

    A mission with nothing to send (declined, interrupted, still running, too
    short, not invited yet, badge revoked) gets a mail that says why, and the
    way back when there is one: the volunteer who asked learns it, while the
    page said the same as for any address.
    """
    sent = 0
    for mission in Mission.objects.filter(pk__in=mission_ids):
        if resend_for_mission(mission):
            sent += 1
        else:
            sent += explain_nothing_to_send(mission)
    return sent


BADGE, INVITATION = "badge", "invitation"


def what_to_resend(mission: Mission) -> str:
    """``"badge"``, ``"invitation"`` or ``""``: what ``resend_for_mission`` would mail now."""
    invitation = Invitation.objects.filter(mission=mission).select_related("credential").first()
    if invitation is None or invitation.declined_at is not None:
        return ""
    credential = invitation.credential
    if credential is not None:
        return "" if credential.revoked_at is not None else BADGE
    return INVITATION if mission.eligible and invitation.validated_at is None else ""


def resend_for_mission(mission: Mission, *, actor: object = None) -> bool:
    """Mail again the badge, or a fresh invitation link; False when there is nothing to send.

    A pending invitation gets one more link (only hashes are stored, so an old
    one cannot be sent again); the links already sent keep working, so whoever
    asks for a resend never kills the volunteer's link. Declined invitations stay
    declined, a revoked badge is never mailed as valid (a corrected one is: the
    invitation leads to it), a claim validated but not signed yet gets its badge
    mail once the workers sign it, and a mission never invited is left to the daily
    run. ``actor`` (staff) writes the resend to the audit log.
    """
    with transaction.atomic(durable=True):
        invitation = Invitation.objects.select_for_update().filter(mission=mission).first()
        if invitation is None or invitation.declined_at is not None:
            return False
        credential = Credential.objects.filter(invitation=invitation).first()
        if credential is not None:
            if credential.revoked_at is not None:
                return False
            _queue_badge_mail(credential)
            sent = BADGE
        elif not mission.eligible or invitation.validated_at is not None:
            return False  # (validated: the workers sign it, and its mail follows)
        else:
            _queue_invitation_mail(invitation, add_link(invitation), MailPriority.REPLY)
            sent = INVITATION
        if actor is not None:
            audit.record(
                actor,
                "resend",
                f"mission:{mission.pk}",
                {},
                {"courriel": sent},
                mission_id=mission.pk,
            )
        return True


def explain_nothing_to_send(mission: Mission) -> bool:
    """Mail why nothing can be sent for ``mission`` (and the way back); False if not needed."""
    with transaction.atomic(durable=True):
        invitation = Invitation.objects.select_for_update().filter(mission=mission).first()
        token = ""
        if invitation is not None and invitation.declined_at is not None:
            case = "declined"
            token = add_link(invitation)  # opens "Finalement, je veux mon badge"
        elif invitation is not None and invitation.credential_id is not None:
            case = "revoked"
        elif not mission.eligible:
            case = mission.ineligibility_reason or "not_eligible"
        elif invitation is None:
            case = "not_invited_yet"
        else:
            return False
        mail = mails.explanation_mail(mission, case, token)
        queue_mail(
            kind="explanation",
            to=mission.email,
            subject=mail.subject,
            text=mail.text,
            html=mail.html,
            related_key=f"mission:{mission.pk}",
        )
    return True


def reopen_declined(mission: Mission, *, actor: object) -> bool:
    """Support brings back a volunteer who declined: reopen, and mail a fresh link.

    False when the mission has no declined invitation. The links already sent
    open the form again too.
    """
    with transaction.atomic(durable=True):
        invitation = Invitation.objects.select_for_update().filter(mission=mission).first()
        if invitation is None or invitation.declined_at is None:
            return False
        declined_at = invitation.declined_at
        Invitation.objects.filter(pk=invitation.pk).update(declined_at=None)
        invitation.declined_at = None
        _queue_invitation_mail(invitation, add_link(invitation), MailPriority.REPLY)
        audit.record(
            actor,
            "reopen_claim",
            f"invitation:{invitation.pk}",
            {"refusé le": declined_at.isoformat(timespec="seconds")},
            {"refusé le": None, "courriel": INVITATION},
            mission_id=mission.pk,
        )
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
def change_address(mission: Mission, email: str, *, actor: object = None) -> None:
    """Support fixes a volunteer's address: later mails go there, bounces are forgotten.

    Written to the audit log (old and new address), by ``actor`` or a script.
    """
    before = Mission.objects.select_for_update().values("email", "email_undeliverable")
    old = before.get(pk=mission.pk)
    # The digest of the import row goes: the next import compares that row in full,
    # and the Agency's file, when it says otherwise, wins as it always did.
    Mission.objects.filter(pk=mission.pk).update(
        email=email, email_undeliverable=False, import_digest=None
    )
    mission.email, mission.email_undeliverable = email, False
    audit.record(
        actor,
        "change_address",
        f"mission:{mission.pk}",
        {"adresse": old["email"], "en échec": old["email_undeliverable"]},
        {"adresse": email, "en échec": False},
        mission_id=mission.pk,
    )
