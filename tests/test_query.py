"""geo.query: a view's figures, grid cells, busy cells, weekly trend and ids, computed in SQL on both backends,
against the in-memory functions they replace and against counts made by hand."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from geo import query
from geo.layers import DENSE_CELL_DEG, focus, grid_cells
from geo.storage import open_store
from geo.tools.briefing import people_abducted
from geo.tools.filters import split_layers, view_events
from geo.views import View
from tests.factories import make_event

JNIM = "JNIM: Group for Support of Islam and Muslims"
ARMY = "Military Forces of Mali (2021-)"


def events() -> list:
    """Eight events made for these tests: two weeks, both sides of the equator and of Greenwich, lists of
    associated actors with and without spaces, an abduction of 3 and one of unknown size."""
    return [
        make_event(event_id_cnty="Q1", event_date="2025-07-07", latitude=14.42, longitude=-11.42, fatalities=5),
        make_event(event_id_cnty="Q2", event_date="2025-07-09", latitude=14.45, longitude=-11.45, fatalities=0,
                   assoc_actor_1="Dozo militia; Dan Na Ambassagou"),
        make_event(event_id_cnty="Q3", event_date="2025-07-13", latitude=-0.12, longitude=0.32, fatalities=2,
                   country="Niger", iso=562, assoc_actor_2="Wagner Group;Africa Corps"),
        make_event(event_id_cnty="Q4", event_date="2025-07-14", latitude=13.12, longitude=2.12, fatalities=7,
                   country="Niger", iso=562, event_type="Violence against civilians", sub_event_type="Attack",
                   actor2="Civilians (Niger)", inter2="Civilians"),
        make_event(event_id_cnty="Q5", event_date="2025-07-15", latitude=14.41, longitude=-11.41, fatalities=0,
                   event_type="Violence against civilians", sub_event_type="Abduction/forced disappearance",
                   actor2="Civilians (India)", inter2="Civilians", claims=[],
                   abduction={"count": 3, "nationalities": "IN", "status": "held"}),
        make_event(event_id_cnty="Q6", event_date="2025-07-16", latitude=15.02, longitude=-4.02, fatalities=0,
                   event_type="Violence against civilians", sub_event_type="Abduction/forced disappearance",
                   actor2="Civilians (Mali)", inter2="Civilians", claims=[],
                   abduction={"count": None, "nationalities": "", "status": "held"}),
        make_event(event_id_cnty="Q7", event_date="2025-07-20", latitude=14.44, longitude=-11.44, fatalities=1,
                   actor1="Islamic State Sahel", actor2="Dozo militia", inter2="Identity militia"),
        make_event(event_id_cnty="Q8", event_date="2025-08-30", latitude=16.02, longitude=-3.02, fatalities=9),
    ]


@pytest.fixture
def store(any_db: str):
    store = open_store(any_db, seed=False)
    store.save_events(events())
    yield store
    store.dispose()


VIEWS = {
    "everything": View(start=date(2025, 1, 1), end=date(2025, 12, 31)),
    "a window": View(start=date(2025, 7, 9), end=date(2025, 7, 16)),
    "actor 2": View(start=date(2025, 1, 1), end=date(2025, 12, 31), actors=("Dozo militia",)),
    "associated, spaced list": View(start=date(2025, 1, 1), end=date(2025, 12, 31), actors=("Dan Na Ambassagou",)),
    "associated, tight list": View(start=date(2025, 1, 1), end=date(2025, 12, 31), actors=("Africa Corps",)),
    "type": View(start=date(2025, 1, 1), end=date(2025, 12, 31), types=("Violence against civilians",)),
    "country": View(start=date(2025, 1, 1), end=date(2025, 12, 31), countries=("Niger",)),
    "nothing": View(start=date(2024, 1, 1), end=date(2024, 2, 1)),
}


@pytest.mark.parametrize("name", VIEWS)
def test_headline_and_ids_match_the_in_memory_filters(store, name: str) -> None:
    view = VIEWS[name]
    selected = view_events(store.frame(), view)
    attacks, abductions = split_layers(selected)
    figures = query.headline(store, view)
    assert (figures.events, figures.fatalities, figures.abducted, figures.attacks, figures.abductions) == (
        len(selected), int(selected["fatalities"].sum()), people_abducted(selected), len(attacks), len(abductions))
    assert query.event_ids(store, view) == selected.sort_values(["event_date", "event_id_cnty"])[
        "event_id_cnty"].tolist()
    assert sorted(query.event_ids(store, view, abductions=True)) == sorted(abductions["event_id_cnty"])


def test_figures_counted_by_hand(store) -> None:
    figures = query.headline(store, VIEWS["a window"])  # Q2..Q6
    assert (figures.events, figures.fatalities, figures.abducted, figures.attacks) == (5, 9, 3, 3)
    assert query.event_ids(store, VIEWS["associated, spaced list"]) == ["Q2"]
    assert query.event_ids(store, VIEWS["actor 2"]) == ["Q2", "Q7"]
    assert query.event_ids(store, VIEWS["everything"], limit=2) == ["Q1", "Q2"]


@pytest.mark.parametrize("cell_deg", [0.25, 1.0, 0.1])  # no event on a cell edge
def test_grid_cells_match_the_in_memory_grid(store, cell_deg: float) -> None:
    view = VIEWS["everything"]
    attacks, _ = split_layers(view_events(store.frame(), view))
    expected = grid_cells(attacks, cell_deg).sort_values(["row", "col"]).reset_index(drop=True)
    cells, size = query.grid(store, view, cell_deg, abductions=False)
    assert size == cell_deg
    pd.testing.assert_frame_equal(cells.sort_values(["row", "col"]).reset_index(drop=True), expected,
                                  check_dtype=False)


def test_the_grid_grows_until_few_enough_cells(store) -> None:
    # Q1, Q2, Q5, Q7 share a 0.25 degree cell at Kayes; the other four are apart: 5 cells, 8 events
    cells, size = query.grid(store, VIEWS["everything"], 0.25, max_cells=5)
    assert (size, len(cells), cells["events"].sum()) == (0.25, 5, 8)
    cells, size = query.grid(store, VIEWS["everything"], 0.25, max_cells=4)
    assert size > 0.25 and len(cells) <= 4 and cells["events"].sum() == 8
    # cells south of the equator and west of Greenwich floor, never truncate toward zero
    counts = query.cell_counts(store, VIEWS["country"], 1.0)
    assert sorted(zip(counts["row"], counts["col"], strict=True)) == [(-1, 0), (13, 2)]


def test_focus_cells_match_the_in_memory_focus(store) -> None:
    view = VIEWS["everything"]
    expected = focus(view_events(store.frame(), view))
    bounds, dense = query.focus_cells(store, view, DENSE_CELL_DEG)
    assert bounds == expected["bounds"]
    assert dense[0] == expected["dense"][0] == [14.45, -11.45, 4]  # Q1, Q2, Q5 and Q7
    assert sorted(map(tuple, dense)) == sorted(map(tuple, expected["dense"]))
    assert query.focus_cells(store, VIEWS["nothing"], DENSE_CELL_DEG) == (None, [])


def test_weekly_trend_by_hand(store) -> None:
    trend = query.weekly(store, VIEWS["everything"])
    assert trend.to_dict("list") == {
        "week": [pd.Timestamp("2025-07-07"), pd.Timestamp("2025-07-14"), pd.Timestamp("2025-08-25")],
        "events": [3, 4, 1], "fatalities": [7, 8, 9]}


def test_timeline_ends_and_actor_choices(store) -> None:
    assert query.date_bounds(store) == (date(2025, 7, 7), date(2025, 8, 30))
    names = query.actor_names(store)
    assert {"Dan Na Ambassagou", "Dozo militia", "Wagner Group", "Africa Corps", JNIM, ARMY,
            "Islamic State Sahel"} <= set(names)
    assert names == sorted(names) and "" not in names


def test_an_empty_store_and_a_pinned_view(any_db: str) -> None:
    store = open_store(any_db, seed=False)
    try:
        assert query.date_bounds(store) is None
        assert query.headline(store, VIEWS["everything"]) == query.Headline(0, 0, 0, 0, 0)
        assert query.weekly(store, VIEWS["everything"]).empty
        with pytest.raises(ValueError, match="audit trail"):
            query.headline(store, View(start=date(2025, 1, 1), end=date(2025, 12, 31), as_of=date(2025, 8, 1)))
    finally:
        store.dispose()


def test_a_percent_or_underscore_in_an_actor_name_is_not_a_wildcard(any_db: str) -> None:
    store = open_store(any_db, seed=False)
    try:
        store.save_events([make_event(event_id_cnty="W1", assoc_actor_1="Group_A; Group 100%"),
                           make_event(event_id_cnty="W2", assoc_actor_1="GroupXA; Group 1000")])
        view = View(start=date(2025, 1, 1), end=date(2025, 12, 31))
        assert query.event_ids(store, View(**{**view.__dict__, "actors": ("Group_A",)})) == ["W1"]
        assert query.event_ids(store, View(**{**view.__dict__, "actors": ("Group 100%",)})) == ["W1"]
    finally:
        store.dispose()


@pytest.mark.parametrize("window", [(date(2025, 1, 1), date(2025, 12, 31)), (date(2025, 7, 1), date(2025, 7, 31))])
def test_zone_evidence_matches_the_in_memory_join(any_db: str, window: tuple[date, date]) -> None:
    from geo.io.demo import load_demo_events, load_demo_zones
    from geo.tools.filters import view_zones
    from geo.tools.zones import zone_evidence

    store = open_store(any_db, seed=False)
    try:
        store.save(events=load_demo_events(), zones=load_demo_zones())
        view = View(start=window[0], end=window[1])
        zones = view_zones(store.zones_frame(), view)
        expected = zone_evidence(zones, view_events(store.frame(), view), limit=2)
        assert expected  # the demo window has evidence in some zones
        assert query.zone_evidence(store, view, zones, limit=2) == expected
        assert query.country_names(store) == sorted(store.frame()["country"].unique())
    finally:
        store.dispose()


def test_zone_evidence_pages_past_events_in_the_box_but_outside_the_zone(any_db: str) -> None:
    from shapely.geometry import Polygon

    store = open_store(any_db, seed=False)
    try:
        # a right triangle: its box's upper-left half is outside; the deadliest events sit there
        triangle = Polygon([(0, 0), (10, 0), (10, 10)])
        outside = [make_event(event_id_cnty=f"OUT{i:03d}", latitude=9.0, longitude=1.0 + i / 100, fatalities=100)
                   for i in range(query.EVIDENCE_PAGE + 5)]
        inside = [make_event(event_id_cnty=f"IN{i}", latitude=1.0, longitude=9.0, fatalities=i) for i in range(3)]
        store.save_events(outside + inside)
        zones = pd.DataFrame({"zone_id": ["T"], "geometry": [triangle], "linked_events": [("OUT000",)]})
        view = View(start=date(2025, 1, 1), end=date(2025, 12, 31))
        evidence = query.zone_evidence(store, view, zones, limit=2)
        assert [e["event_id_cnty"] for e in evidence["T"]] == ["IN2", "IN1", "OUT000"]  # linked by id: kept
    finally:
        store.dispose()


def test_map_data_fetches_rows_only_for_layers_under_the_marker_limit(store) -> None:
    view = VIEWS["everything"]  # 6 attacks and 2 abductions
    data = query.map_data(store, view, max_markers=2)
    assert sorted(data.events["event_id_cnty"]) == ["Q5", "Q6"]  # the abductions: drawn one by one
    cells, size = data.cells["attacks"]
    assert "abductions" not in data.cells and cells["events"].sum() == 6 and size == 0.25
    assert data.headline == query.headline(store, view)
    assert data.bounds == query.focus_cells(store, view, 0.25)[0]
    assert data.dense == query.focus_cells(store, view, 0.25)[1]
    assert data.dense[0] == [14.375, -11.375, 4]  # Q1, Q2, Q5 and Q7 in one quarter-degree cell
    everything = query.map_data(store, view, max_markers=10)
    assert not everything.cells and len(everything.events) == 8
    for name in VIEWS:
        assert query.map_data(store, VIEWS[name], max_markers=1).headline == query.headline(store, VIEWS[name]), name
    empty = query.map_data(store, VIEWS["nothing"], max_markers=10)
    assert empty.events.empty and empty.bounds is None and not empty.cells and empty.dense == []


@pytest.mark.parametrize("max_markers", [1, 2, 10])
def test_map_data_from_a_frame_matches_the_database(store, max_markers: int) -> None:
    for name, view in VIEWS.items():
        sql = query.map_data(store, view, max_markers=max_markers)
        memory = query.frame_map_data(store.frame(), view, max_markers=max_markers)
        assert (memory.headline, memory.bounds, memory.dense) == (sql.headline, sql.bounds, sql.dense), name
        assert sorted(memory.events["event_id_cnty"]) == sorted(sql.events["event_id_cnty"]), name
        assert memory.cells.keys() == sql.cells.keys(), name
        for layer, (cells, size) in sql.cells.items():
            pd.testing.assert_frame_equal(memory.cells[layer][0], cells, check_dtype=False)
            assert memory.cells[layer][1] == size
    assert query.frame_choices(store.frame()) == query.choices(store)


@pytest.mark.parametrize("name", ["everything", "a window", "actor 2", "type"])
def test_actor_trends_from_groups_match_the_trends_of_every_event(store, name: str) -> None:
    from geo.tools.trends import actor_weekly, top_actors

    view = VIEWS[name]
    selected = view_events(store.frame(), view)
    groups = query.actor_groups(store, view)
    assert groups["events"].sum() == len(selected)
    assert top_actors(groups) == top_actors(selected)
    for actors in ((), ("Dozo militia", "Africa Corps")):
        pd.testing.assert_frame_equal(actor_weekly(groups, actors, view.start, view.end),
                                      actor_weekly(selected, actors, view.start, view.end), check_dtype=False)


@pytest.mark.parametrize("name", VIEWS)
def test_the_briefings_figures_match_the_in_memory_headline(store, name: str) -> None:
    from geo.tools.briefing import headline

    view = VIEWS[name]
    assert query.briefing_headline(store, view) == headline(view_events(store.frame(), view))


def test_the_briefings_figures_on_the_demo_data(any_db: str) -> None:
    from geo.io.demo import load_demo_events
    from geo.tools.briefing import headline

    store = open_store(any_db, seed=False)
    try:
        store.save(events=load_demo_events())
        for window in ((date(2025, 1, 1), date(2025, 12, 31)), (date(2025, 7, 1), date(2025, 7, 1)),
                       (date(2025, 6, 1), date(2025, 6, 30))):
            view = View(start=window[0], end=window[1])
            assert query.briefing_headline(store, view) == headline(view_events(store.frame(), view)), window
    finally:
        store.dispose()


@pytest.mark.parametrize("name", ["everything", "a window", "nothing"])
def test_the_briefings_weekly_trend_from_sql_matches_the_events(store, name: str) -> None:
    from geo.tools.briefing import weekly, weekly_table

    view = VIEWS[name]
    pd.testing.assert_frame_equal(weekly_table(query.weekly(store, view), view.start, view.end),
                                  weekly(view_events(store.frame(), view), view.start, view.end), check_dtype=False)


def test_positions_count_per_region_as_the_events_do(any_db: str) -> None:
    from geo.io.demo import load_demo_events
    from geo.regions import region_counts

    store = open_store(any_db, seed=False)
    try:
        store.save(events=load_demo_events())
        view = View(start=date(2025, 7, 1), end=date(2025, 7, 1))
        by_position = region_counts(query.positions(store, view))
        by_event = region_counts(view_events(store.frame(), view))
        assert by_position[["events", "fatalities"]].equals(by_event[["events", "fatalities"]])
        kayes = by_position.set_index("name").loc["Kayes"]
        assert (kayes["events"], kayes["fatalities"]) == (5, 47)  # as counted by hand for issue 14
    finally:
        store.dispose()


def test_the_map_is_fitted_from_the_rows_or_from_the_databases_cells(store) -> None:
    from geo.layers import MAX_FIT_ZOOM, map_focus

    view = VIEWS["everything"]
    every_marker = query.map_data(store, view, max_markers=10)
    assert map_focus(every_marker) == focus(every_marker.events)
    gridded = query.map_data(store, view, max_markers=1)
    assert map_focus(gridded) == {"bounds": gridded.bounds, "dense": gridded.dense, "maxZoom": MAX_FIT_ZOOM}
    assert gridded.bounds == focus(store.frame())["bounds"]
    assert map_focus(query.map_data(store, VIEWS["nothing"], max_markers=1)) is None
