"""AppTest for the Briefing page."""
from __future__ import annotations

from datetime import date

from geo.storage import open_store
from geo.views import View
from tests.conftest import open_page


def test_without_saved_views_one_slide_shows_everything(db_url: str) -> None:
    at = open_page("pages/briefing.py")
    assert at.title[0].value == "All events"
    figures = {m.label: (m.value, m.delta) for m in at.metric}
    assert figures["Events"][0] == "10" and figures["People abducted"][0] == "4"
    assert at.button(key="briefing_next").disabled


def test_slides_step_through_saved_views_with_changes_against_the_previous_window(db_url: str) -> None:
    store = open_store(db_url)
    store.save_view(View(name="june", title="Early June", start=date(2025, 6, 1), end=date(2025, 6, 7),
                         position=0, notes="Boulkessi & Timbuktu <first>"))
    store.save_view(View(name="july", title="The July wave", start=date(2025, 7, 1), end=date(2025, 7, 1),
                         layers=("attacks", "abductions"), position=1))
    at = open_page("pages/briefing.py")
    assert at.title[0].value == "Early June"
    assert any("Boulkessi &amp; Timbuktu &lt;first&gt;" in m.value for m in at.markdown)
    at.button(key="briefing_next").click().run()
    assert at.title[0].value == "The July wave"
    figures = {m.label: (m.value, m.delta) for m in at.metric}
    assert figures["Events"] == ("8", "8")  # +8: nothing on 30 June, the day before
    assert figures["People abducted"][0] == "4"
    at.button(key="briefing_prev").click().run()
    assert at.title[0].value == "Early June"


def _actor_chart(at) -> dict:  # noqa: ANN001 - an AppTest
    import json

    specs = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    [actors] = [spec for spec in specs if "hconcat" in spec]  # the weekly trend is one chart, the actors' another
    return actors


def test_the_slide_shows_the_actors_trends(db_url: str) -> None:
    at = open_page("pages/briefing.py")
    # no actor selected: the three named in most events, civilians aside: JNIM in all 10, the army in 9; the
    # others are civilians (the workers' nationalities and their employer, coded as civilians by ACLED)
    order = _actor_chart(at)["hconcat"][0]["facet"]["row"]["sort"]
    assert order == ["JNIM: Group for Support of Islam and Muslims", "Military Forces of Mali (2021-)"]
    store = open_store(db_url)
    store.save_view(View(name="india", title="Indian workers", actors=("Civilians (India)",)))
    at = open_page("pages/briefing.py")
    assert _actor_chart(at)["hconcat"][0]["facet"]["row"]["sort"] == ["Civilians (India)"]  # the slide's actors
    assert any("an event counts for each actor it names" in c.value for c in at.caption)
