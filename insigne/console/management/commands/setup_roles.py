"""``setup_roles``: create (or restore) the three staff groups with exactly their rights."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand

from insigne.platform.roles import ROLES, ensure_roles


class Command(BaseCommand):
    help = "Crée ou remet en état les rôles du personnel : " + ", ".join(ROLES) + "."

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_roles(apps)
        self.stdout.write("Rôles à jour : " + ", ".join(ROLES) + ".")
