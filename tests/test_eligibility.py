import datetime as dt

import pytest

from insigne.missions import eligibility as el

D = dt.date


@pytest.mark.parametrize(
    ("start", "end", "early", "expected"),
    [
        (D(2026, 1, 1), D(2026, 6, 30), False, el.Eligibility(True)),
        (D(2026, 1, 1), D(2026, 6, 29), False, el.Eligibility(False, el.TOO_SHORT)),
        (D(2026, 1, 1), D(2026, 6, 29), True, el.Eligibility(False, el.INTERRUPTED_TOO_SOON)),
        (D(2026, 1, 1), D(2026, 7, 1), True, el.Eligibility(True)),  # interrupted after 6 months
        (D(2026, 1, 1), D(2026, 12, 31), False, el.Eligibility(True)),
        (D(2026, 3, 15), D(2026, 9, 14), False, el.Eligibility(True)),
        (D(2026, 3, 15), D(2026, 9, 13), False, el.Eligibility(False, el.TOO_SHORT)),
        # month ends: 31 August + 6 months has no 31 February, threshold is 28 February
        (D(2025, 8, 31), D(2026, 2, 27), False, el.Eligibility(True)),
        (D(2025, 8, 31), D(2026, 2, 26), False, el.Eligibility(False, el.TOO_SHORT)),
        (D(2025, 8, 30), D(2026, 2, 27), False, el.Eligibility(True)),
        # leap years: threshold 29 February 2028
        (D(2027, 8, 29), D(2028, 2, 28), False, el.Eligibility(True)),
        (D(2027, 8, 29), D(2028, 2, 27), False, el.Eligibility(False, el.TOO_SHORT)),
        (D(2027, 8, 31), D(2028, 2, 28), False, el.Eligibility(True)),
        (D(2027, 8, 31), D(2028, 2, 27), False, el.Eligibility(False, el.TOO_SHORT)),
        # a start on 29 February
        (D(2028, 2, 29), D(2028, 8, 28), False, el.Eligibility(True)),
        (D(2028, 2, 29), D(2028, 8, 27), False, el.Eligibility(False, el.TOO_SHORT)),
        # across a year end
        (D(2025, 9, 1), D(2026, 2, 28), False, el.Eligibility(True)),
        (D(2025, 9, 1), D(2026, 2, 27), False, el.Eligibility(False, el.TOO_SHORT)),
        (D(2026, 1, 1), None, False, el.Eligibility(False, el.NOT_FINISHED)),
        (D(2026, 1, 10), D(2026, 1, 9), True, el.Eligibility(False, el.END_BEFORE_START)),
        (D(2026, 1, 10), D(2026, 1, 10), True, el.Eligibility(False, el.INTERRUPTED_TOO_SOON)),
    ],
)
def test_it_counts_six_calendar_months_end_date_inclusive(start, end, early, expected):
    assert el.evaluate(start, end, early) == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 7, 15), 6, D(2027, 1, 15)),
        (D(2026, 12, 31), 6, D(2027, 6, 30)),
    ],
)
def test_add_months_clamps_to_the_month_end(day, months, expected):
    assert el.add_months(day, months) == expected


def test_every_reason_has_a_french_label():
    reasons = {el.NOT_FINISHED, el.INTERRUPTED_TOO_SOON, el.TOO_SHORT, el.END_BEFORE_START}
    assert reasons == set(el.REASON_LABELS)
