"""Named personas for the journey tests (obviously demo people, addresses in .test)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.contrib.auth.models import User
from PIL import Image

from insigne.badges.models import BadgeClass, Credential
from insigne.claims.models import Invitation
from insigne.missions import eligibility
from insigne.missions.models import Domain, EndReason, Mission

TODAY = dt.date(2026, 7, 1)


def badge_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 200), (0, 0, 145)).save(buffer, format="PNG")
    return buffer.getvalue()


def make_badge_class() -> BadgeClass:
    # The migration creates the programme's own class; tests read these values instead.
    badge_class, _ = BadgeClass.objects.update_or_create(
        slug="service-civique",
        defaults={
            "name": "Volontaire du Service Civique",
            "description_template": (
                "{given_name} {family_name} a accompli une mission de Service Civique de "
                "{months} mois auprès de {host_name}, dans le domaine {domain}, "
                "du {start_date} au {end_date}."
            ),
            "criteria": "Avoir accompli une mission de Service Civique d'au moins six mois.",
            "competencies": [
                {"name": "Travail en équipe", "description": "Coopérer au sein d'une équipe."},
                {"name": "Sens de l'engagement", "framework": "Service Civique"},
            ],
            "image": badge_png(),
        },
    )
    return badge_class


def make_mission(external_id: str, **fields: Any) -> Mission:
    values: dict[str, Any] = {
        "given_name": "Camille",
        "family_name": "Démo",
        "email": f"{external_id.lower()}@exemple.test",
        "start_date": dt.date(2026, 1, 1),
        "planned_end_date": dt.date(2026, 6, 30),
        "actual_end_date": dt.date(2026, 6, 30),
        "end_reason": EndReason.TERM,
        "host_name": "Association Exemple",
        "domain": Domain.SOLIDARITE,
        "commune": "Lyon",
        "departement": "69",
        "title": "Accompagnement aux devoirs",
    }
    values.update(fields)
    result = eligibility.evaluate(
        values["start_date"], values["actual_end_date"], values["end_reason"] == EndReason.EARLY
    )
    return Mission.objects.create(
        external_id=external_id,
        eligible=result.eligible,
        ineligibility_reason=result.reason,
        **values,
    )


def stored_credential(
    badge_class: BadgeClass, mission: Mission, *, ob3_json: str, ob3_jwt: str, ob2_json: str
) -> Credential:
    """A credential row holding the given texts as stored (for serving tests, not signing)."""
    invitation = Invitation.objects.create(mission=mission)
    credential = Credential.objects.create(
        public_id="abc123",
        badge_class=badge_class,
        given_name=mission.given_name,
        family_name=mission.family_name,
        host_name=mission.host_name,
        recipient_salt="5a1t",
        issued_at=dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC),
        ob3_json=ob3_json,
        ob3_jwt=ob3_jwt,
        ob2_json=ob2_json,
        status_index=invitation.pk,
    )
    invitation.credential = credential
    invitation.save(update_fields=["credential"])
    return credential


def make_staff(username: str, role: str | None = None, **fields: object) -> User:
    """A staff account holding ``role`` (a group of ``insigne.platform.roles``; support by default).

    The groups come from a data migration; transactional tests flush them, so
    they are put back first (``ensure_roles`` is idempotent).
    """
    from django.apps import apps
    from django.contrib.auth.models import Group

    from insigne.platform.roles import SUPPORT_AGENT, ensure_roles

    ensure_roles(apps)
    fields.setdefault("is_staff", True)
    user = User.objects.create_user(username, **fields)  # type: ignore[arg-type]
    user.groups.add(Group.objects.get(name=role or SUPPORT_AGENT))
    return user
