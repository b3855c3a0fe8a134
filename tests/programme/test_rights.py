"""Who reaches the programme pages and the token page: each needs its own permission."""

from __future__ import annotations

import pytest
from django.test import Client

from insigne.integrations.models import ApiToken
from insigne.platform import roles
from tests.programme.conftest import staff_with

pytestmark = pytest.mark.django_db

PAGES = {
    roles.perm(roles.VIEW_FIGURES): ["/console/programme/", "/console/programme/entonnoir.csv"],
    roles.perm(roles.MANAGE_IMPORTS): ["/console/programme/imports/"],
    roles.perm(roles.MANAGE_CAMPAIGNS): ["/console/programme/campagnes/"],
    roles.perm(roles.MANAGE_API_TOKENS): ["/console/api/jetons/"],
}


@pytest.mark.parametrize("permission", list(PAGES))
def test_each_page_needs_its_permission(permission):
    without = Client()
    without.force_login(staff_with(*[p for p in PAGES if p != permission], username="other"))
    holder = Client()
    holder.force_login(staff_with(permission, username="holder"))
    for url in PAGES[permission]:
        assert Client().get(url).status_code == 302  # anonymous: to the staff login
        assert without.get(url).status_code == 403
        assert holder.get(url).status_code == 200


def test_a_token_cannot_be_created_without_the_right(login):
    client = login(
        roles.perm(roles.MANAGE_IMPORTS),
        roles.perm(roles.MANAGE_CAMPAIGNS),
        roles.perm(roles.VIEW_FIGURES),
    )
    response = client.post(
        "/console/api/jetons/",
        {"name": "x", "scopes": ["missions:read"], "expires_on": "01/01/2099"},
    )
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


# The header link (and the programme's own menu entry, where it has one) each right opens.
LINKS = {
    roles.perm(roles.VIEW_FIGURES): "/console/programme/",
    roles.perm(roles.MANAGE_IMPORTS): "/console/programme/imports/",
    roles.perm(roles.MANAGE_API_TOKENS): "/console/api/jetons/",
}


@pytest.mark.parametrize("permission", list(LINKS))
def test_the_header_shows_a_page_to_those_who_hold_its_right(permission):
    holder = Client()
    holder.force_login(staff_with(permission, username="holder"))
    without = Client()
    without.force_login(staff_with(username="other"))
    link = f'href="{LINKS[permission]}"'
    assert link in holder.get("/console/support/").content.decode()
    assert link not in without.get("/console/support/").content.decode()
