from __future__ import annotations

from datetime import date

import pandas as pd

from geo.storage import events_frame
from geo.tools.briefing import claimed_high, headline, previous_window, weekly
from tests.factories import make_event


def test_headline_for_the_demo_data(frame: pd.DataFrame) -> None:
    h = headline(frame)
    assert (h.events, h.fatalities, h.abducted, h.places_attacked) == (10, 110, 4, 9)
    assert h.fatalities_claimed_high == 110  # the wave's 80 is one claim, however many events repeat it


def test_claimed_high_takes_the_bigger_claims() -> None:
    claim = {"claimant": "JNIM", "claimant_type": "armed group", "metric": "soldiers killed", "value": 50}
    events = events_frame([make_event(event_id_cnty="A", fatalities=12, claims=[claim]),
                           make_event(event_id_cnty="B", fatalities=3, claims=[])])
    assert claimed_high(events) == 50 + 3


def test_previous_window_has_the_same_length() -> None:
    assert previous_window(date(2025, 7, 1), date(2025, 7, 7)) == (date(2025, 6, 24), date(2025, 6, 30))


def test_weekly_trend(frame: pd.DataFrame) -> None:
    trend = weekly(frame).pivot(index="week", columns="measure", values="value")
    assert trend["events"].sum() == 10 and trend["fatalities"].sum() == 110
    assert list(trend.index.day_of_week) == [0] * len(trend)


def test_weekly_trend_lists_the_quiet_weeks_of_the_window(frame: pd.DataFrame) -> None:
    trend = weekly(frame, date(2025, 6, 18), date(2025, 7, 8)).pivot(index="week", columns="measure", values="value")
    assert [d.date() for d in trend.index] == [date(2025, 6, 16), date(2025, 6, 23), date(2025, 6, 30),
                                               date(2025, 7, 7)]
    assert trend.loc["2025-06-23", "events"] == 0
    assert weekly(frame.head(0), date(2025, 6, 18), date(2025, 7, 8))["value"].sum() == 0
