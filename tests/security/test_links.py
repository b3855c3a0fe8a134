"""Personal links: resend keeps the old link alive (a bounded number of live links),
and the token leaves the URL path at its first request."""

from __future__ import annotations

import pytest
from django.urls import reverse

from insigne.claims import services
from insigne.claims.models import InvitationLink
from insigne.claims.tokens import MAX_LIVE_LINKS
from insigne.claims.views import LINK_COOKIE
from tests.claims.helpers import invite
from tests.security.helpers import PROXY_HEADER, Visitor

pytestmark = pytest.mark.django_db(transaction=True)  # mails go on commit


def opens(client, token: str) -> bool:
    client.cookies.clear()
    response = client.get(reverse("claim", args=[token]), follow=True)
    return response.status_code == 200 and "Vérifiez vos informations" in response.content.decode()


def mailed_token(message) -> str:
    link = next(word for word in message.body.split() if "/obtenir/" in word)
    return link.rstrip("/").split("/")[-1]


def test_resend_keeps_the_old_link_alive(client, camille, badge_class, mailoutbox):
    invitation, first = invite(camille)
    assert services.resend_for_mission(camille)
    second = mailed_token(mailoutbox[-1])
    assert second != first
    assert opens(client, first) and opens(client, second)


def test_at_most_five_links_live_and_the_oldest_goes_first(
    client, camille, badge_class, mailoutbox
):
    invitation, first = invite(camille)
    for _ in range(MAX_LIVE_LINKS + 1):
        services.resend_for_mission(camille)
    tokens = [first] + [mailed_token(m) for m in mailoutbox]
    assert MAX_LIVE_LINKS == 5
    assert InvitationLink.objects.filter(invitation=invitation).count() == MAX_LIVE_LINKS
    assert [opens(client, token) for token in tokens] == [False, False] + [True] * 5


def test_a_declined_invitation_gets_no_link_and_a_validated_one_its_badge(
    camille, badge_class, mailoutbox
):
    invitation, _ = invite(camille)
    services.decline_invitation(invitation)
    assert not services.resend_for_mission(camille)
    services.reopen_invitation(invitation)
    invitation.refresh_from_db()
    services.validate_claim(invitation)
    mailoutbox.clear()
    assert services.resend_for_mission(camille)
    assert [m.subject for m in mailoutbox] == ["Votre Open Badge Service Civique"]
    assert InvitationLink.objects.filter(invitation=invitation).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_first_request_moves_the_token_out_of_the_path(live_server, camille, settings):
    settings.SECURE_PROXY_SSL_HEADER = PROXY_HEADER
    _, token = invite(camille)
    visitor = Visitor(live_server.url)
    first = visitor.get(f"/obtenir/{token}/")
    assert first.status == 302
    assert first.header("Location") == "/obtenir/" and token not in first.header("Location")
    [cookie] = [c for c in first.headers.get_all("Set-Cookie") if c.startswith(LINK_COOKIE)]
    for flag in ("HttpOnly", "Secure", "SameSite=Lax", "Path=/obtenir/", "Max-Age=7200"):
        assert flag in cookie, cookie
    form = visitor.get("/obtenir/")
    assert form.status == 200 and "Vérifiez vos informations" in form.body
    assert token not in form.body  # nor in any link or form of the page
    decline = visitor.get(f"/obtenir/{token}/refuser/")  # the mail's other link
    assert decline.header("Location") == "/obtenir/refuser/"


def test_plain_http_gets_the_cookie_without_secure(client, camille, settings):
    _, token = invite(camille)
    response = client.get(reverse("claim", args=[token]))
    assert response.cookies[LINK_COOKIE]["secure"] == ""
    assert response.cookies[LINK_COOKIE]["httponly"] is True


def test_without_the_cookie_the_pages_say_to_open_the_mail_again(client):
    response = client.get(reverse("claim_form"))
    assert response.status_code == 404
    assert "Ouvrez de nouveau le lien de votre courriel" in response.content.decode()
