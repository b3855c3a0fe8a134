"""The services that views, commands and tasks call open the outermost transaction:
called by mistake inside another one, they fail at once instead of committing with it.

(The test's own transaction does not count: Django lets durable blocks run inside
the atomic blocks of ``TestCase``, which pytest-django's ``db`` fixture uses.)
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import transaction

from insigne.badges.services import revoke_credential
from insigne.claims import corrections, services
from insigne.claims.issuing import ClaimDetails
from insigne.claims.models import Invitation
from insigne.missions.services import import_csv
from tests.claims.helpers import invite
from tests.missions.helpers import csv_bytes, row
from tests.personas import TODAY, make_mission, stored_credential

DETAILS = ClaimDetails(given_name="Camille", family_name="Démo", host_name="Association Exemple")

SERVICES: dict[str, Callable[[Invitation], object]] = {
    "invite_due_missions": lambda invitation: services.invite_due_missions(TODAY),
    "mark_opened": services.mark_opened,
    "save_draft": lambda invitation: services.save_draft(invitation, DETAILS),
    "validate_claim": services.validate_claim,
    "decline_invitation": services.decline_invitation,
    "reopen_invitation": services.reopen_invitation,
    "resend_for_mission": lambda invitation: services.resend_for_mission(invitation.mission),
    "change_address": lambda invitation: services.change_address(invitation.mission, "a@b.test"),
    "import_csv": lambda invitation: import_csv(csv_bytes([row()]), "csv"),
    "reopen_declined": lambda invitation: services.reopen_declined(invitation.mission, actor=None),
    "explain_nothing_to_send": lambda invitation: services.explain_nothing_to_send(
        invitation.mission
    ),
}


@pytest.mark.parametrize("name", SERVICES)
def test_a_service_refuses_to_run_inside_another_transaction(name, camille, badge_class):
    """``camille`` is due for an invitation; another mission is invited already."""
    invitation, _ = invite(make_mission("M-INVITED"))
    with transaction.atomic(), pytest.raises(RuntimeError, match="durable"):
        SERVICES[name](invitation)


def test_revoking_refuses_to_run_inside_another_transaction(camille, badge_class):
    credential = stored_credential(badge_class, camille, ob3_json="", ob3_jwt="", ob2_json="")
    with transaction.atomic(), pytest.raises(RuntimeError, match="durable"):
        revoke_credential(credential, "erreur de saisie")


@pytest.mark.parametrize(
    "correct",
    [
        lambda credential: corrections.revoke(credential, "erreur de saisie"),
        lambda credential: corrections.reissue(credential, given_name="Kim", reason="erreur"),
    ],
    ids=["revoke", "reissue"],
)
def test_corrections_refuse_to_run_inside_another_transaction(correct, camille, badge_class):
    credential = stored_credential(badge_class, camille, ob3_json="", ob3_jwt="", ob2_json="")
    with transaction.atomic(), pytest.raises(RuntimeError, match="durable"):
        correct(credential)
