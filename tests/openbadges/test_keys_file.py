"""Issuer key file: created once (0600), reloaded, rotated with old keys still published."""

import json
import stat

from django.core.management import call_command

from insigne.openbadges.keys import (
    IssuerKeys,
    did_document,
    jwks,
    new_key,
    read_keys,
    rotate_key_file,
)
from insigne.openbadges.multibase import decode_multibase_z

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
    assert ids == ["did:web:badges.example.test#key-1", "did:web:badges.example.test#key-2"]
    assert document["assertionMethod"] == ids
    assert keys.resolve(ids[0]) is not None
    assert keys.resolve(ids[0]).public_bytes_raw() == old.public_bytes
    assert [entry["kid"] for entry in jwks(keys)["keys"]] == ids


def test_it_publishes_ed25519_multikeys():
    keys = IssuerKeys(keys=(new_key("key-1"),), site_url=SITE)
    (method,) = did_document(keys)["verificationMethod"]
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
