"""AppTest for the Map page (the default page)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages.common import Keys
from tests.conftest import ROOT

TIMEOUT = 30


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.fixture
def app(db_url: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_map_page_shows_all_demo_events(app: AppTest) -> None:
    assert app.title[0].value == "Conflict Map · Sahel"
    assert metrics(app) == {"Events": "10", "Fatalities (conservative)": "110", "People abducted": "4",
                            "Control zones shown": "7"}
    assert not app.error


def test_timeline_window_filters_every_layer(app: AppTest) -> None:
    app.slider(key=Keys.TIME_WINDOW).set_value((date(2025, 5, 25), date(2025, 6, 30))).run()
    assert metrics(app)["Events"] == "2"
    assert metrics(app)["People abducted"] == "0"
    assert metrics(app)["Fatalities (conservative)"] == "30"


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
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert "Could not load the events database" in at.error[0].value
