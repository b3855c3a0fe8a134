"""Helpers for the Passport tests: volunteers with accounts, and badges issued to them."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core.cache import cache

from insigne.badges.models import Credential
from insigne.claims import services
from tests.claims.helpers import invite
from tests.personas import make_mission

PASSWORD = "un-mot-de-passe-assez-long-2026"


def issued_badge(external_id: str, email: str, **fields: object) -> Credential:
    """A badge issued the way the journey issues it, to ``email``."""
    invitation, _token = invite(make_mission(external_id, email=email, **fields))
    return services.validate_claim(invitation)


def volunteer(*addresses: str, verified: bool = True) -> User:
    """An account with these addresses (the first primary), proven or not."""
    user = User.objects.create_user(f"u-{addresses[0]}", password=PASSWORD)
    for index, email in enumerate(addresses):
        EmailAddress.objects.create(user=user, email=email, primary=index == 0, verified=verified)
    return user


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """allauth counts in the database cache, which a transactional test's flush keeps
    (it is no model's table): start each test with no count from an earlier one."""
    cache.clear()
    yield
    cache.clear()
