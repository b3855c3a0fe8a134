"""verify() accepts our own badges in every form and reads their status from the database."""

import json

import pytest
from django.utils import timezone

from insigne.badges.presenter import badge_svg, baked_png, baked_svg
from insigne.openbadges.baking import bake_png, bake_svg
from insigne.platform.messages import describe_fr
from insigne.verifier.verify import verify
from tests.personas import badge_png
from tests.verifier.helpers import issue_ours

EMAIL = "m-verify@exemple.test"


@pytest.fixture
def credential(db):
    return issue_ours()


def failed(verdict):
    return [check.code for check in verdict.failed]


def test_it_accepts_our_signed_json(credential):
    verdict = verify(credential.ob3_json)
    assert verdict.status == "valid", verdict.checks
    assert verdict.container == "json"
    assert {"schema", "signature", "key_binding", "valid_from", "status"} <= set(verdict.codes())
    assert verdict.summary.recipient_name == "Camille Démo"
    assert verdict.summary.issuer_name == "Agence du Service Civique"
    assert verdict.summary.achievement_name == "Volontaire du Service Civique"


def test_it_accepts_our_jwt(credential):
    verdict = verify(credential.ob3_jwt)
    assert verdict.status == "valid", verdict.checks
    assert verdict.container == "jwt"


def test_it_accepts_our_baked_png_and_svg(credential):
    png = verify(baked_png(credential), filename="badge.png")
    svg = verify(baked_svg(credential).encode(), filename="badge.svg")
    assert (png.status, png.container) == ("valid", "png")
    assert (svg.status, svg.container) == ("valid", "svg")


def test_it_accepts_a_jwt_baked_in_a_png(credential):
    verdict = verify(bake_png(badge_png(), "openbadgecredential", credential.ob3_jwt))
    assert (verdict.status, verdict.container) == ("valid", "png")


def test_it_accepts_our_ob2_assertion_as_json_png_and_svg(credential):
    as_json = verify(credential.ob2_json)
    as_png = verify(bake_png(badge_png(), "openbadges", credential.ob2_json))
    as_svg = verify(bake_svg(badge_svg(credential), "ob2", credential.ob2_json))
    for verdict in (as_json, as_png, as_svg):
        assert verdict.status == "valid", verdict.checks
        assert verdict.summary.version == "ob2"
        assert {"shape", "hosted", "key_binding", "status"} <= set(verdict.codes())


def test_it_refuses_a_tampered_field_in_both_versions(credential):
    ob3 = json.loads(credential.ob3_json)
    ob3["credentialSubject"]["name"] = "Quelqu'un d'autre"
    ob2 = json.loads(credential.ob2_json)
    ob2["issuedOn"] = "2020-01-01T00:00:00Z"
    assert failed(verify(json.dumps(ob3))) == ["signature"]
    assert verify(json.dumps(ob3)).status == "invalid"
    assert failed(verify(json.dumps(ob2))) == ["hosted"]


def test_it_refuses_a_tampered_jwt(credential):
    header, payload, signature = credential.ob3_jwt.split(".")
    other = "A" if signature[0] != "A" else "B"
    verdict = verify(f"{header}.{payload}.{other}{signature[1:]}")
    assert verdict.status == "invalid"
    assert "signature" in failed(verdict)


def test_it_says_revoked_for_a_revoked_badge(credential):
    credential.revoked_at = timezone.now()
    credential.revocation_reason = "Erreur de saisie"
    credential.save()
    for text in (credential.ob3_json, credential.ob3_jwt, credential.ob2_json):
        verdict = verify(text)
        assert verdict.status == "revoked"
        assert failed(verdict) == ["revoked"]
        assert "Erreur de saisie" in describe_fr(verdict.failed[0].reason, verdict.failed[0].params)


def test_it_says_replaced_with_the_new_badge_address(credential):
    newer = issue_ours("M-VERIFY-2", "verify0002")
    credential.revoked_at = timezone.now()
    credential.replaced_by = newer
    credential.save()
    verdict = verify(credential.ob3_json)
    assert verdict.status == "replaced"
    assert "/badges/verify0002" in describe_fr(verdict.failed[0].reason, verdict.failed[0].params)
    assert verify(newer.ob3_json).status == "valid"


def test_it_refuses_a_badge_signed_with_our_key_but_unknown_to_our_register(credential):
    ob2 = json.loads(credential.ob2_json)
    credential.invitation.delete()  # the invitation protects its credential
    credential.delete()
    assert "status_unknown" in failed(verify(json.dumps(ob2)))


@pytest.mark.parametrize("email", [EMAIL, "  M-Verify@Exemple.TEST "])
def test_it_confirms_the_recipient_email_case_insensitively(credential, email):
    for text in (credential.ob3_json, credential.ob2_json):
        verdict = verify(text, expected_email=email)
        assert verdict.recipient_match is True
        assert verdict.status == "valid"


def test_it_tells_when_the_email_is_not_the_recipient(credential):
    verdict = verify(credential.ob3_json, expected_email="autre@exemple.test")
    assert verdict.recipient_match is False
    assert verdict.status == "valid"  # the badge itself is genuine
    assert failed(verdict) == ["recipient"]


def test_it_leaves_recipient_unchecked_without_an_email(credential):
    verdict = verify(credential.ob3_json)
    assert verdict.recipient_match is None
    assert "recipient" not in verdict.codes()
