"""The holder chooses who sees their badge page: public, link only (the default) or hidden."""

from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from insigne.badges.models import Credential, Visibility
from insigne.claims import services
from insigne.verifier.verify import verify
from tests.claims.helpers import invite

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(camille, badge_class):
    """The badge and the personal link that identifies its holder."""
    invitation, token = invite(camille)
    return services.validate_claim(invitation), token


def as_holder(client, token: str) -> None:
    """Open the personal link, as the holder does from the invitation mail."""
    response = client.get(reverse("claim", args=[token]), follow=True)
    assert response.redirect_chain, "the link leads on to its page"


def page(client, credential):
    return client.get(reverse("badge", args=[credential.public_id]))


def test_a_badge_page_is_link_only_by_default(client, issued):
    credential, _ = issued
    assert credential.visibility == Visibility.LINK
    response = page(client, credential)
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"


def test_a_public_page_may_be_indexed(client, issued):
    credential, _ = issued
    Credential.objects.filter(pk=credential.pk).update(visibility=Visibility.PUBLIC)
    response = page(client, credential)
    assert "noindex" not in response.content.decode()
    assert "X-Robots-Tag" not in response


def test_a_hidden_page_is_a_404_to_others_and_its_files_too(client, issued):
    credential, _ = issued
    Credential.objects.filter(pk=credential.pk).update(visibility=Visibility.HIDDEN)
    for name in ("badge", "badge_png", "badge_svg", "badge_qr", "badge_ob3_json", "ob2_baked_png"):
        response = client.get(reverse(name, args=[credential.public_id]))
        assert response.status_code == 404, name
        assert "Camille" not in response.content.decode(errors="replace")
    pdf = client.get(reverse("badge_pdf", args=[credential.public_id, "fr"]))
    assert pdf.status_code == 404
    assert "Page introuvable" in page(client, credential).content.decode()


def test_a_hidden_badge_still_verifies_from_its_file_and_its_hosted_assertion(client, issued):
    credential, _ = issued
    Credential.objects.filter(pk=credential.pk).update(visibility=Visibility.HIDDEN)
    assert verify(credential.ob3_json).status == "valid"
    assertion = client.get(reverse("ob2_assertion", args=[credential.public_id]))
    assert assertion.status_code == 200


def test_the_holder_sees_their_hidden_page_and_can_publish_it(client, issued):
    credential, token = issued
    Credential.objects.filter(pk=credential.pk).update(visibility=Visibility.HIDDEN)
    as_holder(client, token)
    body = page(client, credential).content.decode()
    assert "Cette page est masquée" in body
    assert f'action="/badges/{credential.public_id}/visibilite/"' in body
    response = client.post(
        reverse("badge_visibility", args=[credential.public_id]), {"visibility": "public"}
    )
    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.visibility == Visibility.PUBLIC
    assert "Votre choix est enregistré." in client.get(response["Location"]).content.decode()


def test_others_cannot_change_the_choice(client, issued):
    credential, _ = issued
    url = reverse("badge_visibility", args=[credential.public_id])
    response = client.post(url, {"visibility": "public"})
    assert response.status_code == 403
    assert "Réservé à la personne titulaire du badge" in response.content.decode()
    credential.refresh_from_db()
    assert credential.visibility == Visibility.LINK
    assert "visibilite" not in page(client, credential).content.decode()


def test_others_learn_nothing_of_a_hidden_badge_from_the_settings_page(client, issued):
    credential, _ = issued
    Credential.objects.filter(pk=credential.pk).update(visibility=Visibility.HIDDEN)
    response = client.get(reverse("badge_visibility", args=[credential.public_id]))
    assert response.status_code == 404


def test_a_bad_choice_is_a_french_400(client, issued):
    credential, token = issued
    as_holder(client, token)
    url = reverse("badge_visibility", args=[credential.public_id])
    response = client.post(url, {"visibility": "tout-le-monde"})
    assert response.status_code == 400
    assert "Choisissez l'une des trois possibilités proposées." in unescape(
        response.content.decode()
    )
    credential.refresh_from_db()
    assert credential.visibility == Visibility.LINK


def test_the_choice_needs_the_csrf_token(issued):
    credential, token = issued
    client = Client(enforce_csrf_checks=True)
    as_holder(client, token)
    url = reverse("badge_visibility", args=[credential.public_id])
    assert client.post(url, {"visibility": "public"}).status_code == 403
    credential.refresh_from_db()
    assert credential.visibility == Visibility.LINK


def test_the_volunteer_chooses_at_validation(client, camille, badge_class):
    _, token = invite(camille)
    as_holder(client, token)
    response = client.post(reverse("claim_preview"), {"confirm": "on", "visibility": "hidden"})
    assert response.status_code == 302
    credential = Credential.objects.get()
    assert credential.visibility == Visibility.HIDDEN
    # The browser that validated is the holder's: it still sees the page.
    assert client.get(response["Location"]).status_code == 200


def test_the_preview_offers_the_choice_with_link_only_checked(client, camille, badge_class):
    _, token = invite(camille)
    as_holder(client, token)
    body = client.get(reverse("claim_preview")).content.decode()
    assert 'name="visibility" value="link" checked' in body
    assert 'name="visibility" value="public">' in body
    assert 'name="visibility" value="hidden">' in body


def test_a_bad_choice_at_validation_signs_nothing(client, camille, badge_class):
    _, token = invite(camille)
    as_holder(client, token)
    response = client.post(reverse("claim_preview"), {"confirm": "on", "visibility": "partout"})
    assert response.status_code == 200
    assert "Choisissez l'une des trois possibilités proposées." in unescape(
        response.content.decode()
    )
    assert not Credential.objects.exists()


def test_robots_txt_keeps_crawlers_off_personal_links(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /obtenir/" in lines
    assert "Disallow: /admin/" in lines
    # Badge pages stay crawlable, so that crawlers read their noindex.
    assert not any(line.startswith("Disallow: /badges") for line in lines)
