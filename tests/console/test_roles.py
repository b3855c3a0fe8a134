"""Each role reaches what its work needs and nothing else; a visitor reaches nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from insigne.platform import roles
from tests.claims.helpers import invite
from tests.personas import make_staff

pytestmark = pytest.mark.django_db

PAGES = ["console_support", "console_audit_csv"]
MISSION_PAGES = ["console_mission"]
ACTIONS = {
    "console_resend": {},
    "console_address": {"email": "nouvelle@exemple.test"},
    "console_reopen": {},
    "console_revoke": {"reason": "Erreur"},
    "console_reissue": {"given_name": "Camila", "reason": "Erreur"},
}

# What each role may do (the other actions answer 403).
ALLOWED = {
    roles.SUPPORT_AGENT: {"console_resend", "console_address", "console_reopen"},
    roles.PROGRAMME_MANAGER: set(),
    roles.ADMINISTRATOR: set(ACTIONS),
}


def _url(name: str, mission_id: int) -> str:
    return reverse(name, args=[mission_id]) if name not in PAGES else reverse(name)


@pytest.fixture
def issued_mission(camille, badge_class):
    from insigne.claims import services

    invitation, _token = invite(camille)
    services.validate_claim(invitation)
    return camille


def test_an_anonymous_visitor_reaches_nothing(client, camille):
    for name in [*PAGES, *MISSION_PAGES, *ACTIONS, "console_mail_retry"]:
        url = _url(name, camille.pk) if name != "console_mail_retry" else reverse(name)
        for response in (client.get(url), client.post(url, ACTIONS.get(name, {}))):
            assert response.status_code in (302, 405), (name, response.status_code)
            if response.status_code == 302:
                assert response.url.startswith("/admin/login/"), name


def test_an_account_that_is_not_staff_is_sent_to_the_staff_login(client, camille):
    client.force_login(User.objects.create_user("volontaire"))
    response = client.get(reverse("console_support"))
    assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_staff_without_a_role_is_refused_in_french(client, camille):
    client.force_login(User.objects.create_user("nouveau", is_staff=True))
    response = client.get(reverse("console_support"))
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


@pytest.mark.parametrize("role", list(ALLOWED))
def test_every_role_searches_and_reads_a_volunteer(client, camille, role):
    client.force_login(make_staff("agent", role))
    assert client.get(reverse("console_support"), {"name": "camille"}).status_code == 200
    assert client.get(reverse("console_mission", args=[camille.pk])).status_code == 200
    assert client.get(reverse("console_audit_csv")).status_code == 200


@pytest.mark.parametrize("role", list(ALLOWED))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_action_is_allowed_to_its_roles_only(client, issued_mission, role, action):
    client.force_login(make_staff("agent", role))
    response = client.post(_url(action, issued_mission.pk), ACTIONS[action])
    if action in ALLOWED[role]:
        assert response.status_code in (302, 400), response.status_code
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", list(ALLOWED))
def test_the_page_offers_only_the_actions_of_the_role(client, issued_mission, role):
    client.force_login(make_staff("agent", role))
    page = client.get(reverse("console_mission", args=[issued_mission.pk])).content.decode()
    assert (reverse("console_revoke", args=[issued_mission.pk]) in page) is (
        role == roles.ADMINISTRATOR
    )
    assert (reverse("console_address", args=[issued_mission.pk]) in page) is (
        role != roles.PROGRAMME_MANAGER
    )


@pytest.mark.parametrize(
    ("role", "codename", "expected"),
    [
        (roles.SUPPORT_AGENT, roles.MANAGE_API_TOKENS, False),
        (roles.SUPPORT_AGENT, roles.MANAGE_IMPORTS, False),
        (roles.SUPPORT_AGENT, roles.REVOKE_CREDENTIAL, False),
        (roles.PROGRAMME_MANAGER, roles.MANAGE_IMPORTS, True),
        (roles.PROGRAMME_MANAGER, roles.MANAGE_CAMPAIGNS, True),
        (roles.PROGRAMME_MANAGER, roles.VIEW_FIGURES, True),
        (roles.PROGRAMME_MANAGER, roles.RESEND_MAIL, False),
        (roles.PROGRAMME_MANAGER, roles.MANAGE_API_TOKENS, False),
        (roles.ADMINISTRATOR, roles.MANAGE_API_TOKENS, True),
        (roles.ADMINISTRATOR, roles.REISSUE_CREDENTIAL, True),
    ],
)
def test_the_rights_other_pages_check(role, codename, expected):
    assert roles.allowed(make_staff("agent", role), codename) is expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [(roles.SUPPORT_AGENT, 403), (roles.PROGRAMME_MANAGER, 403), (roles.ADMINISTRATOR, 200)],
)
def test_only_administrators_create_staff_accounts(client, role, expected):
    client.force_login(make_staff("agent", role))
    assert client.get("/admin/auth/user/add/").status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [(roles.SUPPORT_AGENT, 403), (roles.PROGRAMME_MANAGER, 200), (roles.ADMINISTRATOR, 200)],
)
def test_the_badge_texts_are_the_programme_managers(client, badge_class, role, expected):
    client.force_login(make_staff("agent", role))
    url = reverse("admin:credentials_badgeclass_change", args=[badge_class.pk])
    assert client.get(url).status_code == expected


def test_the_roles_migration_made_the_three_groups():
    from django.contrib.auth.models import Group

    groups = {g.name: {p.codename for p in g.permissions.all()} for g in Group.objects.all()}
    assert groups[roles.SUPPORT_AGENT] == {
        "view_support",
        "resend_mail",
        "fix_address",
        "reopen_claim",
    }
    assert set(roles.PERMISSIONS) <= groups[roles.ADMINISTRATOR]
