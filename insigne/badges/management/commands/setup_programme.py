"""Create the Service Civique badge class when absent (run once per installation)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from insigne.badges.programme import ensure_programme


class Command(BaseCommand):
    help = "Crée le modèle de badge Service Civique s'il n'existe pas encore."

    def handle(self, *args: Any, **options: Any) -> None:
        badge_class, created = ensure_programme()
        state = "créé" if created else "déjà présent (laissé tel quel)"
        self.stdout.write(f"Modèle de badge « {badge_class.name} » : {state}.")
