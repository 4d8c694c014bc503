"""AppTest for the Compare page: two windows, their figures and change, the change by region, the URL."""
from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from tests.conftest import APP_TIMEOUT, ROOT, open_page

JUNE = {"a_start": "2025-06-01", "a_end": "2025-06-07", "b_start": "2025-07-01", "b_end": "2025-07-07"}


def open_compare(query: dict[str, str]) -> AppTest:
    """The Compare page as the first page of a session, opened from a URL with ``query`` (as a shared link is)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT)
    at.query_params.update(query)
    at.switch_page("pages/compare.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at) -> dict[str, tuple[str, str]]:  # noqa: ANN001 - an AppTest
    return {m.label: (m.value, m.delta) for m in at.metric}


def test_the_url_opens_both_windows_with_their_figures_and_change(db_url: str) -> None:
    at = open_compare(JUNE)
    assert at.title[0].value == "Compare two periods"
    assert at.slider(key="compare_a").value == (date(2025, 6, 1), date(2025, 6, 7))
    assert at.slider(key="compare_b").value == (date(2025, 7, 1), date(2025, 7, 7))
    # by hand: A holds Boulkessi (30 killed) and Timbuktu (0); B the 1 July wave, 8 events: 7 attacks of
    # 12 + 12 + 12 + 11 + 11 + 11 + 11 = 80 killed, and the 4 workers abducted at Diboli
    figures = metrics(at)
    assert figures["Events in B"] == ("8", "6")
    assert figures["Fatalities in B"] == ("80", "50")
    assert figures["People abducted in B"] == ("4", "4")
    table = at.dataframe[0].value.set_index("figure")
    assert table.loc["Events", ["A", "B", "change"]].tolist() == [2, 8, 6]
    assert table.loc["Events", "change_pct"] == 300.0
    regions = at.dataframe[1].value.set_index("region")
    assert regions.loc["Kayes", ["before", "after", "change"]].tolist() == [0, 5, 5]
    assert regions.loc["Mopti", ["before", "after", "change"]].tolist() == [1, 0, -1]  # Boulkessi
    assert list(regions.index[:2]) == ["Kayes", "Ségou"]  # largest change first
    assert at.query_params["a_start"] == "2025-06-01" and at.query_params["b_end"] == "2025-07-07"
    assert not at.warning


def test_changing_a_window_or_the_measure_updates_figures_and_url(db_url: str) -> None:
    at = open_compare(JUNE)
    at.slider(key="compare_a").set_value((date(2025, 6, 1), date(2025, 6, 1))).run()  # Boulkessi only
    assert metrics(at)["Events in B"] == ("8", "7")
    assert at.query_params["a_end"] == "2025-06-01"
    at.radio(key="compare_measure").set_value("fatalities").run()
    regions = at.dataframe[1].value.set_index("region")
    assert regions.loc["Kayes", ["before", "after", "change"]].tolist() == [0, 47, 47]
    assert regions.loc["Mopti", "change"] == -30
    assert at.query_params["measure"] == "fatalities"


def test_without_parameters_the_last_four_weeks_face_the_four_before(db_url: str) -> None:
    at = open_page("pages/compare.py")
    # the data's range ends a week after the last event (8 July 2025)
    assert at.slider(key="compare_b").value == (date(2025, 6, 11), date(2025, 7, 8))
    assert at.slider(key="compare_a").value == (date(2025, 5, 14), date(2025, 6, 10))
    assert metrics(at)["Events in B"] == ("8", "6")


def test_bad_parameters_fall_back_with_a_notice(db_url: str) -> None:
    at = open_compare({**JUNE, "b_start": "July", "measure": "deaths", "types": "Riots,Nope"})
    notices = " ".join(w.value for w in at.warning)
    assert "b_start=July" in notices and "measure=deaths" in notices and "Nope" in notices
    assert at.radio(key="compare_measure").value == "events"
    assert at.query_params["types"] == "Riots"
    assert metrics(at)["Events in B"][0] == "0"
    assert not at.exception
