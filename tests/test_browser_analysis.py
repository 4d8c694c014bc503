"""Real-browser tests of the analysis tools: the regions layer, a drawn area's summary, the comparison of two periods.

Chromium drives the running app with every non-localhost request blocked (as in tests/test_browser.py).
"""
from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date

import pytest

from tests.browser import MAP_IFRAME, Server, call_failed, offline_tab
from tests.conftest import require_browser

pytest.importorskip("playwright.sync_api", reason="pip install playwright")
from playwright.sync_api import Frame, Page, expect  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    require_browser()
    srv = Server(tmp_path_factory.mktemp("browser_analysis"))
    try:
        srv.wait_healthy()
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def page(server: Server, request: pytest.FixtureRequest) -> Iterator[Page]:
    # a minute: the first page of the module's server is a cold start
    with offline_tab(server.output, timeout_ms=60_000, failed=lambda: call_failed(request.node)) as (_browser, tab):
        yield tab


# Leaflet.draw's polygon tool while it draws (it listens to the map's mouse events)
POLYGON_TOOL = ("(Object.values(window.map._events).flat().map(l => l.ctx)"
                ".find(c => c && c.type === 'polygon' && c._markers) || null)")


def wait_idle(page: Page) -> None:
    """Wait until Streamlit has finished running the script."""
    expect(page.locator('[data-testid="stApp"]')).to_have_attribute("data-test-script-state", "notRunning",
                                                                      timeout=60_000)


def open_map(page: Page, url: str) -> Frame:
    page.goto(url)
    page.locator(MAP_IFRAME).first.wait_for()
    expect(page.frame_locator(MAP_IFRAME).first.locator(".leaflet-control-layers")).to_be_visible()
    return page.locator(MAP_IFRAME).first.element_handle().content_frame()


def stored_frame(server: Server):  # noqa: ANN201 - a DataFrame
    from geo.storage import open_store

    return open_store(str(server.db)).frame()


def test_the_regions_layer_shows_each_regions_count_and_its_details(page: Page, server: Server) -> None:
    """1 July 2025: Kayes region holds five events (47 killed), as the regions table and the unit tests count."""
    frame = open_map(page, f"{server.url}/?start=2025-07-01&end=2025-07-01&layers=attacks,regions")
    kayes = frame.locator("path.cm-region-ml-kayes")
    expect(kayes).to_have_count(1)
    expect(frame.locator(".cm-regions-legend")).to_contain_text("Events per region")
    expect(frame.locator(".leaflet-control-layers-overlays")).to_contain_text("Regions: events per region")
    # hover a point inside the region away from the markers: its tooltip gives the count
    point = frame.evaluate("() => { const p = window.map.latLngToContainerPoint([13.3, -10.6]);"
                           " return {x: p.x, y: p.y}; }")
    frame.locator(".leaflet-container").hover(position=point)
    expect(frame.locator(".leaflet-tooltip")).to_contain_text("Kayes (Mali): 5 events, 47 fatalities")
    frame.locator(".leaflet-container").click(position=point)
    popup = frame.locator(".leaflet-popup-content .cm-region-details")
    expect(popup).to_contain_text("Kayes")
    expect(popup).to_contain_text("JNIM")  # a top actor
    expect(popup).to_contain_text("12 killed")  # a deadliest event

    # per 10,000 km²: the same region, its density in the tooltip
    wait_idle(page)
    page.get_by_text("per 10,000 km²", exact=True).click()
    expect(page.frame_locator(MAP_IFRAME).first.locator(".cm-regions-legend")).to_contain_text(
        "Events per 10,000 km²")
    frame = page.locator(MAP_IFRAME).first.element_handle().content_frame()
    frame.locator(".leaflet-container").hover(position={"x": point["x"] + 3, "y": point["y"] + 3})
    expect(frame.locator(".leaflet-tooltip")).to_contain_text("events per 10,000 km²")


def test_a_drawn_polygons_summary_matches_the_events_inside_it(page: Page, server: Server) -> None:
    """Draw a polygon with Leaflet.draw's tool around the 1 July wave's western posts; the summary and its CSV hold
    exactly the events geo finds inside the polygon the browser drew."""
    from geo.tools.area_summary import events_inside
    from geo.tools.filters import filter_events

    frame = open_map(page, f"{server.url}/?start=2025-06-20&end=2025-07-08")
    expect(frame.locator("path.cm-attack")).to_have_count(7)
    expect(frame.locator(".leaflet-draw-draw-polygon")).to_have_count(0)  # the tools load when asked for
    page.get_by_role("button", name="Draw an area").click()
    expect(page.frame_locator(MAP_IFRAME).first.locator(".leaflet-draw-draw-polygon")).to_be_visible()
    frame = page.locator(MAP_IFRAME).first.element_handle().content_frame()  # the map with the tools is a new frame
    expect(frame.locator("path.cm-attack")).to_have_count(7)
    wait_idle(page)
    frame.evaluate("() => window.map.setView([14.6, -11.3], 7)")  # the posts in the middle, clear of the controls
    if frame.locator(".cm-legend details[open]").count():  # fold the legend: it would take the clicks under it
        frame.locator(".cm-legend summary").click()
    expect(frame.locator(".cm-legend details[open]")).to_have_count(0)
    frame.locator(".leaflet-draw-draw-polygon").click()
    corners = [(15.5, -12.4), (15.5, -9.4), (13.9, -9.4), (13.9, -12.4)]  # Kayes, Diboli, Sandaré, Nioro; not Gogui
    origin = frame.locator(".leaflet-container").bounding_box()
    for index, (lat, lon) in enumerate(corners + corners[:1]):  # clicking the first corner again closes the polygon
        # Leaflet.draw ignores a click for 50 ms after a vertex: wait until its polygon tool takes the next one
        frame.wait_for_function(f"() => {{ const h = {POLYGON_TOOL}; return h && !h._disableMarkers "
                                f"&& h._markers.length === {index}; }}")
        point = frame.evaluate(f"() => {{ const p = window.map.latLngToContainerPoint([{lat}, {lon}]);"
                               " return {x: p.x, y: p.y}; }")
        page.mouse.move(origin["x"] + point["x"], origin["y"] + point["y"], steps=4)  # the tool follows the mouse
        page.mouse.down()
        page.mouse.up()
    expect(page.get_by_role("heading", name="Inside the drawn area")).to_be_visible()
    wait_idle(page)
    drawn = frame.evaluate("() => { let g = null; window.map.eachLayer(l => { if (l instanceof L.Polygon && "
                           "!l.feature && l.editing) { g = l.toGeoJSON().geometry; } }); return g; }")
    assert drawn and drawn["type"] == "Polygon"
    window = filter_events(stored_frame(server), date(2025, 6, 20), date(2025, 7, 8))
    inside = events_inside(window, drawn)
    assert len(inside) == 5 and "Gogui" not in set(inside["location"])  # four posts and the abduction at Diboli
    metric = page.locator('[data-testid="stMetric"]', has_text="Events in the area")
    expect(metric).to_contain_text(str(len(inside)))
    fatalities = page.locator('[data-testid="stMetric"]', has_text="Fatalities in the area")
    expect(fatalities).to_contain_text(str(int(inside["fatalities"].sum())))
    with page.expect_download() as info:
        page.get_by_role("button", name="CSV of the events in this area").click()
    archive = zipfile.ZipFile(info.value.path())
    name = next(n for n in archive.namelist() if n.endswith(".csv"))
    rows = list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))
    assert sorted(r["event_id_cnty"] for r in rows) == sorted(inside["event_id_cnty"])
    assert "drawn polygon" in archive.read("README.txt").decode("utf-8")


def test_a_comparison_url_reopens_both_windows(page: Page, server: Server) -> None:
    query = "a_start=2025-06-01&a_end=2025-06-07&b_start=2025-07-01&b_end=2025-07-07&measure=fatalities"
    page.goto(f"{server.url}/compare?{query}")
    expect(page.get_by_role("heading", name="Compare two periods")).to_be_visible(timeout=60_000)  # maybe a cold start
    thumbs = page.locator('[data-testid="stSlider"] [data-testid="stSliderThumbValue"]')
    expect(thumbs).to_have_count(4)
    assert thumbs.all_inner_texts() == ["2025-06-01", "2025-06-07", "2025-07-01", "2025-07-07"]
    expect(page.locator('[data-testid="stMetric"]', has_text="Events in B")).to_contain_text("8")
    frame = page.frame_locator(MAP_IFRAME).first
    expect(frame.locator(".cm-change-legend")).to_contain_text("Change A → B: fatalities per region")
    kayes = frame.locator("path.cm-region-ml-kayes")
    expect(kayes).to_have_attribute("fill", "#b2182b")  # the largest rise (0 to 47 killed)
    kayes.hover()  # the Kayes region's path: its tooltip compares the periods
    expect(frame.locator(".leaflet-tooltip")).to_contain_text("Kayes (Mali): A 0, B 47 fatalities per region (+47)")
    wait_idle(page)
    assert all(part in page.url for part in query.split("&"))  # the address bar still holds the comparison


def test_the_briefing_shows_the_actors_trends_on_one_1920x1080_screen(page: Page, server: Server) -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{server.url}/briefing")
    expect(page.get_by_role("heading", name="All events")).to_be_visible(timeout=60_000)  # maybe a cold start
    expect(page.frame_locator(MAP_IFRAME).first.locator("path.cm-attack")).to_have_count(9)
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    expect(charts).to_have_count(2)  # the weekly trend, and the actors' trends
    actors = charts.nth(1)
    expect(actors.locator("canvas, svg").first).to_be_visible()
    wait_idle(page)
    page.screenshot(path=str(server.log_path.parent / "briefing.png"))
    for locator in (page.get_by_role("heading", name="All events"), page.locator(MAP_IFRAME), charts.nth(0), actors):
        box = locator.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0
        assert box["y"] >= 0 and box["y"] + box["height"] <= 1080, box
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1920, box
    assert page.evaluate("() => window.scrollY") == 0


def test_the_demo_abduction_is_an_open_case_with_its_days_held(page: Page, server: Server) -> None:
    from geo.layers import CASE_COLOURS

    frame = open_map(page, f"{server.url}/?start=2025-07-01&end=2025-07-01")
    marker = frame.locator(".cm-abduction.cm-case-held")
    expect(marker).to_have_count(1)
    assert CASE_COLOURS["held"] in marker.inner_html()
    marker.hover()
    days = (date.today() - date(2025, 7, 1)).days
    expect(frame.locator(".leaflet-tooltip")).to_contain_text(f"Diboli: 4 abducted · held for {days} days")
    expect(frame.locator(".cm-legend")).to_contain_text("ransom reported")  # the legend names the statuses
