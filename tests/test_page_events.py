"""AppTest for the Events page."""
from __future__ import annotations

from datetime import date

from pages.sidebar import Keys
from tests.conftest import open_page


def test_events_page_lists_filtered_events_in_acled_columns(db_url: str) -> None:
    at = open_page("pages/events.py")
    assert at.title[0].value == "Events"
    table = at.dataframe[0].value
    assert len(table) == 10
    assert list(table.columns[:7]) == ["event_id_cnty", "event_date", "year", "time_precision",
                                       "disorder_type", "event_type", "sub_event_type"]
    assert "claims" in table.columns
    kayes = table.set_index("location").loc["Kayes", "claims"]
    assert "about 80 attackers killed" in kayes and "JNIM: 3 barracks seized" in kayes

    at.slider(key=Keys.TIME_WINDOW).set_value((date(2025, 6, 1), date(2025, 6, 30))).run()
    assert len(at.dataframe[0].value) == 2
    assert "2 of 10 events" in at.markdown[0].value


def test_filters_set_on_the_map_hold_on_events_and_after_a_page_without_the_sidebar(db_url: str) -> None:
    at = open_page()
    at.slider(key=Keys.TIME_WINDOW).set_value((date(2025, 6, 1), date(2025, 6, 30))).run()
    at.multiselect(key=Keys.EVENT_TYPES).set_value(["Battles"]).run()
    at.switch_page("pages/events.py").run()
    assert not at.exception
    assert at.slider(key=Keys.TIME_WINDOW).value == (date(2025, 6, 1), date(2025, 6, 30))
    assert at.multiselect(key=Keys.EVENT_TYPES).value == ["Battles"]
    assert len(at.dataframe[0].value) == 2
    assert at.query_params["start"] == "2025-06-01" and at.query_params["types"] == "Battles"

    at.switch_page("pages/control.py").run()  # no sidebar here: Streamlit forgets the widgets' state
    assert not at.exception and not at.slider
    at.switch_page("pages/events.py").run()
    assert at.slider(key=Keys.TIME_WINDOW).value == (date(2025, 6, 1), date(2025, 6, 30))
    assert at.multiselect(key=Keys.EVENT_TYPES).value == ["Battles"]
    assert len(at.dataframe[0].value) == 2


def test_downloads_offer_five_formats_and_name_the_window(db_url: str) -> None:
    at = open_page("pages/events.py")
    buttons = {b.key: b.label for b in at.get("download_button")}
    assert buttons == {"download_csv": "CSV (ACLED columns)", "download_geojson": "GeoJSON (with claims)",
                       "download_gpkg": "GeoPackage", "download_kml": "KML (Google Earth)",
                       "download_shp": "Shapefile (zip)"}
    at.slider(key=Keys.TIME_WINDOW).set_value((date(2025, 6, 1), date(2025, 6, 30))).run()
    at.multiselect(key=Keys.EVENT_TYPES).set_value(["Battles"]).run()
    caption = at.caption[0].value
    assert caption.startswith("Window: 2025-06-01 to 2025-06-30. Filters: actors: all; event types: Battles;")


def test_actor_trends_follow_the_selected_actors(db_url: str) -> None:
    import json

    def chart_actors(at) -> list[str]:  # noqa: ANN001 - AppTest
        [chart] = at.get("vega_lite_chart")
        spec = json.loads(chart.proto.spec)
        return spec["hconcat"][0]["facet"]["row"]["sort"]

    at = open_page("pages/events.py")
    assert chart_actors(at) == ["JNIM: Group for Support of Islam and Muslims", "Military Forces of Mali (2021-)"]
    assert "2 actors named in most events" in at.caption[1].value
    at.multiselect(key=Keys.ACTORS).set_value(["Military Forces of Mali (2021-)"]).run()
    assert not at.exception
    assert chart_actors(at) == ["Military Forces of Mali (2021-)"]
    assert "the actors selected in the sidebar" in at.caption[1].value
    at.slider(key=Keys.TIME_WINDOW).set_value((date(2025, 6, 10), date(2025, 6, 20))).run()
    assert chart_actors(at) == ["Military Forces of Mali (2021-)"]  # a selected actor shows its quiet weeks
    at.multiselect(key=Keys.ACTORS).set_value([]).run()
    assert [i.value for i in at.info] == ["No events in the window, so no trend to show."]


def test_an_events_history_tab_lists_who_changed_it_and_what(db_url: str) -> None:
    from dataclasses import replace as changed

    from geo import services
    from geo.access import Role, User
    from geo.storage import open_store

    store = open_store(db_url)
    [kayes] = store.events(ids=["MLICM0001"])
    services.edit_and_publish(store, changed(kayes, fatalities=kayes.fatalities + 5), reason="the governor's toll",
                              user=User("edith@example.org", role=Role.EDITOR), opened_version=1)
    at = open_page("pages/events.py")
    label = next(o for o in at.selectbox(key="event_history_pick").options if "(MLICM0001)" in o)
    at.selectbox(key="event_history_pick").set_value(label).run()
    [row] = next(d.value for d in at.dataframe if "who" in d.value.columns).to_dict("records")
    assert (row["who"], row["action"], row["reason"]) == ("edith@example.org", "edit_publish", "the governor's toll")
    assert f"fatalities: {kayes.fatalities} -> {kayes.fatalities + 5}" in row["changes"]


def test_a_large_view_shows_its_first_rows_and_says_the_downloads_hold_all(db_url: str, monkeypatch) -> None:
    import pages.common

    monkeypatch.setattr(pages.common, "TABLE_ROWS", 4)  # the demo's 10 events stand for a million
    at = open_page("pages/events.py")
    table = at.dataframe[0].value
    assert len(table) == 4 and list(table["event_date"]) == sorted(table["event_date"])
    assert "10 of 10 events" in at.markdown[0].value
    assert "first 4 by date; the downloads hold all 10" in at.markdown[0].value
