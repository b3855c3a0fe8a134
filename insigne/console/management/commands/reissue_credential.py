"""``reissue_credential ID [--given-name …] [--family-name …] [--host-name …] --reason …``.

Revokes the badge and signs a corrected one (new public id, new status-list
index), mails it to the volunteer and writes the audit log (``manage.py``).
Prints the new badge's public id.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from insigne.claims import corrections
from insigne.claims.services import ClaimError
from insigne.console.management.commands.revoke_credential import find_credential
from insigne.platform.messages import explain


class Command(BaseCommand):
    help = (
        "Corrige un badge émis : révoque l'ancien, signe un badge corrigé (prénom, nom ou "
        "organisme d'accueil), l'envoie au volontaire. L'ancien mène au nouveau."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "public_id",
            help=(
                "identifiant public du badge à corriger"
                " ; un identifiant qui commence par « - » s'écrit après « -- » et les options"
            ),
        )
        parser.add_argument("--given-name", default="", help="prénom corrigé")
        parser.add_argument("--family-name", default="", help="nom corrigé")
        parser.add_argument("--host-name", default="", help="organisme d'accueil corrigé")
        parser.add_argument("--reason", required=True, help="motif de la correction")

    def handle(self, *args: Any, **options: Any) -> None:
        credential = find_credential(options["public_id"])
        try:
            new = corrections.reissue(
                credential,
                reason=options["reason"],
                given_name=options["given_name"],
                family_name=options["family_name"],
                host_name=options["host_name"],
            )
        except ClaimError as error:
            raise CommandError(explain(error)) from error
        self.stdout.write(new.public_id)
