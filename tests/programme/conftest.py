from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client


def staff_with(*codenames: str, username: str = "agent") -> User:
    """A staff member holding these permissions (``app_label.codename``)."""
    user = User.objects.create_user(username, is_staff=True)
    for name in codenames:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


@pytest.fixture
def login(db):
    def log_in(*codenames: str) -> Client:
        client = Client()
        client.force_login(staff_with(*codenames))
        return client

    return log_in
