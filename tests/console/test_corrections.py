"""Revoke and reissue, end to end: every channel says the old badge is gone and leads on.

The old badge's OB 2.0 assertion answers 410, its OB 3.0 status bit is set (read
here with gzip and base64 as the Bitstring Status List spec says, sharing no code
with ours), its page says "remplacé par" with the new badge's link; the new badge
verifies (our verifier, and pyld + Oxigraph + cryptography); the volunteer's
correction mail reaches a real SMTP server; the audit log holds the action.
"""

from __future__ import annotations

import base64
import gzip
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from insigne.badges.keys import issuer_keys
from insigne.badges.models import REISSUE_INDEX_BASE, Credential
from insigne.claims import corrections, services
from insigne.claims.models import Invitation
from insigne.claims.services import ClaimError
from insigne.openbadges.keys import did_document
from insigne.platform import roles
from insigne.platform.models import AuditEntry
from insigne.verifier.verify import verify
from tests.claims.helpers import invite
from tests.openbadges.test_ob3_third_party import independent_verify
from tests.personas import make_staff

pytestmark = pytest.mark.django_db(transaction=True)

DOWNLOAD = re.compile(r"<a [^>]*\bdownload[\s>]")


def status_bit(client, credential: Credential) -> bool:
    """The credential's revocation bit, read from the published list without our reader."""
    entry = json.loads(credential.ob3_json)["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry"
    path = entry["statusListCredential"].removeprefix("http://testserver")
    response = client.get(path.replace(_site(), ""), headers={"Accept": "application/ld+json"})
    listed = response.json()
    independent_verify(json.dumps(listed), did_document(issuer_keys()))
    encoded = listed["credentialSubject"]["encodedList"]
    assert encoded[0] == "u"  # multibase base64url, no padding
    raw = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
    bits = gzip.decompress(raw)
    index = int(entry["statusListIndex"])
    return bool(bits[index // 8] >> (7 - index % 8) & 1)


def _site() -> str:
    from django.conf import settings

    return settings.SITE_URL


@pytest.fixture
def issued(camille, badge_class):
    invitation, _token = invite(camille)
    return services.validate_claim(invitation)


@pytest.fixture
def admin_client(client):
    client.force_login(make_staff("chef", roles.ADMINISTRATOR))
    return client


def test_a_corrected_badge_replaces_the_old_one_everywhere(
    smtp_server, admin_client, client, issued, camille
):
    smtp_server.wait_for(1, timeout=30)  # the first badge mail (a loaded machine is slow)
    old_index = issued.status_index
    response = admin_client.post(
        reverse("console_reissue", args=[camille.pk]),
        {"given_name": "Camille-Rose", "host_name": "", "reason": "Prénom mal orthographié"},
    )
    assert response.status_code == 302
    old = Credential.objects.get(pk=issued.pk)
    new = old.replaced_by
    assert new is not None and new.public_id != old.public_id
    assert (new.given_name, new.family_name, new.host_name) == (
        "Camille-Rose",
        old.family_name,
        old.host_name,
    )
    assert old.revoked_at is not None and old.status_index == old_index
    assert new.status_index >= REISSUE_INDEX_BASE
    assert Invitation.objects.get(mission=camille).credential == new

    # OB 2.0: the old hosted assertion is gone, the new one is served.
    assert client.get(reverse("ob2_assertion", args=[old.public_id])).status_code == 410
    assert client.get(reverse("ob2_assertion", args=[new.public_id])).status_code == 200
    # OB 3.0: the old bit is set, the new one is not.
    assert status_bit(client, old) is True
    assert status_bit(client, new) is False

    # The old page says it was replaced and leads to the new one; nothing to use on it.
    page = client.get(reverse("badge", args=[old.public_id])).content.decode()
    assert "remplacé par" in page
    assert reverse("badge", args=[new.public_id]) in page
    assert "linkedin-add" not in page and "n'expire pas" not in page
    assert not DOWNLOAD.search(page)
    assert verify(old.ob3_json).status == "replaced"

    # The new badge verifies, for us and for an independent verifier.
    assert verify(new.ob3_json).status == "valid"
    independent_verify(new.ob3_json, did_document(issuer_keys()))
    assert "Camille-Rose" in json.loads(new.ob3_json)["credentialSubject"]["name"]

    # The volunteer is told, with the new badge attached.
    [mail] = smtp_server.wait_for(2, timeout=30)[1:]
    assert mail["To"] == camille.email
    assert mail["Subject"] == "Votre Open Badge Service Civique corrigé"
    text = mail.get_body(("plain",)).get_content()
    assert "« Camille » devient « Camille-Rose »" in text
    assert f"/badges/{new.public_id}" in text and "Prénom mal orthographié" in text
    assert [part.get_filename() for part in mail.iter_attachments()] == [
        "open-badge-service-civique.png"
    ]

    # Written to the log, shown on the volunteer's page.
    [entry] = AuditEntry.objects.filter(action="reissue")
    assert (entry.actor_name, entry.mission_id) == ("chef", camille.pk)
    assert entry.before == {"badge": old.public_id, "prénom": "Camille"}
    assert entry.after == {"badge": new.public_id, "prénom": "Camille-Rose"}
    console = admin_client.get(reverse("console_mission", args=[camille.pk])).content.decode()
    assert "Badge corrigé et réémis (chef)" in console
    assert "Badge remplacé" in console
    found = admin_client.get(reverse("console_support"), {"name": "camille"}).content.decode()
    assert "ancien badge est remplacé" in found


def test_the_volunteer_is_found_by_the_corrected_name(admin_client, issued, camille):
    corrections.reissue(issued, given_name="Kamille", reason="Prénom d'usage")
    page = admin_client.get(reverse("console_support"), {"name": "kamille"}).content.decode()
    assert reverse("console_mission", args=[camille.pk]) in page


def test_a_revoked_badge_is_never_mailed_again_as_valid(admin_client, issued, camille, mailoutbox):
    mailoutbox.clear()
    response = admin_client.post(
        reverse("console_revoke", args=[camille.pk]), {"reason": "Mission annulée"}
    )
    assert response.status_code == 302
    page = admin_client.get(reverse("console_mission", args=[camille.pk])).content.decode()
    assert "Badge révoqué" in page
    assert "Renvoyer le badge" not in page and "Rien à renvoyer" in page
    admin_client.post(reverse("console_resend", args=[camille.pk]))
    assert mailoutbox == []
    public = admin_client.get(reverse("badge", args=[issued.public_id])).content.decode()
    assert "Ce badge a été révoqué" in public and "Mission annulée" in public
    assert "linkedin-add" not in public and "n'expire pas" not in public
    assert "share-url" not in public and not DOWNLOAD.search(public)


def test_the_commands_revoke_and_reissue_for_scripts(issued, camille, mailoutbox, capsys):
    mailoutbox.clear()
    # Options first, then "--": a public id may start with "-" (one in 64).
    call_command(
        "reissue_credential",
        "--host-name",
        "Association Exemple de Lyon",
        "--reason",
        "Nom de l'organisme",
        "--",
        issued.public_id,
    )
    new_id = capsys.readouterr().out.strip()
    new = Credential.objects.get(public_id=new_id)
    assert new.host_name == "Association Exemple de Lyon"
    assert [m.subject for m in mailoutbox] == ["Votre Open Badge Service Civique corrigé"]
    entry = AuditEntry.objects.get(action="reissue")
    assert entry.actor_name == "manage.py" and entry.actor is None

    with pytest.raises(CommandError, match="déjà révoqué ou remplacé"):
        call_command(
            "reissue_credential", "--given-name", "X", "--reason", "r", "--", issued.public_id
        )
    call_command("revoke_credential", "--reason", "Doublon", "--", new_id)
    assert Credential.objects.get(pk=new.pk).revocation_reason == "Doublon"
    with pytest.raises(CommandError, match="déjà révoqué"):
        call_command("revoke_credential", "--reason", "Doublon", "--", new_id)
    with pytest.raises(CommandError, match="Aucun badge"):
        call_command("revoke_credential", "inconnu", "--reason", "x")
    with pytest.raises(CommandError, match="Aucun badge"):  # read as an id, not an option
        call_command("revoke_credential", "--reason", "x", "--", "-commence-par-un-tiret")


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"reason": "  "}, "reason_required"),
        ({"reason": "rien", "given_name": "Camille"}, "nothing_corrected"),
    ],
)
def test_a_correction_needs_a_reason_and_a_change(issued, changes, code):
    with pytest.raises(ClaimError) as raised:
        corrections.reissue(issued, **changes)
    assert raised.value.code == code
    assert Credential.objects.count() == 1


def test_a_bad_correction_form_is_answered_in_french(admin_client, issued, camille):
    response = admin_client.post(
        reverse("console_reissue", args=[camille.pk]), {"given_name": "Camille", "reason": "x"}
    )
    assert response.status_code == 400
    assert "modifiez le prénom" in response.content.decode()
    missing = admin_client.post(reverse("console_revoke", args=[camille.pk]), {"reason": ""})
    assert missing.status_code == 400
    assert "Indiquez le motif" in missing.content.decode()


def test_two_reissues_take_two_new_status_slots(issued):
    first = corrections.reissue(issued, given_name="Camila", reason="un")
    second = corrections.reissue(first, given_name="Camilla", reason="deux")
    indexes = {issued.status_index, first.status_index, second.status_index}
    assert len(indexes) == 3
    assert Credential.objects.get(pk=first.pk).replaced_by == second
