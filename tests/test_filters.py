from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from geo.tools.filters import actor_options, filter_events, split_layers, step_window, zones_at


@pytest.mark.parametrize(("kwargs", "count"), [
    ({}, 10),
    ({"start": date(2025, 6, 1), "end": date(2025, 6, 30)}, 2),
    ({"start": date(2025, 7, 1), "end": date(2025, 7, 1)}, 8),
    ({"actors": ["Civilians (China)"]}, 1),
    ({"actors": ["Military Forces of Mali (2021-)"]}, 9),
    ({"event_types": ["Violence against civilians"]}, 1),
    ({"countries": ["Niger"]}, 0),
])
def test_filter_events(frame: pd.DataFrame, kwargs: dict, count: int) -> None:
    before = frame.copy()
    assert len(filter_events(frame, **kwargs)) == count
    pd.testing.assert_frame_equal(frame, before)


def test_actor_options_include_associated_actors(frame: pd.DataFrame) -> None:
    options = actor_options(frame)
    assert "Civilians (China)" in options and "JNIM: Group for Support of Islam and Muslims" in options


def test_split_layers(frame: pd.DataFrame) -> None:
    attacks, abductions = split_layers(frame)
    assert len(attacks) == 9 and len(abductions) == 1


@pytest.mark.parametrize(("day", "kayes_status"), [
    (date(2025, 6, 15), "government"),
    (date(2025, 7, 2), "influence"),
])
def test_zones_at_picks_the_assessment_valid_then(zones: pd.DataFrame, day: date, kayes_status: str) -> None:
    valid = zones_at(zones, day)
    assert valid["area"].is_unique
    assert valid.set_index("area").loc["Kayes region", "status"] == kayes_status


def test_a_window_across_a_change_shows_the_assessment_at_its_end(zones: pd.DataFrame) -> None:
    from geo.tools.filters import view_zones
    from geo.views import View

    valid = view_zones(zones, View(start=date(2025, 6, 1), end=date(2025, 7, 31)))
    assert valid.set_index("area").loc["Kayes region", "status"] == "influence"


def test_zones_before_any_assessment_are_empty(zones: pd.DataFrame) -> None:
    assert zones_at(zones, date(2011, 2, 1)).empty


@pytest.mark.parametrize(("day", "kidal"), [
    (date(2012, 6, 1), "control"),      # rebels and jihadists, 2012
    (date(2013, 6, 1), "contested"),
    (date(2020, 6, 1), "control"),      # the CMA's Kidal
    (date(2023, 11, 14), "government"),  # the day the army came back
])
def test_zones_at_follows_kidal_through_the_years(zones: pd.DataFrame, day: date, kidal: str) -> None:
    assert zones_at(zones, day).set_index("area").loc["Kidal region", "status"] == kidal


@pytest.mark.parametrize(("window", "expected"), [
    ((date(2025, 6, 1), date(2025, 6, 10)), (date(2025, 6, 6), date(2025, 6, 15))),
    ((date(2025, 6, 25), date(2025, 7, 4)), (date(2025, 5, 25), date(2025, 6, 3))),  # wraps
])
def test_step_window(window: tuple[date, date], expected: tuple[date, date]) -> None:
    assert step_window(*window, date(2025, 5, 25), date(2025, 7, 8), 5) == expected
