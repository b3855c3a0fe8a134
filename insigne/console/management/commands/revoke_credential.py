"""``revoke_credential ID --reason …``: revoke one badge from a script (audit: ``manage.py``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from insigne.badges.models import Credential
from insigne.claims import corrections
from insigne.claims.services import ClaimError
from insigne.platform.messages import explain


def find_credential(public_id: str) -> Credential:
    credential = Credential.objects.filter(public_id=public_id).first()
    if credential is None:
        raise CommandError(f"Aucun badge n'a l'identifiant « {public_id} ».")
    return credential


class Command(BaseCommand):
    help = (
        "Révoque un badge émis : son assertion OB 2.0 répond 410, son bit de statut OB 3.0 "
        "est levé, sa page le dit. Le motif est écrit au journal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "public_id",
            help=(
                "identifiant public du badge (/badges/<id>)"
                " ; un identifiant qui commence par « - » s'écrit après « -- » et les options"
            ),
        )
        parser.add_argument("--reason", required=True, help="motif de la révocation")

    def handle(self, *args: Any, **options: Any) -> None:
        credential = find_credential(options["public_id"])
        try:
            changed = corrections.revoke(credential, options["reason"])
        except ClaimError as error:
            raise CommandError(explain(error)) from error
        if not changed:
            raise CommandError(explain(ClaimError("already_revoked")))
        self.stdout.write(f"Badge {credential.public_id} révoqué.")
