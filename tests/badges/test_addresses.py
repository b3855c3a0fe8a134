"""The one URL scheme: what a credential names is exactly what the site answers at."""

import re

import pytest
from django.urls import resolve, reverse

from insigne.openbadges import addresses, ob2, ob3

SITE = "https://badges.example.test"
VALUES = {
    "public_id": "AbC-123_x",
    "slug": "service-civique",
    "key_id": "key-2",
    "language": "fr",
}


@pytest.mark.parametrize("name", sorted(addresses.PATHS))
def test_every_address_of_the_scheme_is_served_under_the_same_name(name):
    wanted = {key: VALUES[key] for key in re.findall(r"\{(\w+)\}", addresses.PATHS[name])}
    absolute = addresses.url(SITE, name, **wanted)
    path = absolute.removeprefix(SITE)
    assert reverse(name, kwargs=wanted) == path
    assert resolve(path).url_name == name


def test_the_builders_use_the_scheme():
    assert ob3.credential_url(SITE, "x") == f"{SITE}/badges/x"
    assert ob2.assertion_url(SITE, "x") == f"{SITE}/ob2/assertions/x"
    assert ob3.status_list_url(SITE) == f"{SITE}/ob3/status/1"
