"""AppTest for the Reports page: paste, extract, review, save."""
from __future__ import annotations

from datetime import date

import pandas as pd
from streamlit.testing.v1 import AppTest

from geo.storage import open_store
from tests.conftest import ROOT, open_page

REPORTS = ROOT / "data" / "reports"


def extract_button(at: AppTest):  # noqa: ANN201 - a Button element
    return next(b for b in at.button if b.label == "Extract events")


def test_paste_review_and_save(db_url: str) -> None:
    at = open_page("pages/reports.py")
    at.text_area(key="report_text").input((REPORTS / "2025-09-05_kayes_nioro_blockade_en.txt").read_text())
    extract_button(at).click().run()
    assert not at.exception and not at.error
    assert at.subheader[0].value == "pasted text: 2 event(s)"  # one event per town the blockade names
    assert any("Published 2025-09-05, from the dateline" in c.value and "Mali" in c.value for c in at.caption)
    table = at.dataframe[0].value
    assert list(table["sub_event_type"]) == ["Other", "Other"]
    assert list(table["location"]) == ["Kayes", "Nioro du Sahel"]
    assert open_store(db_url).count() == 10  # nothing saved before review
    at.button(key="save_button").click().run()
    assert not at.exception
    assert "Saved 2 event(s)" in at.success[0].value and "Added 2 control assessment(s)" in at.success[0].value
    store = open_store(db_url)
    events = store.events(statuses=None)  # saved as drafts (issue 13)
    assert len(events) == 12 and any("blockade" in e.tags for e in events)
    assert {z.status for z in store.zones(statuses=None) if z.zone_id.startswith("X")} == {"blockade", "control"}


def test_a_second_report_of_a_stored_incident_is_merged_not_added(db_url: str) -> None:
    at = open_page("pages/reports.py")
    at.text_area(key="report_text").input(
        (REPORTS / "2025-07-02_mali_attaques_coordonnees_fr.txt").read_text())
    extract_button(at).click().run()
    assert any("Will merge into stored event MLICM0001" in i.value for i in at.info)
    at.button(key="save_button").click().run()
    events = open_store(db_url).events(statuses=None)
    assert len(events) == 10
    assert sum(e.fatalities for e in events) == 110  # the army's 80 is not counted again


def test_nothing_to_read_is_a_clear_message(db_url: str) -> None:
    at = open_page("pages/reports.py")
    extract_button(at).click().run()
    assert "Paste a report or upload" in at.error[0].value
    assert not at.exception


NIGER_REPORT = """Niger: seven soldiers killed in attack on army post near Téra

Niamey, 14 March 2025 (AFP) - Gunmen on motorbikes attacked an army post near Téra, in the Tillabéri region of \
western Niger, on Thursday, killing seven soldiers, the defence ministry said in a statement.

The ministry said about twenty assailants were killed when troops fought back and that reinforcements had been \
sent to the area. No group immediately claimed the attack, but jihadist fighters often raid army posts and \
villages in the region.
"""

UNDATED_REPORT = """Gunmen attack a village near Ouallam

Armed men on motorbikes attacked a village near Ouallam on Friday, burning granaries and killing four civilians, \
residents said.
"""


def test_defaults_take_the_country_and_the_date_from_the_report(db_url: str) -> None:
    at = open_page("pages/reports.py")
    assert at.selectbox(key="report_country").value == "Detect from the text"
    assert at.selectbox(key="report_country").options[:6] == [
        "Detect from the text", "Mali", "Burkina Faso", "Niger", "Mauritania", "Senegal"]
    assert at.date_input(key="report_published").value is None
    assert not at.checkbox  # no "date from the dateline" switch: an empty date means exactly that


def test_a_niger_report_is_placed_in_niger_without_choosing_a_country(db_url: str) -> None:
    at = open_page("pages/reports.py")
    at.text_area(key="report_text").input(NIGER_REPORT)
    extract_button(at).click().run()
    assert not at.exception and not at.error and not at.warning
    assert any("Published 2025-03-14, from the dateline" in c.value and "Niger" in c.value for c in at.caption)
    table = at.dataframe[0].value
    assert len(table) >= 1
    events = {e.event_id_cnty: e for item in at.session_state["review_batch"] for e in item["events"]}
    assert {events[i].country for i in table["event_id_cnty"]} == {"Niger"}
    assert any(loc in {"Téra", "Tera"} for loc in table["location"])
    assert not any("Mali" in str(v) for v in [*table["actor1"], *table["actor2"]])


def test_a_report_without_a_publication_date_is_flagged_and_undated_events_are_not_saved(db_url: str) -> None:
    at = open_page("pages/reports.py")
    at.text_area(key="report_text").input(UNDATED_REPORT)
    extract_button(at).click().run()
    assert not at.exception
    assert any("pasted text" in w.value and "no publication date" in w.value for w in at.warning)
    table = at.dataframe[0].value
    undated = [n for n, value in enumerate(table["event_date"], 1) if pd.isna(value)]
    assert undated, "an event dated only 'on Friday' must have no date without a publication date"
    at.button(key="save_button").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any(f"row {undated[0]}.event_date" in e and "Nothing was saved" in e for e in errors), errors
    assert not at.success and open_store(db_url).count() == 10


def test_a_typed_publication_date_resolves_relative_dates(db_url: str) -> None:
    at = open_page("pages/reports.py")
    at.text_area(key="report_text").input(UNDATED_REPORT)
    at.date_input(key="report_published").set_value(date(2025, 3, 15))
    extract_button(at).click().run()
    assert not at.exception and not at.warning
    assert any("Published 2025-03-15, as typed above" in c.value for c in at.caption)
    dates = {str(d)[:10] for d in at.dataframe[0].value["event_date"]}
    assert "2025-03-14" in dates and max(dates) <= "2025-03-15"  # "on Friday": the Friday before, none undated


def test_an_html_report_takes_its_date_from_the_meta(db_url: str) -> None:
    at = open_page("pages/reports.py")
    body = "".join(f"<p>{line}</p>" for line in UNDATED_REPORT.split("\n\n"))
    at.text_area(key="report_text").input(
        f'<html><head><meta property="article:published_time" content="2025-03-16T08:00:00Z"></head>'
        f"<body>{body}</body></html>")
    extract_button(at).click().run()
    assert not at.exception and not at.warning
    assert any("Published 2025-03-16, from the HTML meta" in c.value for c in at.caption)
    dates = {str(d)[:10] for d in at.dataframe[0].value["event_date"]}
    assert "2025-03-14" in dates and max(dates) <= "2025-03-16"


def test_hostage_news_is_shown_for_review(db_url: str) -> None:
    at = open_page("pages/reports.py")
    at.text_area(key="report_text").input(
        "Two engineers freed in Mali\n\nBAMAKO, Aug 4 - Two Chinese engineers who were kidnapped near Kayes in "
        "May were released on Sunday, officials said.")
    extract_button(at).click().run()
    assert not at.exception and not at.error
    table = next(d.value for d in at.dataframe if "status" in d.value.columns)
    assert list(table["status"]) == ["released"] and list(table["people"]) == [2]
    assert list(table["nationalities"]) == ["China"]


def test_hostage_news_is_linked_to_the_case_a_person_confirms(db_url: str) -> None:
    at = open_page("pages/reports.py")
    at.text_area(key="report_text").input(
        "Workers freed in Mali\n\nBAMAKO, Oct 6 - Three Indian workers and a Chinese worker who were kidnapped "
        "near Diboli in July were released on Sunday, officials said.")
    extract_button(at).click().run()
    assert not at.exception and not at.error
    link = next(b for b in at.button if b.label.startswith("Link to the case of Diboli"))
    assert "same nationalities" in link.label
    link.click().run()
    assert not at.exception
    [case] = open_store(db_url).cases()
    assert case.status == "released" and case.history[0].source == "pasted text"
    assert not any(b.label.startswith("Link to the case") for b in at.button)  # closed: nothing more to link
