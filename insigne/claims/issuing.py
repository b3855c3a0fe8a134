"""From a validated claim to a stored credential: the database side of issuance.

The facts are gathered here once; the pure builders and signers in
``insigne.credentials`` turn them into the signed documents, which are stored
as the exact texts that were signed.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from django.utils import translation

from insigne.claims.models import Invitation
from insigne.credentials import ob2, programme
from insigne.credentials.facts import BadgeFacts, CredentialFacts
from insigne.credentials.issuance import dumps, issue
from insigne.credentials.keys import issuer_keys
from insigne.credentials.models import BadgeClass, Credential
from insigne.credentials.ob3 import french_date
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


def badge_facts(badge_class: BadgeClass, mission: Mission, details: ClaimDetails) -> BadgeFacts:
    """The badge as signed for one volunteer: the description is generated (FAQ §9)."""
    end = mission.actual_end_date or mission.planned_end_date
    values = {
        "given_name": details.given_name,
        "family_name": details.family_name,
        "host_name": details.host_name,
        "domain": mission.get_domain_display(),
        "start_date": french_date(mission.start_date),
        "end_date": french_date(end),
        "months": str(months_between(mission.start_date, end)),
        "title": mission.title,
    }
    return achievement_facts(badge_class, describe(badge_class.description_template, values))


@dataclass(frozen=True)
class ClaimDetails:
    """What the volunteer may correct before signing: name spelling, the host's name."""

    given_name: str
    family_name: str
    host_name: str


def current_details(invitation: Invitation) -> ClaimDetails:
    """The record, with the corrections the volunteer saved in the form."""
    mission = invitation.mission
    return ClaimDetails(
        given_name=invitation.draft_given_name or mission.given_name,
        family_name=invitation.draft_family_name or mission.family_name,
        host_name=invitation.draft_host_name or mission.host_name,
    )


def claim_facts(
    invitation: Invitation, *, public_id: str, issued_at: dt.datetime, salt: str
) -> CredentialFacts:
    """Everything the credential of this claim says, as the preview and the signer see it."""
    mission = invitation.mission
    details = current_details(invitation)
    # Created by a migration; should it have been deleted since, it comes back as the
    # programme defines it rather than failing the volunteer's page.
    badge_class, _created = programme.ensure_programme()
    # Signed text is French whatever the page's language: the domain label in the
    # description must not follow a volunteer who reads the site in English.
    with translation.override("fr"):
        return CredentialFacts(
            public_id=public_id,
            issued_at=issued_at,
            given_name=details.given_name,
            family_name=details.family_name,
            email=mission.email,
            salt=salt,
            host_name=details.host_name,
            domain=mission.get_domain_display(),
            start_date=mission.start_date,
            end_date=mission.actual_end_date or mission.planned_end_date,
            mission_title=mission.title or "Mission de Service Civique",
            commune=mission.commune,
            # The invitation id is unique and stable: a free, collision-proof status slot.
            status_index=invitation.pk,
            badge=badge_facts(badge_class, mission, details),
            issuer=issuer_facts(),
        )


def new_ids() -> tuple[str, str]:
    """A fresh opaque public id (128 bits) and recipient salt."""
    return secrets.token_urlsafe(16), secrets.token_hex(16)


def issue_credential(
    invitation: Invitation, issued_at: dt.datetime, *, public_id: str = ""
) -> Credential:
    """Sign and store one credential (the caller holds the transaction and the row lock).

    ``public_id`` is drawn at random unless given (tests name their badges).
    """
    drawn, salt = new_ids()
    public_id = public_id or drawn
    facts = claim_facts(invitation, public_id=public_id, issued_at=issued_at, salt=salt)
    signed = issue(facts, issuer_keys())
    return Credential.objects.create(
        public_id=facts.public_id,
        invitation=invitation,
        badge_class=BadgeClass.objects.get(slug=facts.badge.slug),
        given_name=facts.given_name,
        family_name=facts.family_name,
        host_name=facts.host_name,
        recipient_salt=facts.salt,
        issued_at=facts.issued_at,
        ob3_json=signed.ob3_json,
        ob3_jwt=signed.ob3_jwt,
        ob2_json=dumps(ob2.build_assertion(facts)),
        status_index=facts.status_index,
    )
