"""Load the demo programme: badge class, demo staff account and ~50 missions.

Idempotent: a second run creates nothing. Missions go through the agency's CSV
import (the same validation and eligibility as a real file); missions already
present are left as they are, so an invitation or a badge made during the demo
never sees its mission change under it.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from insigne.badges.programme import ensure_programme
from insigne.demo import data as demo_data
from insigne.missions.models import Mission
from insigne.missions.services import import_csv
from insigne.platform.roles import PROGRAMME_MANAGER, SUPPORT_AGENT, ensure_roles


class Command(BaseCommand):
    help = "Charge le programme de démonstration (mode démo uniquement : INSIGNE_DEMO=1)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            # It creates an admin/admin account: never outside the demo.
            raise CommandError("Mode démo uniquement : définissez INSIGNE_DEMO=1.")
        with transaction.atomic():
            badge_created = self.load_badge_class()
            admin_created = self.load_admin()
        missions_created = self.load_missions()
        self.stdout.write(
            f"Démo : modèle de badge {'créé' if badge_created else 'déjà là'}, "
            f"compte admin {'créé' if admin_created else 'déjà là'}, "
            f"{missions_created} mission(s) ajoutée(s), {Mission.objects.count()} au total."
        )

    def load_badge_class(self) -> bool:
        return ensure_programme()[1]

    def load_admin(self) -> bool:
        users = get_user_model()
        if users.objects.filter(username="admin").exists():
            return False
        users.objects.create_superuser("admin", "admin@exemple.test", "admin")
        # One account per staff role, to see the console as each of them sees it.
        ensure_roles(apps)
        for username, role in (("support", SUPPORT_AGENT), ("programme", PROGRAMME_MANAGER)):
            if not users.objects.filter(username=username).exists():
                user = users.objects.create_user(username, password=username, is_staff=True)
                user.groups.add(Group.objects.get(name=role))
        return True

    def load_missions(self) -> int:
        missions = demo_data.demo_missions(timezone.localdate())
        present = set(
            Mission.objects.filter(external_id__in=[m.external_id for m in missions]).values_list(
                "external_id", flat=True
            )
        )
        new = [m for m in missions if m.external_id not in present]
        if not new:
            return 0
        report = import_csv(demo_data.missions_csv(new), "demo", "demo.csv")
        if report.rejected or report.failure:
            raise CommandError(
                f"Import des missions de démo refusé : {report.errors or report.failure}"
            )
        return report.created
