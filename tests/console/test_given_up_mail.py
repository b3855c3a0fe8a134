"""Given-up mails and refused addresses: a banner on console pages, one button, a daily mail."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from insigne.claims.models import Invitation
from insigne.mail.models import MailStatus, OutgoingMail
from insigne.mail.services import send_daily_summary
from insigne.platform import roles
from tests.claims.helpers import invite
from tests.personas import make_mission, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff_client(client):
    client.force_login(make_staff("agent", roles.ADMINISTRATOR))  # support and imports
    return client


@pytest.fixture
def given_up(badge_class):
    """One invitation given up after every try, one refused by the recipient's server."""
    mails = {}
    for name, status in (("M-LOST", MailStatus.FAILED), ("M-REFUSED", MailStatus.UNDELIVERABLE)):
        mission = make_mission(name, email_undeliverable=status == MailStatus.UNDELIVERABLE)
        invitation, _token = invite(mission)
        mails[name] = OutgoingMail.objects.create(
            kind="invitation",
            to=mission.email,
            subject="Votre Open Badge",
            text_body="",  # erased when given up
            status=status,
            related_key=f"invitation:{invitation.pk}",
        )
    return mails


def test_console_pages_show_the_banner_and_public_pages_do_not(staff_client, given_up):
    for url in (reverse("console_support"), reverse("programme_imports")):
        page = staff_client.get(url).content.decode()
        assert "Courriels donnés pour perdus" in page, url
        assert "1 abandonné(s) après tous les essais, 1 refusé(s)" in page
        assert "Renvoyer les 2 courriels" in page
    assert (
        "Courriels donnés pour perdus" not in staff_client.get(reverse("resend")).content.decode()
    )


def test_staff_who_may_not_resend_see_the_banner_without_its_button(client, given_up):
    client.force_login(make_staff("pilote", roles.PROGRAMME_MANAGER))
    page = client.get(reverse("programme_imports")).content.decode()
    assert "Courriels donnés pour perdus" in page
    assert "Renvoyer les 2 courriels" not in page
    assert "Un agent du support peut les renvoyer." in page
    assert client.post(reverse("console_mail_retry")).status_code == 403


def test_one_action_sends_them_again_and_clears_the_banner(staff_client, given_up, mailoutbox):
    response = staff_client.post(
        reverse("console_mail_retry"), {"next": reverse("programme_imports")}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("programme_imports")
    assert sorted(m.to[0] for m in mailoutbox) == ["m-lost@exemple.test", "m-refused@exemple.test"]
    assert not Invitation.objects.filter(mission__email_undeliverable=True).exists()
    assert OutgoingMail.objects.filter(handled_at__isnull=False).count() == 2
    page = staff_client.get(reverse("console_support")).content.decode()
    assert "2 courriels renvoyés." in page
    assert "Courriels donnés pour perdus" not in page


def test_the_retry_button_returns_only_to_a_console_page(staff_client, given_up):
    response = staff_client.post(reverse("console_mail_retry"), {"next": "https://evil.test/"})
    assert response["Location"] == reverse("console_support")


def test_support_gets_one_summary_a_day_with_counts_and_no_address(given_up, mailoutbox):
    cache.clear()
    assert send_daily_summary()
    assert not send_daily_summary()  # a second worker, the same day

    [summary] = [m for m in mailoutbox if m.to == [settings.SUPPORT_EMAIL]]
    assert summary.subject == "Insigne : courriels à reprendre"
    assert "1 abandonné(s) après tous les essais, 1 refusé(s)" in summary.body
    assert reverse("console_support") in summary.body
    assert "exemple.test" not in summary.body


def test_no_summary_when_nothing_awaits(db, mailoutbox):
    cache.clear()
    assert not send_daily_summary()
    assert mailoutbox == []
