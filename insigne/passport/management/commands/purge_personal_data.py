from typing import Any

from django.core.management.base import BaseCommand

from insigne.passport.retention import purge


class Command(BaseCommand):
    help = (
        "Efface les données personnelles dont la durée de conservation est passée "
        "(traces de courriels, missions sans invitation, comptes jamais vérifiés)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done = purge()
        self.stdout.write(
            f"Effacés : traces de courriels {done.mails}, missions {done.missions}, "
            f"comptes {done.accounts}."
        )
