"""From a validated claim to a stored credential: the database side of issuance.

The facts are gathered here once; the pure builders and signers in
``insigne.credentials`` turn them into the signed documents, which are stored
as the exact texts that were signed.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.utils import translation

from insigne.claims.models import Invitation
from insigne.credentials.facts import BadgeFacts, CredentialFacts
from insigne.credentials.models import BadgeClass, Credential
from insigne.credentials.records import achievement_facts, issuer_facts
from insigne.missions.eligibility import add_months
from insigne.missions.models import Mission

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months served, end date inclusive (same rule as eligibility)."""
    months = 0
    while add_months(start, months + 1) <= end + dt.timedelta(days=1):
        months += 1
    return months


def describe(template: str, values: dict[str, str]) -> str:
    """Fill ``{name}`` placeholders; unknown ones stay as typed (no format() surprises)."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def _french_date(day: dt.date) -> str:
    from insigne.credentials.ob3 import french_date

    return french_date(day)


def badge_facts(
    badge_class: BadgeClass, mission: Mission, given: str, family: str, host: str
) -> BadgeFacts:
    """The badge as signed for one volunteer: the description is generated (FAQ §9)."""
    end = mission.actual_end_date or mission.planned_end_date
    values = {
        "given_name": given,
        "family_name": family,
        "host_name": host,
        "domain": mission.get_domain_display(),
        "start_date": _french_date(mission.start_date),
        "end_date": _french_date(end),
        "months": str(months_between(mission.start_date, end)),
        "title": mission.title,
    }
    return achievement_facts(badge_class, describe(badge_class.description_template, values))


def credential_facts(
    invitation: Invitation,
    badge_class: BadgeClass,
    *,
    given_name: str,
    family_name: str,
    host_name: str,
    public_id: str,
    salt: str,
    issued_at: dt.datetime,
) -> CredentialFacts:
    mission = invitation.mission
    # Signed text is French whatever the page's language: the domain label in the
    # description must not follow a volunteer who reads the site in English.
    with translation.override("fr"):
        return CredentialFacts(
            public_id=public_id,
            issued_at=issued_at,
            given_name=given_name,
            family_name=family_name,
            email=mission.email,
            salt=salt,
            host_name=host_name,
            domain=mission.get_domain_display(),
            start_date=mission.start_date,
            end_date=mission.actual_end_date or mission.planned_end_date,
            mission_title=mission.title or "Mission de Service Civique",
            commune=mission.commune,
            # The invitation id is unique and stable: a free, collision-proof status slot.
            status_index=invitation.pk,
            badge=badge_facts(badge_class, mission, given_name, family_name, host_name),
            issuer=issuer_facts(),
        )


def issue_credential(
    *,
    invitation: Invitation,
    badge_class: BadgeClass,
    given_name: str,
    family_name: str,
    host_name: str,
    public_id: str,
    issued_at: dt.datetime,
) -> Credential:
    """Sign and store one credential (the caller holds the transaction and the row lock)."""
    from insigne.credentials import ob2
    from insigne.credentials.issuance import dumps, issue
    from insigne.credentials.keys import issuer_keys

    salt = secrets.token_hex(16)
    facts = credential_facts(
        invitation,
        badge_class,
        given_name=given_name,
        family_name=family_name,
        host_name=host_name,
        public_id=public_id,
        salt=salt,
        issued_at=issued_at,
    )
    signed = issue(facts, issuer_keys())
    return Credential.objects.create(
        public_id=public_id,
        invitation=invitation,
        badge_class=badge_class,
        given_name=given_name,
        family_name=family_name,
        host_name=host_name,
        recipient_salt=salt,
        issued_at=issued_at,
        ob3_json=signed.ob3_json,
        ob3_jwt=signed.ob3_jwt,
        ob2_json=dumps(ob2.build_assertion(facts)),
        status_index=invitation.pk,
    )
