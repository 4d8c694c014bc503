"""AppTest for the Reports page: paste, extract, review, save."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from geo.storage import open_store
from pages.common import Keys
from tests.conftest import ROOT, open_page

REPORTS = ROOT / "data" / "reports"


def extract_button(at: AppTest):  # noqa: ANN201 - a Button element
    return next(b for b in at.button if b.label == "Extract events")


def test_paste_review_and_save(db_url: str) -> None:
    at = open_page("pages/reports.py")
    at.text_area(key=Keys.REPORT_TEXT).input((REPORTS / "2025-09-05_kayes_nioro_blockade_en.txt").read_text())
    extract_button(at).click().run()
    assert not at.exception and not at.error
    assert at.subheader[0].value == "pasted text: 1 event(s)"
    table = at.dataframe[0].value
    assert list(table["sub_event_type"]) == ["Other"] and list(table["location"]) == ["Kayes"]
    assert open_store(db_url).count() == 10  # nothing saved before review
    at.button(key=Keys.SAVE).click().run()
    assert not at.exception
    assert "Saved 1 event(s)" in at.success[0].value and "Added 2 control assessment(s)" in at.success[0].value
    store = open_store(db_url)
    events = store.events()
    assert len(events) == 11 and any("blockade" in e.tags for e in events)
    assert {z.status for z in store.zones() if z.zone_id.startswith("X")} == {"blockade", "control"}


def test_a_second_report_of_a_stored_incident_is_merged_not_added(db_url: str) -> None:
    at = open_page("pages/reports.py")
    at.text_area(key=Keys.REPORT_TEXT).input(
        (REPORTS / "2025-07-02_mali_attaques_coordonnees_fr.txt").read_text())
    extract_button(at).click().run()
    assert any("Will merge into stored event MLICM0001" in i.value for i in at.info)
    at.button(key=Keys.SAVE).click().run()
    events = open_store(db_url).events()
    assert len(events) == 10
    assert sum(e.fatalities for e in events) == 110  # the army's 80 is not counted again


def test_nothing_to_read_is_a_clear_message(db_url: str) -> None:
    at = open_page("pages/reports.py")
    extract_button(at).click().run()
    assert "Paste a report or upload" in at.error[0].value
    assert not at.exception
