"""Real-browser tests: Chromium drives the running app with every non-localhost request blocked."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from geo.schema import ACLED_COLUMNS
from tests.browser import MAP_IFRAME, WINDOW_PICKER, Server, call_failed, offline_tab, window_end
from tests.conftest import ROOT, require_browser

pytest.importorskip("playwright.sync_api", reason="pip install playwright")
from playwright.sync_api import Browser, Frame, Page, expect  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    require_browser()
    srv = Server(tmp_path_factory.mktemp("browser"))
    try:
        srv.wait_healthy()
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def page(server: Server, request: pytest.FixtureRequest) -> Iterator[Page]:
    with offline_tab(server.output, failed=lambda: call_failed(request.node)) as (_browser, tab):
        yield tab


@contextmanager
def own_app(tmp_path: Path, width: int = 1400, height: int = 1000,
            timeout_ms: int = 30_000) -> Iterator[tuple[Server, Browser, Page]]:
    """A Streamlit server of its own (on ``tmp_path/browser.sqlite``) and a tab on it, offline.

    Every non-localhost request is blocked and fails the test; the server log is
    printed when the test fails.
    """
    require_browser()
    srv = Server(tmp_path)
    try:
        srv.wait_healthy()
        with offline_tab(srv.output, width=width, height=height, timeout_ms=timeout_ms) as (browser, tab):
            yield srv, browser, tab
    finally:
        srv.stop()


def wait_idle(page: Page) -> None:
    """Wait until Streamlit has finished running the script (before clicking a download button)."""
    expect(page.locator('[data-testid="stApp"]')).to_have_attribute("data-test-script-state", "notRunning",
                                                                      timeout=60_000)


def open_map(page: Page, url: str) -> Frame:
    page.goto(url)
    page.locator(MAP_IFRAME).wait_for()
    frame = page.frame_locator(MAP_IFRAME)
    expect(frame.locator(".leaflet-control-layers")).to_be_visible()
    return page.locator(MAP_IFRAME).element_handle().content_frame()


def test_map_renders_offline_with_three_layers_and_timeline(page: Page, server: Server) -> None:
    frame = open_map(page, server.url)
    layers = frame.locator(".leaflet-control-layers-overlays").inner_text()
    for name in ("Attacks", "Territorial control", "Abductions"):
        assert name in layers
    attacks = frame.locator("path.cm-attack")
    expect(attacks).to_have_count(9)
    expect(frame.locator(".cm-abduction")).to_have_count(1)
    expect(frame.locator(".cm-legend")).to_be_visible()
    # the tab's icon is served from static/, like the map's assets
    icon = page.locator("link[rel*=icon]").first.get_attribute("href")
    assert icon.endswith("/app/static/favicon.png"), icon
    assert page.request.get(icon).headers["content-type"] == "image/png"

    # Move the window's end back before July: the July wave and the abduction leave the map.
    end_thumb = window_end(page)
    end_thumb.focus()
    for _ in range(8):
        end_thumb.press("ArrowLeft")
    expect(page.locator('[data-testid="stSlider"]')).to_contain_text("2025-06-30")
    frame = page.locator(MAP_IFRAME).element_handle().content_frame()
    expect(frame.locator("path.cm-attack")).to_have_count(2)
    expect(frame.locator(".cm-abduction")).to_have_count(0)


def test_clicking_a_marker_opens_popup_with_claims(page: Page, server: Server) -> None:
    frame = open_map(page, server.url)
    expect(frame.locator('script[src*="jquery"]')).to_have_count(0)  # popups are Leaflet's own, no jQuery
    frame.locator(".cm-abduction").first.click()
    popup = frame.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("3 India, 1 China")
    expect(popup).to_contain_text("held")
    frame.locator(".leaflet-popup-close-button").click()
    expect(popup).to_have_count(0)
    frame.locator("path.cm-attack").first.click()
    expect(popup).to_contain_text("Claimed by")


def test_events_page_downloads_acled_csv(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/events")
    button = page.get_by_role("button", name="CSV (ACLED columns)")
    expect(button).to_be_visible(timeout=30_000)  # the first page this module's server serves: a cold start
    wait_idle(page)
    with page.expect_download() as info:
        button.click()
    assert info.value.suggested_filename == "conflictmap_events_csv.zip"
    import zipfile

    archive = zipfile.ZipFile(info.value.path())  # the CSV with its README (window, filters, sources)
    rows = list(csv.reader(io.StringIO(archive.read("conflictmap_events.csv").decode("utf-8"))))
    assert rows[0] == list(ACLED_COLUMNS)
    assert len(rows) == 11
    assert {r[21] for r in rows[1:]} >= {"Kayes", "Diboli", "Timbuktu", "Boulkessi"}
    assert "Window: 2025-05-25 to 2025-07-08" in archive.read("README.txt").decode("utf-8")
    with page.expect_download() as kml:
        page.get_by_role("button", name="KML (Google Earth)").click()
    assert Path(kml.value.path()).read_text(encoding="utf-8").count("<Placemark") == 10


def test_play_steps_the_timeline_by_itself(page: Page, server: Server) -> None:
    open_map(page, server.url)
    picker = page.locator(WINDOW_PICKER)  # labelled with the window
    expect(picker).to_contain_text("25 May 2025 – 08 Jul 2025")
    page.get_by_role("button", name="Play", exact=True).click()
    # the window narrows and then keeps moving forward without further input
    expect(picker).not_to_contain_text("08 Jul 2025", timeout=10_000)
    first = picker.inner_text()
    expect(picker).not_to_have_text(first, timeout=10_000)
    page.get_by_role("button", name="Pause", exact=True).click()
    expect(page.get_by_role("button", name="Play", exact=True)).to_be_visible()  # paused


def test_filters_set_on_the_map_still_hold_on_events_after_switching_pages(page: Page, server: Server) -> None:
    open_map(page, server.url)
    end_thumb = window_end(page)
    end_thumb.focus()
    for _ in range(8):
        end_thumb.press("ArrowLeft")  # 8 July -> 30 June
    expect(page.locator('[data-testid="stSlider"]')).to_contain_text("2025-06-30")
    wait_idle(page)
    page.locator('[data-testid="stSidebarNav"] a', has_text="Events").click()
    expect(page.get_by_role("heading", name="Events", exact=True)).to_be_visible()
    expect(page.get_by_text("2 of 10 events match")).to_be_visible()
    expect(page.locator(WINDOW_PICKER)).to_contain_text("30 Jun 2025")  # the picker shows the Map's window
    assert "end=2025-06-30" in page.url
    # through a page without the sidebar and back: the view is still the one set on the map
    page.locator('[data-testid="stSidebarNav"] a', has_text="Control").click()
    expect(page.get_by_role("heading", name="Territorial control")).to_be_visible()
    wait_idle(page)
    page.locator('[data-testid="stSidebarNav"] a', has_text="Map").click()
    expect(page.get_by_role("heading", name="Conflict Map · Sahel")).to_be_visible()
    expect(page.locator(MAP_IFRAME)).to_have_count(1)  # the Control page's maps have gone
    frame = page.locator(MAP_IFRAME).element_handle().content_frame()
    expect(page.locator(WINDOW_PICKER)).to_contain_text("30 Jun 2025")
    expect(frame.locator("path.cm-attack")).to_have_count(2)


# Runs last: it adds an event to the shared server's database.
def test_paste_review_save_and_see_it_on_the_map(page: Page, server: Server) -> None:
    report = (ROOT / "data" / "reports" / "2025-09-05_kayes_nioro_blockade_en.txt").read_text(encoding="utf-8")
    page.goto(f"{server.url}/reports")
    page.get_by_label("Report text").fill(report)
    page.get_by_role("button", name="Extract events").click()
    # one event per blockaded town: Kayes and Nioro du Sahel
    expect(page.get_by_text("pasted text: 2 event(s)")).to_be_visible()
    expect(page.locator("mark.cm-place").first).to_be_visible()
    page.get_by_role("button", name="Save 2 event(s)").click()
    expect(page.get_by_text("Saved 2 event(s)")).to_be_visible()
    frame = open_map(page, server.url)
    expect(frame.locator("path.cm-attack")).to_have_count(9)  # drafts wait for review (issue 13)
    page.goto(f"{server.url}/review")  # local mode: the local user is an editor too
    # publish the four drafts (two events, two control claims; their order among items saved together is not
    # fixed), each click after the previous one's rerun has finished: the queue shrinks by one
    for left in ("3 draft(s) wait for review.", "2 draft(s) wait for review.", "1 draft(s) wait for review.",
                 "No drafts wait for review."):
        wait_idle(page)  # no element left over from the previous run (a stale button would act on its old item)
        page.get_by_role("button", name="Publish", exact=True).first.click()
        expect(page.get_by_text(left)).to_be_visible()
    frame = open_map(page, server.url)
    expect(frame.locator("path.cm-attack")).to_have_count(11)
    frame.locator("path.cm-attack").last.click()
    expect(frame.locator(".leaflet-popup-content")).to_contain_text("Other")


PAGES = {"": "Conflict Map · Sahel", "events": "Events", "briefing": "All events", "compare": "Compare two periods",
         "control": "Territorial control", "reports": "Reports", "cases": "Hostage cases", "import": "Import",
         "review": "Review"}
NAV = ("Map", "Events", "Briefing", "Compare", "Control", "Reports", "Cases", "Import", "Review")


@pytest.mark.parametrize("path", list(PAGES))
def test_a_first_deep_link_on_a_fresh_server_opens_the_page_inside_the_app(tmp_path: Path, path: str) -> None:
    """Streamlit's legacy pages/ mode must not take over when a page URL is the first one a new server serves."""
    with own_app(tmp_path) as (srv, _browser, tab):
        tab.goto(f"{srv.url}/{path}")
        expect(tab.get_by_role("heading", name=PAGES[path], exact=True)).to_be_visible(timeout=30_000)  # cold start
        wait_idle(tab)
        expect(tab.get_by_text("Page not found")).to_have_count(0)
        if path != "briefing":  # the briefing hides the sidebar for the wall screen
            links = tab.locator('[data-testid="stSidebarNav"] a')
            expect(links).to_have_count(len(NAV))  # the app's navigation, not one entry per file in pages/
            assert [t.strip().splitlines()[-1] for t in links.all_inner_texts()] == list(NAV)  # after the icon
        # the shared sidebar is the shell's, drawn for the pages it filters and only for them
        expect(tab.locator(WINDOW_PICKER)).to_have_count(1 if path in ("", "events") else 0)
        assert tab.title() == "Conflict Map · Sahel"
        if path == "reports":  # and the page answers
            tab.get_by_role("button", name="Extract events").click()
            expect(tab.get_by_text("Paste a report or upload at least one file.")).to_be_visible()


def test_ten_thousand_events_render_as_a_grid_and_the_slider_still_works(tmp_path: Path) -> None:
    """A 10k-event database: the map shows grid cells, and narrowing the window brings back single events."""
    from bench.synth import write
    from geo.io.acled import read_file
    from geo.storage import open_store

    store = open_store(str(tmp_path / "browser.sqlite"))
    store.save_events(read_file(write(10_000, tmp_path / "synthetic.csv")).events)
    with own_app(tmp_path, timeout_ms=60_000) as (srv, _browser, tab):
        frame = open_map(tab, srv.url)
        expect(frame.locator("path.cm-cell").first).to_be_visible()
        assert frame.locator("path.cm-cell").count() <= 1500
        expect(tab.get_by_text("are drawn as grid cells")).to_be_visible()
        end_thumb = window_end(tab)
        end_thumb.focus()
        end_thumb.press("Home")  # the window shrinks to its first day
        frame = tab.locator(MAP_IFRAME).element_handle().content_frame()
        expect(frame.locator("path.cm-cell")).to_have_count(0)
        expect(tab.get_by_text("are drawn as grid cells")).to_have_count(0)


def test_shared_url_slides_by_keyboard_and_the_standalone_html(tmp_path: Path) -> None:
    """A shared URL reopens its view; the briefing steps with arrow keys; its HTML export works offline."""
    from datetime import date

    from geo.storage import open_store
    from geo.views import View

    store = open_store(str(tmp_path / "browser.sqlite"))
    for position, (name, title, start, end) in enumerate([
            ("june", "Early June", date(2025, 6, 1), date(2025, 6, 7)),
            ("wave", "The July wave", date(2025, 7, 1), date(2025, 7, 1)),
            ("all", "Everything", date(2025, 5, 25), date(2025, 7, 8))]):
        store.save_view(View(name=name, title=title, start=start, end=end, position=position))
    with own_app(tmp_path, 1920, 1080) as (srv, browser, tab):
        frame = open_map(tab, f"{srv.url}/?start=2025-06-01&end=2025-06-30&layers=attacks,control")
        expect(tab.locator(WINDOW_PICKER)).to_contain_text("01 Jun 2025 – 30 Jun 2025")
        overlays = frame.locator(".leaflet-control-layers-overlays")
        expect(overlays).to_contain_text("Attacks")
        expect(overlays).not_to_contain_text("Abductions")
        expect(frame.locator("path.cm-attack")).to_have_count(2)

        tab.goto(f"{srv.url}/briefing")
        expect(tab.get_by_role("heading", name="Early June")).to_be_visible()
        wait_idle(tab)
        tab.locator("body").press("ArrowRight")
        expect(tab.get_by_role("heading", name="The July wave")).to_be_visible()
        wait_idle(tab)
        tab.locator("body").press("ArrowRight")
        expect(tab.get_by_role("heading", name="Everything")).to_be_visible()

        wait_idle(tab)
        with tab.expect_download() as info:
            tab.get_by_role("button", name="Standalone HTML map").click()
        assert info.value.suggested_filename == "all.html"
        html_path = tmp_path / info.value.suggested_filename
        info.value.save_as(html_path)
        assert "https://cdn" not in html_path.read_text(encoding="utf-8")
        offline = browser.new_context()
        offline.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page2 = offline.new_page()
        page2.goto(html_path.as_uri())
        expect(page2.locator("path.cm-attack")).to_have_count(9)
        expect(page2.locator(".cm-abduction")).to_have_count(1)
        expect(page2.locator(".cm-title")).to_contain_text("Everything")


def test_control_zone_changes_colour_across_its_date_and_lists_its_evidence(tmp_path: Path) -> None:
    """Kayes region: government until 30 June 2025, JNIM influence from 1 July; its popup lists the attacks."""
    from geo.layers import zone_colour

    with own_app(tmp_path) as (srv, _browser, tab):
        frame = open_map(tab, f"{srv.url}/?start=2025-06-20&end=2025-06-30&layers=control,attacks")
        government = zone_colour("government", "")
        influence = zone_colour("influence", "JNIM")
        kayes = frame.locator("path.cm-area-kayes-region")
        expect(kayes).to_have_attribute("fill", government)

        expect(tab.locator(WINDOW_PICKER)).to_contain_text("20 Jun 2025 – 30 Jun 2025")
        end_thumb = window_end(tab)
        end_thumb.focus()
        end_thumb.press("ArrowRight")  # 30 June -> 1 July: the day the assessment changes
        expect(tab.locator(WINDOW_PICKER)).to_contain_text("20 Jun 2025 – 01 Jul 2025")
        frame = tab.locator(MAP_IFRAME).element_handle().content_frame()
        kayes = frame.locator("path.cm-area-kayes-region")
        expect(kayes).to_have_attribute("fill", influence)

        # a real click on the map at a point inside the Kayes region, away from the markers
        point = frame.evaluate("() => { const p = window.map.latLngToContainerPoint([14.9, -10.9]);"
                               " return {x: p.x, y: p.y}; }")
        frame.locator(".leaflet-container").click(position=point)
        popup = frame.locator(".leaflet-popup-content")
        expect(popup).to_contain_text("Kayes region")
        expect(popup.locator(".cm-evidence li").first).to_be_visible()
        expect(popup).to_contain_text("Events behind this assessment")


def boxes_overlap(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and \
        a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


def test_the_map_opens_on_the_events_and_the_legend_keeps_off_them(page: Page, server: Server) -> None:
    frame = open_map(page, f"{server.url}/?start=2025-07-01&end=2025-07-01")  # the wave on the Kayes region
    markers = frame.locator("path.cm-attack, .cm-abduction")
    expect(markers).to_have_count(8)
    legend = frame.locator(".cm-legend")
    expect(legend).to_be_visible()
    wait_idle(page)
    # fitted to the events in the west (all of Mali is zoom 6), every marker inside the map
    assert frame.evaluate("() => window.map.getZoom()") >= 7
    map_box = frame.locator(".leaflet-container").bounding_box()
    for box in (markers.nth(i).bounding_box() for i in range(markers.count())):
        assert map_box["x"] <= box["x"] + box["width"] / 2 <= map_box["x"] + map_box["width"]
        assert map_box["y"] <= box["y"] + box["height"] / 2 <= map_box["y"] + map_box["height"]
    # the legend hides none of them
    legend_box = legend.bounding_box()
    boxes = [markers.nth(i).bounding_box() for i in range(markers.count())]
    assert not [box for box in boxes if boxes_overlap(legend_box, box)], (legend_box, boxes)


def test_on_a_small_map_the_legend_is_a_button(tmp_path: Path) -> None:
    with own_app(tmp_path, 900, 700) as (srv, _browser, tab):
        frame = open_map(tab, srv.url)
        expect(frame.locator("path.cm-attack")).to_have_count(9)
        legend = frame.locator(".cm-legend details")
        expect(legend).not_to_have_attribute("open", "")
        expect(frame.locator(".cm-legend summary")).to_be_visible()
        expect(frame.get_by_text("Armed clash")).not_to_be_visible()
        frame.locator(".cm-legend summary").click()
        expect(frame.get_by_text("Armed clash")).to_be_visible()


def test_a_saved_view_keeps_where_the_map_looks(tmp_path: Path) -> None:
    """The map reports its centre and zoom only while the save form is open; the saved view reopens there."""
    from geo.storage import open_store

    with own_app(tmp_path) as (srv, _browser, tab):
        open_map(tab, srv.url)
        wait_idle(tab)
        tab.get_by_role("button", name="Saved views").click()
        tab.get_by_text("Save the current view…").click()
        expect(tab.get_by_text("The view will open centred on")).to_be_visible()  # the new map reports its view
        wait_idle(tab)
        frame = tab.locator(MAP_IFRAME).element_handle().content_frame()
        expect(frame.locator("path.cm-attack")).to_have_count(9)
        frame.evaluate("() => window.map.setView([14.6, -11.2], 8)")  # the user frames the Kayes wave
        expect(tab.get_by_text("centred on 14.60, -11.20 at zoom 8")).to_be_visible()
        wait_idle(tab)
        tab.get_by_label("Name").fill("kayes-wave")
        tab.get_by_role("button", name="Save view").click()
        expect(tab.get_by_text("Saved the view “kayes-wave”")).to_be_visible()
        [saved] = open_store(str(tmp_path / "browser.sqlite")).views()
        assert saved.zoom == 8 and saved.center == pytest.approx((14.6, -11.2), abs=0.01)

        frame = open_map(tab, f"{srv.url}/?view=kayes-wave")
        expect(frame.locator("path.cm-attack")).to_have_count(9)
        wait_idle(tab)
        assert frame.evaluate("() => window.map.getZoom()") == 8
        center = frame.evaluate("() => window.map.getCenter()")
        assert center["lat"] == pytest.approx(14.6, abs=0.01) and center["lng"] == pytest.approx(-11.2, abs=0.01)


def test_the_briefing_fits_one_1920x1080_screen(tmp_path: Path) -> None:
    """Title, headline figures, map and weekly trend all on screen at once, without scrolling."""
    from datetime import date

    from geo.storage import open_store
    from geo.views import View

    open_store(str(tmp_path / "browser.sqlite")).save_view(View(
        name="wave", title="JNIM's wave on western Mali, 1 July 2025", start=date(2025, 6, 18), end=date(2025, 7, 8),
        notes="Seven army posts hit at dawn; four foreign workers abducted near Diboli."))
    with own_app(tmp_path, 1920, 1080) as (srv, _browser, tab):
        tab.goto(f"{srv.url}/briefing")
        title = tab.get_by_role("heading", name="JNIM's wave on western Mali, 1 July 2025")
        expect(title).to_be_visible()
        frame = tab.frame_locator(MAP_IFRAME)
        expect(frame.locator("path.cm-attack")).to_have_count(7)
        trend = tab.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg').first
        expect(trend).to_be_visible()
        wait_idle(tab)
        metrics = tab.locator('[data-testid="stMetric"]')
        expect(metrics).to_have_count(4)
        shown = {"title": title, "map": tab.locator(MAP_IFRAME), "trend": trend,
                 **{f"figure {i + 1}": metrics.nth(i) for i in range(4)}}
        for name, locator in shown.items():
            box = locator.bounding_box()
            assert box and box["width"] > 0 and box["height"] > 0, name
            assert box["y"] >= 0 and box["y"] + box["height"] <= 1080, (name, box)
            assert box["x"] >= 0 and box["x"] + box["width"] <= 1920, (name, box)
        assert shown["map"].bounding_box()["height"] >= 500  # a map, not a thumbnail
        assert tab.evaluate("() => window.scrollY") == 0
