"""Backfill campaigns: invite the missions of a period at a pace the mail relay accepts.

A campaign targets the eligible missions that ended within its period (end
dates, both included), were never invited and whose address is not known to
bounce. Staff see how many that is, then start, pause and resume it.

**Throttle at the source.** Every pass of a worker calls :func:`tick`. For each
running campaign it opens an hour window (``window_start``; the next window
opens one hour later) and invites at most what is left of that window's
allowance (``per_hour``), at most ``TICK_BATCH`` per pass so other work
interleaves. The allowance is *reserved* in the database before inviting and the
unused part given back afterwards: a worker that dies in between leaves the hour
with fewer invitations, never more. A lease on the row (``lease_until``) keeps two
workers from ticking the same campaign at once.

**Never twice.** Invitations go through ``insigne.claims.services.invite_missions``,
which invites only missions without an invitation, and the database allows one
invitation per mission: a campaign, the daily run and another campaign over the
same period can run together and still invite each mission once.

**Restarts.** Everything is in the campaign's row; a worker that starts picks up
the running campaigns where they stand. A campaign finishes when nothing is left
to invite in its period.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from insigne.claims.services import invite_missions
from insigne.missions.models import Mission
from insigne.platform.errors import CodedError
from insigne.programme.models import Campaign, CampaignStatus

logger = logging.getLogger(__name__)

WINDOW = dt.timedelta(hours=1)
TICK_BATCH = 500  # invitations one pass makes for one campaign, at most
LEASE = dt.timedelta(minutes=10)  # longer than a pass of TICK_BATCH invitations


class CampaignError(CodedError):
    """A campaign action that does not fit its state (stable code, French sentence)."""


def missions_of(ended_from: dt.date, ended_until: dt.date) -> QuerySet[Mission]:
    """The missions a campaign over this period would invite, as of now."""
    return Mission.objects.filter(
        eligible=True,
        actual_end_date__gte=ended_from,
        actual_end_date__lte=ended_until,
        actual_end_date__lt=timezone.localdate(),
        invitation__isnull=True,
        email_undeliverable=False,
    )


def remaining(campaign: Campaign) -> QuerySet[Mission]:
    return missions_of(campaign.ended_from, campaign.ended_until)


def start(campaign: Campaign) -> None:
    """Draft → running; ``planned`` keeps how many missions there were to invite."""
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status != CampaignStatus.DRAFT:
            raise CampaignError("campaign_not_draft")
        locked.planned = remaining(locked).count()
        locked.status = CampaignStatus.RUNNING
        locked.started_at = timezone.now()
        locked.save(update_fields=["planned", "status", "started_at"])
    campaign.refresh_from_db()
    logger.info("campaign %s started (%d missions)", campaign.pk, campaign.planned)


def pause(campaign: Campaign) -> None:
    if not _move(campaign, CampaignStatus.RUNNING, CampaignStatus.PAUSED):
        raise CampaignError("campaign_not_running")


def resume(campaign: Campaign) -> None:
    if not _move(campaign, CampaignStatus.PAUSED, CampaignStatus.RUNNING):
        raise CampaignError("campaign_not_paused")


def _move(campaign: Campaign, current: str, new: str) -> bool:
    moved = Campaign.objects.filter(pk=campaign.pk, status=current).update(status=new)
    campaign.refresh_from_db()
    if moved:
        logger.info("campaign %s %s", campaign.pk, new)
    return bool(moved)


def tick(now: dt.datetime | None = None) -> int:
    """One pass over the running campaigns; return how many invitations were made."""
    invited = 0
    for pk in Campaign.objects.filter(status=CampaignStatus.RUNNING).values_list("pk", flat=True):
        invited += tick_campaign(pk, now)
    return invited


def tick_campaign(pk: int, now: dt.datetime | None = None) -> int:
    """Invite what this hour still allows for campaign ``pk``; return how many were invited."""
    now = now or timezone.now()
    allowance = _reserve(pk, now)
    if allowance is None:
        return 0
    campaign = Campaign.objects.get(pk=pk)
    try:
        invited = invite_missions(remaining(campaign), limit=allowance) if allowance else 0
    except Exception:
        # Some may have gone out: the reservation stays whole, only the lease goes.
        Campaign.objects.filter(pk=pk).update(lease_until=None)
        raise
    _settle(pk, allowance, invited)
    return invited


def _reserve(pk: int, now: dt.datetime) -> int | None:
    """Take the lease and reserve this pass's allowance; None when the campaign is not ours."""
    with transaction.atomic():
        taken = (
            Campaign.objects.filter(pk=pk, status=CampaignStatus.RUNNING)
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))
            .update(lease_until=now + LEASE)
        )
        if not taken:
            return None
        campaign = Campaign.objects.get(pk=pk)
        if campaign.window_start is None or now >= campaign.window_start + WINDOW:
            # A new window opens now (a paused or idle campaign does not bank hours).
            campaign.window_start, campaign.window_sent = now, 0
        allowance = max(0, min(campaign.per_hour - campaign.window_sent, TICK_BATCH))
        campaign.window_sent += allowance
        campaign.save(update_fields=["window_start", "window_sent"])
        return allowance


def _settle(pk: int, reserved: int, invited: int) -> None:
    with transaction.atomic():
        Campaign.objects.filter(pk=pk).update(
            window_sent=F("window_sent") - (reserved - invited),
            invited=F("invited") + invited,
            lease_until=None,
        )
        campaign = Campaign.objects.get(pk=pk)
        if (
            invited < reserved
            and campaign.status == CampaignStatus.RUNNING
            and not remaining(campaign).exists()
        ):
            Campaign.objects.filter(pk=pk, status=CampaignStatus.RUNNING).update(
                status=CampaignStatus.FINISHED, finished_at=timezone.now()
            )
            logger.info("campaign %s finished (%d invited)", pk, campaign.invited)
    if invited:
        logger.info("campaign %s invited %d", pk, invited)


def next_window(campaign: Campaign) -> dt.datetime | None:
    """When the campaign may send again, if its current hour is used up."""
    if campaign.window_start is None or campaign.window_sent < campaign.per_hour:
        return None
    return campaign.window_start + WINDOW
