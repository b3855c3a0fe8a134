"""A database made before the invitation pointed at its credential upgrades with its badges
intact: the link is carried over and the signed texts are untouched, byte for byte."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import StateApps

from insigne.badges.models import Credential
from insigne.claims.issuing import sign_credential
from insigne.claims.models import Invitation
from insigne.verifier.verify import verify
from tests.personas import make_badge_class, make_mission

pytestmark = pytest.mark.django_db(transaction=True)

# The last migrations of the two apps while ``Credential.invitation`` held the link.
BEFORE = {"claims": "0003_drop_mail_fields_kept_on_outgoing_mail", "credentials": "0001_initial"}
ISSUED_AT = dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def before_the_flip() -> list[tuple[str, str]]:
    return [(app, BEFORE.get(app, name)) for app, name in latest()]


def migrate(targets: list[tuple[str, str]]) -> StateApps:
    """Bring the database to ``targets``; the historical models of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def signed_now() -> tuple[int, Credential]:
    """A badge signed by today's code (which reads today's badge class table), not stored;
    with the id of its invitation, whose rows outlive the migrations back and forth."""
    make_badge_class()
    invitation = Invitation.objects.create(mission=make_mission("M-UPGRADE"))
    return invitation.pk, sign_credential(invitation, ISSUED_AT, public_id="upgrade0001")


def store_before_the_flip(apps: StateApps, invitation_id: int, signed: Credential) -> int:
    """The badge stored as the old schema held it; its id."""
    invitation = apps.get_model("claims", "Invitation").objects.get(pk=invitation_id)
    old_model = apps.get_model("credentials", "Credential")
    old_columns = {field.attname for field in old_model._meta.concrete_fields}  # no later ones
    columns = {
        field.attname: getattr(signed, field.attname)
        for field in Credential._meta.concrete_fields
        if not field.primary_key and field.attname in old_columns
    }
    stored = old_model.objects.create(invitation=invitation, **columns)
    return stored.pk


def test_an_issued_badge_survives_the_upgrade_byte_for_byte():
    invitation_id, signed = signed_now()
    old = migrate(before_the_flip())
    try:
        credential_id = store_before_the_flip(old, invitation_id, signed)
        texts = old.get_model("credentials", "Credential").objects.values(
            "ob3_json", "ob3_jwt", "ob2_json"
        )
        before = texts.get(pk=credential_id)
    finally:
        migrate(latest())

    credential = Credential.objects.select_related("invitation__mission").get(pk=credential_id)
    assert credential.invitation.mission.external_id == "M-UPGRADE"
    assert credential.invitation.credential == credential
    after = {name: getattr(credential, name) for name in before}
    assert after == before
    for name, text in after.items():
        assert verify(text).status == "valid", (name, verify(text).checks)


def test_going_back_puts_the_link_on_the_credential_again():
    invitation_id, signed = signed_now()
    try:
        credential_id = store_before_the_flip(migrate(before_the_flip()), invitation_id, signed)
        migrate(latest())
        old = migrate(before_the_flip())
        stored = old.get_model("credentials", "Credential").objects.get(pk=credential_id)
        assert stored.invitation.mission.external_id == "M-UPGRADE"
    finally:
        migrate(latest())
