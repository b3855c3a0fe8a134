"""Who may receive the Open Badge: one pure function of the mission record.

Rule (FAQ §3 and §5): the mission must have *actually* lasted at least six
calendar months, end date included, whatever its planned duration. A mission
interrupted early (``rupture_anticipee``) is eligible if, and only if, it had
already lasted six months.

How six calendar months are counted:

* the threshold is the start date moved six months later, same day number;
* when that day does not exist (31 August + 6 months → no 31 February) the
  threshold is the last day of that month (28 or 29 February) — the reading
  of "de quantième à quantième" that favours the volunteer;
* the end date is inclusive, so the mission is long enough when the day
  after its end is on or after the threshold.

Examples: 1 Jan → 30 Jun is six months (eligible); 1 Jan → 29 Jun is five
months and 29 days (not eligible); 31 Aug 2025 → 27 Feb 2026 is eligible
(threshold 28 Feb 2026); 29 Aug 2027 → 28 Feb 2028 is eligible (threshold
29 Feb 2028, a leap year).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass

MINIMUM_MONTHS = 6

NOT_FINISHED = "mission_en_cours"
INTERRUPTED_TOO_SOON = "rupture_avant_6_mois"
TOO_SHORT = "duree_inferieure_6_mois"
END_BEFORE_START = "fin_avant_debut"

REASON_LABELS = {
    NOT_FINISHED: "La mission n'est pas terminée.",
    INTERRUPTED_TOO_SOON: "La mission a été interrompue avant 6 mois.",
    TOO_SHORT: "La mission a duré moins de 6 mois.",
    END_BEFORE_START: "La date de fin est antérieure à la date de début.",
}


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reason: str = ""  # one of the constants above when not eligible


# Every verdict, made once (they are immutable): an import evaluates each row.
_VERDICTS = {
    "": Eligibility(True),
    **{reason: Eligibility(False, reason) for reason in REASON_LABELS},
}


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved ``months`` later, clamped to the end of the target month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def evaluate(start: dt.date, actual_end: dt.date | None, early_end: bool) -> Eligibility:
    """Decide eligibility from the start date, the actual end date and the end reason."""
    if actual_end is None:
        return _VERDICTS[NOT_FINISHED]
    if actual_end < start:
        return _VERDICTS[END_BEFORE_START]
    if actual_end >= _earliest_eligible_end(start):
        return _VERDICTS[""]
    return _VERDICTS[INTERRUPTED_TOO_SOON if early_end else TOO_SHORT]


@functools.lru_cache(maxsize=8192)
def _earliest_eligible_end(start: dt.date) -> dt.date:
    """The first actual end date that completes ``MINIMUM_MONTHS`` from ``start``: the
    day before the same day ``MINIMUM_MONTHS`` later (kept per start date: a mission
    file holds a few thousand of them)."""
    return add_months(start, MINIMUM_MONTHS) - dt.timedelta(days=1)
