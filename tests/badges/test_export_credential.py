"""export_credential: each form on standard output, byte-exact; unknown ids refused."""

import io
import json

import openbadges_bakery
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from insigne.badges.models import Credential
from insigne.openbadges import baking
from tests.personas import stored_credential

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rfc3986")
OB3 = '{"type":["VerifiableCredential","OpenBadgeCredential"],"name":"Été"}'
JWT = "eyJhbGciOiJFZERTQSJ9.e30.c2ln"
OB2 = '{"id":"https://badges.example.test/ob2/assertions/abc123","type":"Assertion"}'


@pytest.fixture
def credential(badge_class, camille) -> Credential:
    return stored_credential(badge_class, camille, ob3_json=OB3, ob3_jwt=JWT, ob2_json=OB2)


def _export(public_id: str, form: str) -> bytes:
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    call_command("export_credential", "--format", form, "--", public_id, stdout=out)  # "-…" ids
    return out.buffer.getvalue()


@pytest.mark.parametrize(("form", "stored"), [("ob3", OB3), ("jwt", JWT), ("ob2", OB2)])
def test_it_writes_the_stored_text_byte_for_byte(credential, form: str, stored: str) -> None:
    assert _export("abc123", form) == stored.encode()


def test_png_carries_the_ob3_credential(credential) -> None:
    assert baking.unbake_png(_export("abc123", "png")) == {"openbadgecredential": OB3}


def test_png2_carries_the_ob2_assertion_for_openbadges_bakery(credential) -> None:
    png = _export("abc123", "png2")

    assert openbadges_bakery.unbake(io.BytesIO(png)) == OB2


def test_svg_and_svg2_carry_their_version(credential) -> None:
    assert baking.unbake_svg(_export("abc123", "svg").decode()) == {"openbadgecredential": OB3}
    svg2 = _export("abc123", "svg2").decode()
    assert baking.unbake_svg(svg2) == {"openbadges": OB2}
    assert openbadges_bakery.unbake(io.BytesIO(svg2.encode())) == json.loads(OB2)["id"]


def test_it_refuses_an_unknown_id_in_french(db) -> None:
    with pytest.raises(CommandError, match="Aucun badge émis") as error:
        _export("inconnu", "ob3")
    assert error.value.returncode != 0


def test_it_warns_when_the_badge_was_revoked(credential) -> None:
    credential.revoked_at = timezone.now()
    credential.save()
    err = io.StringIO()

    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    call_command("export_credential", "abc123", "--format", "ob2", stdout=out, stderr=err)

    assert "révoqué" in err.getvalue()
    assert out.buffer.getvalue() == OB2.encode()
