"""Daily job: invite every eligible mission that ended before today and was never invited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from insigne.claims.services import invite_due_missions


def parse_day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Date invalide : {value!r} (attendu AAAA-MM-JJ).") from error


class Command(BaseCommand):
    help = "Envoie les invitations dues (missions éligibles terminées avant aujourd'hui)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            type=str,
            help="Date du jour à utiliser (AAAA-MM-JJ), par défaut aujourd'hui à Paris.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = parse_day(options["today"]) if options["today"] else timezone.localdate()
        created = invite_due_missions(today)
        self.stdout.write(f"{created} invitation(s) envoyée(s) pour le {today:%d/%m/%Y}.")
