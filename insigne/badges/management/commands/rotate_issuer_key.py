"""Add a new active issuer key; earlier public keys stay published."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from insigne.badges.keys import rotate_issuer_key


class Command(BaseCommand):
    help = "Crée une nouvelle clé de signature active ; les anciennes restent publiées."

    def handle(self, *args: Any, **options: Any) -> None:
        added = rotate_issuer_key()
        self.stdout.write(f"Nouvelle clé active : {added.key_id} ({added.created})")
        # Each process reads the key file once: running servers keep signing with
        # the previous key (still valid and published) until they restart.
        self.stdout.write("Redémarrez les serveurs web et les workers pour signer avec elle.")
