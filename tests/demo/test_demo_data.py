import datetime as dt
from collections import Counter

import pytest

from insigne.demo.data import demo_missions
from insigne.missions.eligibility import evaluate


@pytest.mark.parametrize(
    "today",
    [dt.date(2026, 7, 2), dt.date(2026, 3, 31), dt.date(2028, 2, 29), dt.date(2026, 1, 1)],
)
def test_the_situations_hold_whatever_the_day(today):
    missions = demo_missions(today)

    verdicts = Counter(
        (verdict.eligible, verdict.reason)
        for verdict in (
            evaluate(m.start_date, m.actual_end_date, m.end_reason == "rupture_anticipee")
            for m in missions
        )
    )
    assert verdicts == {
        (True, ""): 25,
        (False, "mission_en_cours"): 10,
        (False, "rupture_avant_6_mois"): 8,
        (False, "duree_inferieure_6_mois"): 5,
    }
    ended_yesterday = [m for m in missions if m.actual_end_date == today - dt.timedelta(days=1)]
    assert len(ended_yesterday) >= 10
    assert all(m.actual_end_date is None or m.actual_end_date < today for m in missions)
    assert all(m.planned_end_date >= m.start_date for m in missions)


def test_the_same_day_gives_the_same_missions():
    assert demo_missions(dt.date(2026, 7, 2)) == demo_missions(dt.date(2026, 7, 2))
