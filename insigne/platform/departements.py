"""The 101 French départements, code → name (``data/departements.csv``, INSEE codes).

Support agents type a département as volunteers write it: "69", "Rhône",
"rhone", "cote d or". :func:`code_for` turns any of these into the code stored on
missions (``Mission.departement``).
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

from insigne.platform.text import fold


@cache
def departements() -> dict[str, str]:
    """``{"01": "Ain", …, "2A": "Corse-du-Sud", …, "976": "Mayotte"}``."""
    source = resources.files("insigne.platform").joinpath("data/departements.csv")
    with source.open(encoding="utf-8") as handle:
        return {row["code"]: row["nom"] for row in csv.DictReader(handle)}


@cache
def _by_folded_name() -> dict[str, str]:
    return {fold(name): code for code, name in departements().items()}


def code_for(text: str) -> str | None:
    """The code of the département ``text`` names (its code or its name), else ``None``.

    A one-digit code is read with its leading zero ("1" → "01").
    """
    value = text.strip().upper()
    if value.isdigit() and len(value) == 1:
        value = "0" + value
    if value in departements():
        return value
    return _by_folded_name().get(fold(text))
