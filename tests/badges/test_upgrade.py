"""A database made before the invitation pointed at its credential upgrades with its badges
intact: the link is carried over and the signed texts are untouched, byte for byte."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import StateApps

from insigne.badges.models import Credential
from insigne.claims.issuing import sign_credential
from insigne.verifier.verify import verify
from tests.personas import make_badge_class

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


def issue_before_the_flip(apps: StateApps) -> int:
    """A badge issued and stored as the old schema held it; its id."""
    mission = apps.get_model("missions", "Mission").objects.create(
        external_id="M-UPGRADE",
        given_name="Camille",
        family_name="Démo",
        email="m-upgrade@exemple.test",
        start_date=dt.date(2026, 1, 1),
        planned_end_date=dt.date(2026, 6, 30),
        actual_end_date=dt.date(2026, 6, 30),
        host_name="Association Exemple",
        domain="solidarite",
        commune="Lyon",
        departement="69",
        title="Accompagnement aux devoirs",
        eligible=True,
    )
    invitation = apps.get_model("claims", "Invitation").objects.create(
        mission=mission, token_hash=hashlib.sha256(b"M-UPGRADE").hexdigest()
    )
    signed = sign_credential(invitation, ISSUED_AT, public_id="upgrade0001")
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
    old = migrate(before_the_flip())
    try:
        make_badge_class()  # its table is the same before and after
        credential_id = issue_before_the_flip(old)
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
    try:
        make_badge_class()
        credential_id = issue_before_the_flip(migrate(before_the_flip()))
        migrate(latest())
        old = migrate(before_the_flip())
        stored = old.get_model("credentials", "Credential").objects.get(pk=credential_id)
        assert stored.invitation.mission.external_id == "M-UPGRADE"
    finally:
        migrate(latest())
