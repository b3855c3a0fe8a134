"""Keeping badges: imports from other issuers, privacy, the portfolio, the data
archive and the erasure of an account."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
import time_machine
from allauth.account.models import EmailAddress
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from insigne.badges import presenter
from insigne.badges.models import Credential
from insigne.openbadges.baking import bake_png
from insigne.openbadges.ob3 import build_credential
from insigne.passport import sync
from insigne.passport.models import KeptBadge, Profile, Visibility
from insigne.verifier.verify import verify
from tests.passport.helpers import issued_badge, volunteer
from tests.personas import badge_png
from tests.verifier.helpers import did_key, foreign_facts, local_server, sign, with_issuer
from tests.verifier.test_verify_ob2_signed import jws, publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel("2026-07-01T12:00:00Z", tick=False):
        yield


@pytest.fixture(scope="module")
def key():
    return Ed25519PrivateKey.generate()


def foreign_ob3(key, email="camille.exemple@example.org") -> str:
    """An OB 3.0 credential of another issuer (did:key), signed with its own key."""
    did, method = did_key(key)
    document = build_credential(foreign_facts("https://autre-emetteur.example", email=email))
    del document["credentialStatus"]
    return json.dumps(sign(with_issuer(document, did), key, method))


@pytest.fixture
def owner(client):
    user = volunteer("camille@exemple.test")
    client.force_login(user)
    return user


def upload(client, name, content, content_type="application/octet-stream"):
    return client.post(
        "/passeport/importer/", {"badge_file": SimpleUploadedFile(name, content, content_type)}
    )


def test_a_foreign_ob3_json_is_kept_byte_for_byte_private_and_valid(client, owner, key):
    text = foreign_ob3(key, email="camille@exemple.test")
    response = client.post("/passeport/importer/", {"badge_text": text})
    assert response.status_code == 302
    kept = KeptBadge.objects.get(owner=owner)
    assert bytes(kept.original) == text.encode()
    assert (kept.status, kept.visibility, kept.addressed_to_owner) == ("valid", "private", True)
    assert kept.issuer_name == "Autre Émetteur"
    listed = client.get("/passeport/").content.decode()
    assert "Autre Émetteur" in listed and "Valide" in listed


def test_a_badge_for_someone_else_is_marked_so(client, owner, key):
    client.post("/passeport/importer/", {"badge_text": foreign_ob3(key)})
    kept = KeptBadge.objects.get(owner=owner)
    assert kept.status == "valid"
    assert kept.addressed_to_owner is False
    assert "aucune de vos adresses vérifiées" in client.get("/passeport/").content.decode()


def test_a_foreign_ob2_baked_png_is_kept(client, owner, settings):
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with local_server(settings) as server:
        image = bake_png(badge_png(), "openbadges", jws(publish(server, rsa_key), rsa_key))
        response = upload(client, "badge-ob2.png", image, "image/png")
    assert response.status_code == 302
    kept = KeptBadge.objects.get(owner=owner)
    assert (kept.container, kept.status) == ("png", "valid")
    assert bytes(kept.original) == image
    download = client.get(f"/passeport/badges/{kept.pk}/original")
    assert download.content == image
    assert download["Content-Disposition"] == 'attachment; filename="badge-ob2.png"'


def test_a_tampered_badge_is_kept_and_marked_invalid(client, owner, key):
    document = json.loads(foreign_ob3(key, email="camille@exemple.test"))
    document["credentialSubject"]["name"] = "Quelqu'un d'autre"
    client.post("/passeport/importer/", {"badge_text": json.dumps(document)})
    kept = KeptBadge.objects.get(owner=owner)
    assert kept.status == "invalid"
    assert "Non authentique" in client.get("/passeport/").content.decode()


def test_a_hostile_svg_is_refused_in_french(client, owner):
    hostile = (
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script>'
        b'<foreignObject><iframe src="javascript:alert(1)"/></foreignObject></svg>'
    )
    response = upload(client, "badge.svg", hostile, "image/svg+xml")
    assert response.status_code == 400
    assert "Ce n&#x27;est pas un badge lisible" in response.content.decode()
    assert not KeptBadge.objects.exists()


def test_a_50_mb_file_is_refused_with_a_clear_message_and_nothing_stored(client, owner):
    response = upload(client, "enorme.png", b"\x89PNG\r\n\x1a\n" + b"\0" * (50 * 1024 * 1024))
    assert response.status_code == 413
    assert "Le fichier est trop volumineux : 2 Mo au plus." in response.content.decode()
    assert not KeptBadge.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Déposez un fichier de badge, collez son contenu ou donnez son adresse."),
        ({"badge_text": "pas un badge"}, "Ce n&#x27;est pas un badge lisible"),
        ({"badge_url": "ftp://exemple.test/badge"}, "Saisissez une adresse web valide"),
        ({"badge_url": "https://127.0.0.1/badge.json"}, "Cette adresse n&#x27;a pas pu être lue"),
    ],
)
def test_bad_input_is_a_french_4xx(client, owner, data, message):
    response = client.post("/passeport/importer/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not KeptBadge.objects.exists()


def test_the_same_badge_is_kept_once(client, owner, key):
    text = foreign_ob3(key)
    client.post("/passeport/importer/", {"badge_text": text})
    again = client.post("/passeport/importer/", {"badge_text": text})
    assert again.status_code == 400
    assert "Ce badge est déjà dans votre Passeport." in again.content.decode()
    assert KeptBadge.objects.count() == 1


def test_import_by_url_goes_through_the_safe_fetch(client, owner, key, settings):
    text = foreign_ob3(key, email="camille@exemple.test")
    with local_server(settings) as server:
        server.routes["/badge.json"] = (200, "application/json", text.encode())
        response = client.post("/passeport/importer/", {"badge_url": f"{server.base}/badge.json"})
    assert response.status_code == 302
    kept = KeptBadge.objects.get(owner=owner)
    assert (kept.source, kept.status, bytes(kept.original)) == ("url", "valid", text.encode())


def test_a_private_badge_answers_404_to_others(client, owner, key, badge_class):
    client.post("/passeport/importer/", {"badge_text": foreign_ob3(key)})
    kept = KeptBadge.objects.get(owner=owner)
    link = f"/passeport/partage/{kept.share_token}/"
    assert client.get(link).status_code == 200  # its owner sees it
    assert client.get(f"/passeport/badges/{kept.pk}/").status_code == 200
    client.logout()
    assert client.get(link).status_code == 404
    stranger = volunteer("autre@exemple.test")
    client.force_login(stranger)
    assert client.get(link).status_code == 404
    assert client.get(f"/passeport/badges/{kept.pk}/").status_code == 404
    assert client.get(f"/passeport/badges/{kept.pk}/original").status_code == 404


def test_link_only_is_noindex_and_public_is_in_the_portfolio_in_order(client, owner, key):
    other_key = Ed25519PrivateKey.generate()
    client.post("/passeport/importer/", {"badge_text": foreign_ob3(key)})
    client.post("/passeport/importer/", {"badge_text": foreign_ob3(other_key)})
    first, second = KeptBadge.objects.filter(owner=owner).order_by("position")
    client.post(f"/passeport/badges/{first.pk}/", {"visibility": "link"})
    client.post(f"/passeport/badges/{second.pk}/", {"visibility": "public"})
    client.logout()
    shared = client.get(f"/passeport/partage/{first.share_token}/")
    assert shared.status_code == 200
    assert shared["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in shared.content.decode()

    profile = Profile.objects.create(owner=owner, display_name="Camille D.", published=False)
    assert client.get(f"/p/{profile.slug}/").status_code == 404  # not published yet
    Profile.objects.filter(pk=profile.pk).update(published=True)
    KeptBadge.objects.filter(pk=first.pk).update(visibility=Visibility.PUBLIC)
    page = client.get(f"/p/{profile.slug}/").content.decode()
    assert page.count("passeport/partage/") == 2
    assert page.index(first.share_token) < page.index(second.share_token)

    client.force_login(owner)
    client.post(f"/passeport/badges/{second.pk}/haut/")
    page = client.get(f"/p/{profile.slug}/").content.decode()
    assert page.index(second.share_token) < page.index(first.share_token)


def test_a_bad_visibility_is_a_400(client, owner, key):
    client.post("/passeport/importer/", {"badge_text": foreign_ob3(key)})
    kept = KeptBadge.objects.get(owner=owner)
    assert client.post(f"/passeport/badges/{kept.pk}/", {"visibility": "tous"}).status_code == 400
    assert client.post(f"/passeport/badges/{kept.pk}/ailleurs/").status_code == 404
    kept.refresh_from_db()
    assert kept.visibility == "private"


def test_the_archive_holds_every_badge_byte_for_byte(client, owner, key, badge_class):
    ours = issued_badge("M-KEEP-ZIP", "camille@exemple.test")
    sync.synchronise(owner)
    text = foreign_ob3(key)
    client.post("/passeport/importer/", {"badge_text": text})
    image = bake_png(badge_png(), "openbadgecredential", foreign_ob3(Ed25519PrivateKey.generate()))
    upload(client, "autre.png", image, "image/png")

    response = client.get("/passeport/mes-donnees.zip")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    document = json.loads(archive.read("passeport.json"))
    assert document["account"]["addresses"] == [
        {"email": "camille@exemple.test", "verified": True, "primary": True}
    ]
    contents = {name: archive.read(name) for name in archive.namelist()}
    assert ours.ob3_json.encode() in contents.values()
    assert ours.ob3_jwt.encode() in contents.values()
    assert ours.ob2_json.encode() in contents.values()
    assert presenter.baked_png(ours) in contents.values()
    assert text.encode() in contents.values()
    assert image in contents.values()
    assert len(document["badges"]) == 3
    for badge in document["badges"]:
        assert all(name in contents for name in badge["files"])


def test_deleting_the_account_keeps_the_issuers_record(client, owner, key, badge_class):
    ours = issued_badge("M-KEEP-DEL", "camille@exemple.test")
    sync.synchronise(owner)
    client.post("/passeport/importer/", {"badge_text": foreign_ob3(key)})
    Profile.objects.create(owner=owner)
    assert client.post("/passeport/supprimer/", {}).status_code == 400  # not confirmed
    response = client.post("/passeport/supprimer/", {"confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=owner.pk).exists()
    assert not KeptBadge.objects.exists()
    assert not Profile.objects.exists()
    assert not EmailAddress.objects.filter(email="camille@exemple.test").exists()
    kept = Credential.objects.get(pk=ours.pk)
    assert kept.ob3_json == ours.ob3_json
    assert verify(kept.ob3_json).status == "valid"
    assert client.get("/passeport/").status_code == 302


def test_others_are_sent_to_sign_in(client):
    for path in ("/passeport/", "/passeport/importer/", "/passeport/mes-donnees.zip"):
        assert client.get(path)["Location"].startswith("/compte/login/")
    assert client.post("/passeport/synchroniser/")["Location"].startswith("/compte/login/")
