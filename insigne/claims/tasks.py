"""Background work of the claims app."""

from __future__ import annotations

from django_tasks import task

from insigne.claims import services
from insigne.missions.models import Mission


@task()
def resend_missions(mission_ids: list[int]) -> int:
    """Mail again what exists for these missions; the ids, not the address, travel."""
    return sum(
        services.resend_for_mission(mission)
        for mission in Mission.objects.filter(pk__in=mission_ids)
    )
