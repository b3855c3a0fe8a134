from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from insigne.integrations.models import Scope
from insigne.integrations.tokens import create_token

ALL_SCOPES = list(Scope.values)


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def make_token(db):
    def make(scopes: list[str] = ALL_SCOPES, days: int = 30) -> str:
        expires = timezone.now() + dt.timedelta(days=days)
        return create_token("SI de test", scopes, expires).secret

    return make
