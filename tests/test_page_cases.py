"""AppTest for the Cases page: the demo's open case, its timeline, news applied, the CSV."""
from __future__ import annotations

from datetime import date

from geo.cases import apply_update
from geo.extract.hostages import HostageUpdate
from geo.storage import open_store
from tests.conftest import open_page


def test_the_open_case_of_the_1_july_workers_is_listed_with_its_timeline(db_url: str) -> None:
    at = open_page("pages/cases.py")
    assert at.title[0].value == "Hostage cases"
    assert at.metric[0].value == "1"
    [case] = at.expander
    assert "Diboli · 2025-07-01 · 4 people (India, China) · held" in case.label
    timeline = at.dataframe[0].value
    assert list(timeline["status"]) == ["taken"]


def test_news_of_a_release_closes_the_case(db_url: str) -> None:
    store = open_store(db_url)
    [case] = store.cases()
    news = HostageUpdate("released", date(2025, 10, 5), 1, 4, ("IN", "IN", "IN", "CN"), "workers", None, 3, "",
                         "Kayes", "", "The four workers were freed.", 0, 10)
    store.save_case(apply_update(case, news, source="Test wire"))
    at = open_page("pages/cases.py")
    assert at.metric[0].value == "0"
    assert "released · 96 days" in at.expander[0].label
    assert list(at.dataframe[0].value["status"]) == ["taken", "released"]
