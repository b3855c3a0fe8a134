"""Write one issued credential to standard output, in one of its forms.

``ob3``, ``jwt`` and ``ob2`` are the stored texts, byte for byte; ``png``/``svg``
bake the signed OB 3.0 JSON (``openbadgecredential``) into the badge class image,
``png2``/``svg2`` the OB 2.0 assertion (``openbadges``). Output is raw bytes
(no newline added), so ``> badge.png`` gives a valid file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, BinaryIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from insigne.badges.models import Credential
from insigne.badges.presenter import badge_svg
from insigne.openbadges import baking


def _svg_source(credential: Credential) -> str:
    # The same SVG the public download uses (the PNG wrapped when the class has none).
    return badge_svg(credential)


def _png(credential: Credential, keyword: str, text: str) -> bytes:
    return baking.bake_png(bytes(credential.badge_class.image), keyword, text)


def _svg(credential: Credential, version: baking.SvgVersion, text: str) -> bytes:
    return baking.bake_svg(_svg_source(credential), version, text).encode("utf-8")


FORMATS: dict[str, Callable[[Credential], bytes]] = {
    "ob3": lambda c: c.ob3_json.encode("utf-8"),
    "jwt": lambda c: c.ob3_jwt.encode("ascii"),
    "ob2": lambda c: c.ob2_json.encode("utf-8"),
    "png": lambda c: _png(c, baking.OB3_KEYWORD, c.ob3_json),
    "svg": lambda c: _svg(c, "ob3", c.ob3_json),
    "png2": lambda c: _png(c, baking.OB2_KEYWORD, c.ob2_json),
    "svg2": lambda c: _svg(c, "ob2", c.ob2_json),
}


class Command(BaseCommand):
    help = (
        "Écrit un badge émis sur la sortie standard : ob3 (JSON signé), jwt (VC-JWT), "
        "ob2 (assertion), png/svg (image avec l'OB 3.0), png2/svg2 (image avec l'OB 2.0)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("public_id", help=_("identifiant public du badge"))
        parser.add_argument("--format", choices=sorted(FORMATS), default="ob3")

    def handle(self, *args: Any, **options: Any) -> None:
        public_id = options["public_id"]
        credential = (
            Credential.objects.select_related("badge_class").filter(public_id=public_id).first()
        )
        if credential is None:
            raise CommandError(_("Aucun badge émis n'a l'identifiant « %s ».") % public_id)
        if credential.revoked_at is not None:
            self.stderr.write(_("Attention : ce badge a été révoqué."))
        try:
            data = FORMATS[options["format"]](credential)
        except baking.BakingError as error:
            raise CommandError(_("Image du modèle de badge inutilisable : %s") % error) from error
        # Binary-safe: straight to the byte stream under the text wrapper.
        cast(BinaryIO, self.stdout.buffer).write(data)
        self.stdout.flush()
