"""``platform.rows``: a row and its foreign key's row, read as the ORM reads them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from insigne.claims import services
from insigne.claims.models import Invitation
from insigne.missions.models import Mission
from insigne.platform import rows
from tests.claims.helpers import invite
from tests.personas import make_mission

pytestmark = pytest.mark.django_db


def test_a_personal_link_reads_its_invitation_and_mission_as_select_related_does():
    mission = make_mission("M-ROWS", email_undeliverable=True, title="Jardins partagés")
    invitation, token = invite(mission)
    Invitation.objects.filter(pk=invitation.pk).update(draft_given_name="Camilla")
    orm = Invitation.objects.select_related("mission").get(pk=invitation.pk)

    with CaptureQueriesContext(connection) as queries:
        found = services.find_invitation(token)
        for field in Invitation._meta.concrete_fields:
            assert getattr(found, field.attname) == getattr(orm, field.attname), field.name
        for field in Mission._meta.concrete_fields:  # dates, booleans, texts: converted
            value = getattr(found.mission, field.attname)
            assert value == getattr(orm.mission, field.attname), field.name
            assert type(value) is type(getattr(orm.mission, field.attname)), field.name
    assert len(queries) == 2  # the link's row, then the invitation with its mission
    assert found.mission.eligible is True and found.mission.email_undeliverable is True


def test_only_what_exists_and_what_can_be_joined():
    with pytest.raises(ValueError, match="no column"):
        rows.one(Mission, "id", 1, ("nickname",))
    with pytest.raises(ValueError, match="non-null foreign key"):
        rows.one(Invitation, "id", 1, ("credential__public_id",))  # nullable: no join
    assert rows.one(Mission, "external_id", "M-NONE", ("email",)) is None
