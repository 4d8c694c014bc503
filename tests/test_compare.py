"""Two periods compared: windows, URL round trip, figures and their change, by hand."""
from __future__ import annotations

from datetime import date

import pandas as pd

from geo.storage import events_frame
from geo.tools.briefing import Headline
from geo.tools.compare import Comparison, default_comparison, figures_table, from_query, to_query
from tests.factories import make_event

DEFAULT = Comparison(date(2025, 5, 1), date(2025, 5, 31), date(2025, 6, 1), date(2025, 6, 30))


def test_default_windows_are_the_last_four_weeks_and_the_four_before() -> None:
    c = default_comparison(date(2025, 5, 25), date(2025, 7, 8))
    assert (c.a, c.b) == ((date(2025, 5, 14), date(2025, 6, 10)), (date(2025, 6, 11), date(2025, 7, 8)))
    short = default_comparison(date(2025, 7, 1), date(2025, 7, 8))  # less data than four weeks: B is all of it
    assert short.b == (date(2025, 7, 1), date(2025, 7, 8)) and short.a == (date(2025, 6, 23), date(2025, 6, 30))


def test_url_round_trip() -> None:
    c = Comparison(date(2025, 6, 1), date(2025, 6, 7), date(2025, 7, 1), date(2025, 7, 7), measure="fatalities",
                   scale="area", actors=("JNIM",), countries=("Mali", "Niger"))
    query = to_query(c)
    assert query == {"a_start": "2025-06-01", "a_end": "2025-06-07", "b_start": "2025-07-01", "b_end": "2025-07-07",
                     "measure": "fatalities", "scale": "area", "actors": "JNIM", "country": "Mali,Niger"}
    parsed = from_query(query, DEFAULT)
    assert parsed.comparison == c and parsed.notices == []


def test_missing_or_bad_values_fall_back_each_with_a_notice() -> None:
    parsed = from_query({"a_start": "2025-06-10", "a_end": "2025-06-01", "b_end": "soon", "scale": "km",
                         "types": "Battles,Parades", "actors": ""}, DEFAULT, types=["Battles", "Riots"])
    c = parsed.comparison
    assert c.a == DEFAULT.a  # ended before it started
    assert c.b == DEFAULT.b and c.scale == "region" and c.measure == "events"
    assert c.types == ("Battles",) and c.actors == ()
    assert len(parsed.notices) == 4
    assert from_query({}, DEFAULT).comparison == DEFAULT


def test_each_window_keeps_the_shared_filters() -> None:
    frame = events_frame([
        make_event(event_id_cnty="A1", event_date="2025-06-02", fatalities=3),
        make_event(event_id_cnty="A2", event_date="2025-06-03", fatalities=1, country="Niger"),
        make_event(event_id_cnty="B1", event_date="2025-07-02", fatalities=5),
        make_event(event_id_cnty="X", event_date="2025-06-20", fatalities=9),  # between the windows
    ])
    c = Comparison(date(2025, 6, 1), date(2025, 6, 7), date(2025, 7, 1), date(2025, 7, 7), countries=("Mali",))
    before, after = c.events(frame)
    assert list(before["event_id_cnty"]) == ["A1"] and list(after["event_id_cnty"]) == ["B1"]


def test_figures_and_their_change() -> None:
    a, b = Headline(4, 10, 12, 0, 3), Headline(6, 5, 5, 2, 3)
    table = figures_table(a, b).set_index("figure")
    assert table.loc["Events"].tolist() == [4, 6, 2, 50.0]
    assert table.loc["Fatalities"].tolist() == [10, 5, -5, -50.0]
    assert table.loc["People abducted", "change"] == 2 and pd.isna(table.loc["People abducted", "change_pct"])
    assert table.loc["Places attacked", "change"] == 0
