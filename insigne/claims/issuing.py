"""From a validated claim to a stored credential: the journey's side of issuance.

The issuing path, one screen per layer: the claim page (``claims.views``) calls
one service (``claims.services.validate_claim``), which gathers the claim's facts
here once (:func:`claim_facts`, also what the preview shows), has
``badges.services.signed_credential`` sign them with the pure builders and
signer of ``insigne.openbadges``, and stores the exact texts that were signed.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError
from django.db.models import DateTimeField, IntegerField
from django.utils import timezone, translation

from insigne.badges import programme
from insigne.badges.models import BadgeClass, Credential, Visibility
from insigne.badges.records import achievement_facts, issuer_facts
from insigne.badges.services import signed_credential
from insigne.claims.models import Invitation
from insigne.missions.eligibility import add_months
from insigne.missions.models import Mission, note_badge_names
from insigne.openbadges.facts import BadgeFacts, CredentialFacts
from insigne.openbadges.ob3 import french_date
from insigne.platform import bulk
from insigne.platform.text import clean_display_text

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
    """The record, with the corrections the volunteer saved in the form.

    Normalised here too, so that a record stored before the import normalised names
    is shown (form, preview) and signed in the same clean form.
    """
    mission = invitation.mission
    return ClaimDetails(
        given_name=clean_display_text(invitation.draft_given_name or mission.given_name),
        family_name=clean_display_text(invitation.draft_family_name or mission.family_name),
        host_name=clean_display_text(invitation.draft_host_name or mission.host_name),
    )


def claim_facts(
    invitation: Invitation,
    *,
    public_id: str,
    issued_at: dt.datetime,
    salt: str,
    details: ClaimDetails | None = None,
    status_index: int | None = None,
    badge_class: BadgeClass | None = None,
) -> CredentialFacts:
    """Everything the credential of this claim says, as the preview and the signer see it.

    A correction (``claims.corrections.reissue``) passes the corrected ``details``
    and a fresh ``status_index``; a first issue takes the form's details and the
    invitation's id. A signer passes the ``badge_class`` it will sign with
    (:func:`programme_class`).
    """
    mission = invitation.mission
    details = details or current_details(invitation)
    badge_class = badge_class or programme_class()
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
            # The invitation id is unique and stable: a free, collision-proof status slot
            # for a first issue (reissues take theirs from badges.services).
            status_index=invitation.pk if status_index is None else status_index,
            badge=badge_facts(badge_class, mission, details),
            issuer=issuer_facts(),
        )


def programme_class() -> BadgeClass:
    """The badge class every claim awards, read without its images.

    Created by a migration; should it have been deleted since, it comes back as the
    programme defines it rather than failing the volunteer's page.
    """
    badge_class, _created = programme.ensure_programme()
    return badge_class


def new_ids() -> tuple[str, str]:
    """A fresh opaque public id (128 bits) and recipient salt."""
    return secrets.token_urlsafe(16), secrets.token_hex(16)


class AlreadyIssued(IntegrityError):
    """The invitation already holds a credential: the caller's transaction must roll back."""


def sign_credential(
    invitation: Invitation,
    issued_at: dt.datetime,
    *,
    public_id: str = "",
    badge_class: BadgeClass | None = None,
) -> Credential:
    """The signed credential of this claim, not stored yet.

    ``public_id`` is drawn at random unless given (tests name their badges); a
    batch passes the ``badge_class`` it read once (:func:`programme_class`).
    """
    drawn, salt = new_ids()
    badge_class = badge_class or programme_class()
    facts = claim_facts(
        invitation,
        public_id=public_id or drawn,
        issued_at=issued_at,
        salt=salt,
        badge_class=badge_class,
    )
    return signed_credential(facts, badge_class)


def issue_credential(
    invitation: Invitation,
    issued_at: dt.datetime,
    *,
    public_id: str = "",
    visibility: Visibility = Visibility.LINK,
    badge_class: BadgeClass | None = None,
) -> Credential:
    """Sign and store one credential (the caller holds the transaction and the row lock).

    ``visibility`` is the holder's choice for the badge page (not part of what is
    signed); ``badge_class`` as for :func:`sign_credential`; stored as
    :func:`store_credentials` stores a batch.
    """
    credential = sign_credential(
        invitation, issued_at, public_id=public_id, badge_class=badge_class
    )
    credential.visibility = visibility
    store_credentials([(invitation, credential)])
    return credential


def store_credentials(signed: Sequence[tuple[Invitation, Credential]]) -> None:
    """Store signed credentials, each attached to its invitation: three statements
    whatever their number (the caller holds the transaction and the rows' locks).

    Each credential is attached to its invitation, with its date as the validation
    date, only if the invitation has none yet, so an issue that got past the lock
    raises ``AlreadyIssued`` (the caller's transaction rolls back) rather than
    leaving a twin. The statements: the INSERT of them all, that conditional
    UPDATE, and the names as signed for the support search (from the missions the
    caller read with the invitations).
    """
    bulk.create(Credential, [credential for _invitation, credential in signed], timezone.now())
    ids = {invitation.pk: credential.pk for invitation, credential in signed}
    dates = {invitation.pk: credential.issued_at for invitation, credential in signed}
    unclaimed = Invitation.objects.filter(pk__in=ids, credential__isnull=True)
    attached = unclaimed.update(
        credential=bulk.each_own(ids, IntegerField()),
        validated_at=bulk.each_own(dates, DateTimeField()),
    )
    if attached != len(ids):
        raise AlreadyIssued(f"{len(ids) - attached} of invitations {sorted(ids)} held a credential")
    for invitation, credential in signed:
        invitation.credential, invitation.validated_at = credential, credential.issued_at
        credential.invitation = invitation
    note_badge_names(
        *(
            (invitation.mission, credential.given_name, credential.family_name)
            for invitation, credential in signed
        )
    )
