"""What the site publishes carries a validator and a lifetime that fits it, and a
conditional GET is answered 304 without the body."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
import time_machine
from django.urls import reverse

from insigne.badges import services
from insigne.badges.keys import rotate_issuer_key
from insigne.badges.models import Credential, Visibility
from insigne.badges.presenter import medal
from tests.verifier.helpers import issue_ours

pytestmark = pytest.mark.django_db

YEAR = 365 * 24 * 3600


@pytest.fixture
def credential():
    return issue_ours()


def directives(response) -> dict[str, str]:
    parts = (part.strip() for part in response["Cache-Control"].split(","))
    return dict((part.split("=", 1) + [""])[:2] for part in parts)


def again(client, url, response, **headers):
    return client.get(url, HTTP_IF_NONE_MATCH=response["ETag"], **headers)


SIGNED_FILES = ["badge_ob3_json", "badge_ob3_jwt", "badge_png", "badge_svg"]


@pytest.mark.parametrize("name", SIGNED_FILES)
def test_signed_files_are_immutable_and_answer_304(client, credential, name):
    url = reverse(name, args=[credential.public_id])
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"].startswith('"')
    cache = directives(first)
    assert "public" in cache and "immutable" in cache
    assert cache["max-age"] == str(YEAR)
    assert cache["s-maxage"] == "3600"  # shared caches drop it soon, should its holder hide it
    second = again(client, url, first)
    assert second.status_code == 304 and second.content == b""
    assert second["ETag"] == first["ETag"]
    assert "immutable" in directives(second)
    assert client.get(url, HTTP_IF_NONE_MATCH='"autre"').status_code == 200


def test_the_badge_url_asked_for_json_is_validated_too(client, credential):
    url = reverse("badge", args=[credential.public_id])
    first = client.get(url, HTTP_ACCEPT="application/ld+json")
    assert first.content.decode() == credential.ob3_json
    second = again(client, url, first, HTTP_ACCEPT="application/ld+json")
    assert second.status_code == 304
    assert "Accept" in second["Vary"]


def test_a_hidden_badges_files_stay_out_of_shared_caches(client, credential):
    from insigne.badges.holders import SESSION_KEY

    Credential.objects.filter(pk=credential.pk).update(visibility=Visibility.HIDDEN)
    session = client.session
    session[SESSION_KEY] = [credential.public_id]
    session.save()
    response = client.get(reverse("badge_png", args=[credential.public_id]))
    assert response.status_code == 200
    cache = directives(response)
    assert "private" in cache and "public" not in cache and "immutable" not in cache


def test_a_new_medal_changes_the_baked_images_etag(client, credential, badge_class):
    url = reverse("badge_png", args=[credential.public_id])
    first = client.get(url)
    png, svg = medal(badge_class)
    badge_class.image_svg = svg.replace("</svg>", "<!-- nouvelle version --></svg>")
    badge_class.save()
    assert again(client, url, first).status_code == 200
    svg_url = reverse("badge_svg", args=[credential.public_id])
    assert "nouvelle version" in client.get(svg_url).content.decode()


def test_the_medal_is_validated_and_read_again_after_an_edit(client, badge_class):
    url = reverse("achievement_image", args=[badge_class.slug])
    first = client.get(url)
    assert first.content == bytes(badge_class.image)
    assert again(client, url, first).status_code == 304
    badge_class.image = bytes(badge_class.image) + b"\0"  # bytes after IEND: still a PNG
    badge_class.save()
    assert again(client, url, first).status_code == 200


def test_did_json_keeps_an_hour_and_changes_with_a_rotation(client, settings, tmp_path):
    copy = tmp_path / "issuer_keys.json"
    shutil.copy(settings.INSIGNE_KEY_FILE, copy)
    settings.INSIGNE_KEY_FILE = copy
    url = reverse("did_json")
    first = client.get(url)
    assert directives(first)["max-age"] == "3600" and "public" in directives(first)
    assert again(client, url, first).status_code == 304
    rotate_issuer_key()
    second = again(client, url, first)
    assert second.status_code == 200
    assert len(second.json()["assertionMethod"]) == 4  # each key as a Multikey and a JWK
    jwks = client.get(reverse("jwks_json"))
    assert again(client, reverse("jwks_json"), jwks).status_code == 304


def test_the_status_list_is_short_lived_and_changes_with_a_revocation(client, credential):
    url = reverse("ob3_status_list")
    client.defaults["HTTP_ACCEPT"] = "application/ld+json"
    first = client.get(url)
    jwt = client.get(url, HTTP_ACCEPT="application/vc+jwt")
    assert jwt["Content-Type"] == "application/vc+jwt" and jwt["ETag"] != first["ETag"]
    assert "Accept" in jwt["Vary"] and "Accept" in first["Vary"]
    assert directives(first)["max-age"] == "300"
    assert again(client, url, first).status_code == 304
    assert client.get(url).content == first.content  # signed once, served from memory
    services.revoke_credential(credential, "Erreur de dates.")
    second = again(client, url, first)
    assert second.status_code == 200 and second["ETag"] != first["ETag"]
    assert second.json()["proof"] != first.json()["proof"]


def test_a_busy_status_list_reads_the_revocations_at_most_every_few_seconds(
    client, credential, settings, django_assert_num_queries
):
    settings.STATUS_LIST_READ_SECONDS = 5
    url = reverse("ob3_status_list")
    client.defaults["HTTP_ACCEPT"] = "application/ld+json"
    with time_machine.travel(dt.datetime(2027, 1, 4, 9, tzinfo=dt.UTC), tick=False) as clock:
        first = client.get(url)
        services.revoke_credential(credential, "Erreur de dates.")
        clock.shift(4)
        with django_assert_num_queries(0):  # what was read four seconds ago
            assert client.get(url).content == first.content
        clock.shift(2)
        revoked = client.get(url)
        assert revoked["ETag"] != first["ETag"]
        assert revoked.json()["proof"] != first.json()["proof"]
        clock.shift(-3600)  # a clock set back: what was read is not trusted any longer
        with django_assert_num_queries(2):
            assert client.get(url)["ETag"] == revoked["ETag"]


def test_the_ob2_assertion_is_short_lived_and_gone_once_revoked(client, credential):
    url = reverse("ob2_assertion", args=[credential.public_id])
    first = client.get(url)
    assert first.content.decode() == credential.ob2_json
    assert directives(first)["max-age"] == "300"
    assert first["Access-Control-Allow-Origin"] == "*"
    second = again(client, url, first)
    assert second.status_code == 304 and second["Access-Control-Allow-Origin"] == "*"
    services.revoke_credential(credential, "Erreur de dates.")
    assert again(client, url, first).status_code == 410
    png = client.get(reverse("ob2_baked_png", args=[credential.public_id]))
    assert png.status_code == 410
