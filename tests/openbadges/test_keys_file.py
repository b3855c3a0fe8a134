"""Issuer key file: created once (0600), reloaded, rotated with old keys still published."""

import json
import stat

from django.core.management import call_command

from insigne.openbadges.keys import (
    IssuerKeys,
    controller_document,
    did_document,
    jwks,
    new_key,
    read_keys,
    rotate_key_file,
)
from insigne.openbadges.multibase import b64url_encode, decode_multibase_z

SITE = "https://badges.example.test"


def test_it_creates_a_private_key_file_on_first_use_and_rereads_it(tmp_path):
    path = tmp_path / "keys" / "issuer_keys.json"
    first = read_keys(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = read_keys(path)
    assert [key.public_bytes for key in again] == [key.public_bytes for key in first]
    assert first[0].key_id == "key-1"
    assert first[0].created.endswith("Z")


def test_it_keeps_old_public_keys_published_after_rotation(tmp_path):
    path = tmp_path / "issuer_keys.json"
    old = read_keys(path)[0]
    added = rotate_key_file(path)
    keys = IssuerKeys(keys=read_keys(path), site_url=SITE)
    assert keys.active.key_id == added.key_id == "key-2"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    document = did_document(keys)
    ids = [method["id"] for method in document["verificationMethod"]]
    did = "did:web:badges.example.test"
    assert ids == [f"{did}#key-1", f"{did}#key-1-jwk", f"{did}#key-2", f"{did}#key-2-jwk"]
    assert document["assertionMethod"] == ids
    controller = controller_document(keys)
    url = f"{SITE}/.well-known/controller.json"
    http_ids = [method["id"] for method in controller["verificationMethod"]]
    assert http_ids == [f"{url}#key-1", f"{url}#key-2"]
    for method_id in [*ids, *http_ids]:
        key = keys.resolve(method_id)
        assert key is not None
        expected = old if "key-1" in method_id else added
        assert key.public_bytes_raw() == expected.public_bytes
    assert keys.resolve(f"{did}#key-3") is None
    # The JWT kid of each key, then the Multikey id that tokens signed before named.
    assert [entry["kid"] for entry in jwks(keys)["keys"]] == [
        f"{did}#key-1-jwk",
        f"{did}#key-1",
        f"{did}#key-2-jwk",
        f"{did}#key-2",
    ]


def test_the_did_document_gives_each_key_as_a_jwk_too():
    keys = IssuerKeys(keys=(new_key("key-1"),), site_url=SITE)
    multikey, jwk = did_document(keys)["verificationMethod"]
    assert jwk["id"] == keys.jwt_kid == "did:web:badges.example.test#key-1-jwk"
    assert jwk["type"] == "JsonWebKey2020"
    assert jwk["controller"] == multikey["controller"] == "did:web:badges.example.test"
    assert jwk["publicKeyJwk"] == {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": b64url_encode(keys.active.public_bytes),
    }
    assert did_document(keys)["alsoKnownAs"] == [f"{SITE}/.well-known/controller.json"]


def test_the_controller_document_is_a_cid_document_of_multikeys():
    """W3C Controlled Identifiers 1.0: id, verificationMethod (Multikey), assertionMethod."""
    keys = IssuerKeys(keys=(new_key("key-1"),), site_url="https://badges.example.test:8443")
    document = controller_document(keys)
    url = "https://badges.example.test:8443/.well-known/controller.json"
    assert document["@context"] == "https://www.w3.org/ns/cid/v1"
    assert document["id"] == url
    assert document["alsoKnownAs"] == ["did:web:badges.example.test%3A8443"]
    (method,) = document["verificationMethod"]
    assert method == {
        "id": f"{url}#key-1",
        "type": "Multikey",
        "controller": url,
        "publicKeyMultibase": did_document(keys)["verificationMethod"][0]["publicKeyMultibase"],
    }
    assert document["assertionMethod"] == [f"{url}#key-1"]


def test_it_publishes_ed25519_multikeys():
    keys = IssuerKeys(keys=(new_key("key-1"),), site_url=SITE)
    method, _jwk = did_document(keys)["verificationMethod"]
    assert method["type"] == "Multikey"
    assert method["controller"] == "did:web:badges.example.test"
    assert method["publicKeyMultibase"].startswith("z6Mk")
    assert (
        decode_multibase_z(method["publicKeyMultibase"]) == b"\xed\x01" + keys.active.public_bytes
    )


def test_the_rotate_command_adds_an_active_key(settings, tmp_path, capsys):
    settings.INSIGNE_KEY_FILE = tmp_path / "issuer_keys.json"
    read_keys(settings.INSIGNE_KEY_FILE)
    call_command("rotate_issuer_key")
    assert "key-2" in capsys.readouterr().out
    stored = json.loads(settings.INSIGNE_KEY_FILE.read_text())
    assert [entry["id"] for entry in stored["keys"]] == ["key-1", "key-2"]
