"""Actor trends: weekly events and fatalities per actor, checked against hand-computed counts."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from geo.storage import events_frame
from geo.tools.trends import COLUMNS, actor_events, actor_trend_chart, actor_weekly, top_actors
from tests.factories import make_event

JNIM = "JNIM: Group for Support of Islam and Muslims"
ARMY = "Military Forces of Mali (2021-)"
ISSP = "Islamic State Sahel Province"


@pytest.fixture
def small() -> pd.DataFrame:
    """Four events over three weeks (weeks start on Monday):

    e1 Mon 2 June   JNIM vs army, 10 killed
    e2 Wed 4 June   JNIM vs civilians, 3 killed
    e3 Tue 17 June  ISSP vs army (with Wagner and Dozo associated to the army), 5 killed
    e4 Wed 18 June  army vs JNIM, the army also listed as associated actor; fatalities unknown (NaN)
    """
    frame = events_frame([
        make_event(event_id_cnty="E1", event_date="2025-06-02", fatalities=10),
        make_event(event_id_cnty="E2", event_date="2025-06-04", actor2="Civilians (Mali)", inter2="Civilians",
                   event_type="Violence against civilians", sub_event_type="Attack", fatalities=3),
        make_event(event_id_cnty="E3", event_date="2025-06-17", actor1=ISSP, assoc_actor_2="Wagner Group; Dozo",
                   fatalities=5),
        make_event(event_id_cnty="E4", event_date="2025-06-18", actor1=ARMY, inter1="State forces", actor2=JNIM,
                   inter2="Rebel group", assoc_actor_1=ARMY, fatalities=0),
    ])
    frame["fatalities"] = frame["fatalities"].astype(float)
    frame.loc[3, "fatalities"] = np.nan
    return frame


def _by_week(table: pd.DataFrame, actor: str) -> dict[str, tuple[int, int]]:
    rows = table[table["actor"] == actor]
    return {w.date().isoformat(): (e, f) for w, e, f in zip(rows["week"], rows["events"], rows["fatalities"],
                                                            strict=True)}


def test_weekly_counts_per_actor_over_the_window_with_quiet_weeks_as_zero(small: pd.DataFrame) -> None:
    table = actor_weekly(small, [JNIM, ARMY], date(2025, 6, 1), date(2025, 6, 22))
    assert list(table.columns) == COLUMNS
    # 1 June is a Sunday: its week starts on Monday 26 May
    assert _by_week(table, JNIM) == {"2025-05-26": (0, 0), "2025-06-02": (2, 13), "2025-06-09": (0, 0),
                                     "2025-06-16": (1, 0)}  # e4's unknown toll counts 0
    assert _by_week(table, ARMY) == {"2025-05-26": (0, 0), "2025-06-02": (1, 10), "2025-06-09": (0, 0),
                                     "2025-06-16": (2, 5)}  # e4 once, though the army is named twice in it
    assert list(dict.fromkeys(table["actor"])) == [JNIM, ARMY]  # in the order asked for


def test_associated_actors_count_and_unselected_actors_do_not(small: pd.DataFrame) -> None:
    table = actor_weekly(small, ["Dozo"])
    assert _by_week(table, "Dozo") == {"2025-06-02": (0, 0), "2025-06-09": (0, 0), "2025-06-16": (1, 5)}
    assert set(table["actor"]) == {"Dozo"}


def test_an_actor_without_events_gets_zero_weeks(small: pd.DataFrame) -> None:
    table = actor_weekly(small, ["Nobody"], date(2025, 6, 2), date(2025, 6, 15))
    assert _by_week(table, "Nobody") == {"2025-06-02": (0, 0), "2025-06-09": (0, 0)}


def test_empty_frame(small: pd.DataFrame) -> None:
    empty = small.iloc[0:0]
    assert actor_weekly(empty).empty and list(actor_weekly(empty).columns) == COLUMNS
    assert actor_weekly(empty, [JNIM]).empty  # no window, no events: no weeks
    zeros = actor_weekly(empty, [JNIM], date(2025, 6, 2), date(2025, 6, 9))
    assert _by_week(zeros, JNIM) == {"2025-06-02": (0, 0), "2025-06-09": (0, 0)}


def test_top_actors_leave_out_civilians_and_break_ties_by_name(small: pd.DataFrame) -> None:
    # JNIM 3 events, army 3, ISSP, Wagner and Dozo 1 each; the civilians of e2 are not ranked
    assert top_actors(small, 3) == [JNIM, ARMY, "Dozo"]
    assert set(actor_weekly(small, top=2)["actor"]) == {JNIM, ARMY}
    pairs = actor_events(small)
    assert len(pairs[(pairs["row"] == 3) & (pairs["actor"] == ARMY)]) == 1


def test_chart_is_small_multiples_in_the_actors_order(small: pd.DataFrame) -> None:
    spec = actor_trend_chart(actor_weekly(small, [ARMY, JNIM])).to_dict()
    left, right = spec["hconcat"]
    assert left["facet"]["row"]["sort"] == [ARMY, JNIM]
    assert left["spec"]["encoding"]["y"]["field"] == "events"
    assert right["spec"]["encoding"]["y"]["field"] == "fatalities"
    assert left["spec"]["encoding"]["y"]["title"] == "events per week"


def test_a_narrow_chart_for_the_briefing(small: pd.DataFrame) -> None:
    spec = actor_trend_chart(actor_weekly(small, [ARMY, JNIM]), panel_height=40, panel_width=150,
                             font_size=14).to_dict()
    left, right = spec["hconcat"]
    assert (left["spec"]["width"], left["spec"]["height"]) == (150, 40)
    assert left["spec"]["encoding"]["y"]["title"] is None and right["spec"]["title"] == "fatalities per week"
    assert left["facet"]["row"]["header"]["labelLimit"] == 150  # long actor names are cut to the panel
    assert spec["config"]["axis"]["labelFontSize"] == 14


def test_actor_totals(small: pd.DataFrame) -> None:
    from geo.tools.trends import actor_totals

    totals = actor_totals(small)
    # the army: e1 (10), e3 (5), e4 (unknown: 0); JNIM: e1, e2 (3), e4; Dozo, ISSP, Wagner: e3 (5); civilians: e2
    assert totals.to_dict("records") == [
        {"actor": ARMY, "events": 3, "fatalities": 15},
        {"actor": JNIM, "events": 3, "fatalities": 13},
        {"actor": "Dozo", "events": 1, "fatalities": 5},
        {"actor": ISSP, "events": 1, "fatalities": 5},
        {"actor": "Wagner Group", "events": 1, "fatalities": 5},
        {"actor": "Civilians (Mali)", "events": 1, "fatalities": 3},
    ]
    assert actor_totals(small.iloc[0:0]).empty
