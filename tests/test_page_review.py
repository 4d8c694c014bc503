"""AppTest for the Review page and the sign-in gate (issue 13): an editor publishes, corrects or retracts drafts;
a visitor who is not signed in sees only the sign-in page; a signed-in viewer is offered no way to change anything."""
from __future__ import annotations

import time
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from geo import services
from geo.access import Role, User
from geo.storage import open_store
from geo.views import View
from tests.conftest import APP_TIMEOUT, ROOT, map_figures, open_page
from tests.factories import make_event

ANALYST = User("amadou@example.org", "Amadou", Role.ANALYST)
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-cookie-secret",
        "client_id": "conflictmap", "client_secret": "secret",
        "server_metadata_url": "http://localhost:9400/.well-known/openid-configuration"}


def drafted(db_url: str, **fields: object) -> str:
    """A draft saved by an analyst, as the Reports page saves it; returns its id."""
    store = open_store(db_url)
    event = make_event(event_id_cnty="DRAFT1", event_date="2025-07-03", location="Diboli", latitude=14.5,
                       longitude=-12.2, fatalities=6, notes="Gunmen attacked the customs post at Diboli.", **fields)
    services.ingest(store, [event], user=ANALYST)
    return event.event_id_cnty


def signed_in(email: str | None, page: str | None = None) -> AppTest:
    """The app with sign-in on (an [auth] section), as ``email`` (None: nobody signed in)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": email, "name": email.split("@")[0].title()} if email else {
        "is_logged_in": False}
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_an_editor_sees_the_draft_with_its_evidence_and_publishes_it(db_url: str) -> None:
    event_id = drafted(db_url)
    at = open_page("pages/review.py")  # local mode: the local user has every role
    assert "1 draft(s) wait for review." in [m.value for m in at.markdown]
    assert any("Gunmen attacked the customs post" in m.value for m in at.markdown)
    assert any("saved by amadou@example.org" in m.value for m in at.markdown)
    at.button(key=f"publish_{event_id}").click().run()
    assert not at.exception and at.success[0].value == f"Published event {event_id}."
    state = open_store(db_url).event_states([event_id])[event_id]
    assert (state.status, state.version) == ("published", 2)
    assert any(s.value == "No drafts wait for review." for s in at.success)


def test_a_retraction_needs_a_reason(db_url: str) -> None:
    event_id = drafted(db_url)
    at = open_page("pages/review.py")
    at.button(key=f"retract_{event_id}").click().run()
    assert "Not saved: reason: say why it is retracted" in at.error[0].value
    at.text_input(key=f"reason_{event_id}").input("no second source")
    at.button(key=f"retract_{event_id}").click().run()
    assert at.success[0].value == f"Retracted event {event_id}."
    [entry] = [e for e in open_store(db_url).audit(kind="event", object_id=event_id) if e.action == "retract"]
    assert entry.reason == "no second source" and entry.after["review_status"] == "retracted"


def test_edit_and_publish_saves_the_correction_and_refuses_a_stale_version(db_url: str) -> None:
    event_id = drafted(db_url)
    at = open_page("pages/review.py")
    at.number_input(key=f"edit_fatalities_{event_id}").set_value(9)
    at.text_input(key=f"edit_why_{event_id}").input("the governor's toll")
    next(b for b in at.button if b.label == "Save and publish").click().run()
    assert not at.exception and at.success[0].value == f"Corrected and published event {event_id}."
    [event] = open_store(db_url).events(ids=[event_id])
    assert event.fatalities == 9
    # a second editor had the draft open at version 1: their save is refused, naming who saved first
    store = open_store(db_url)
    services.ingest(store, [make_event(event_id_cnty="DRAFT2", event_date="2024-01-05", location="Ansongo",
                                       latitude=15.66, longitude=0.5)], user=ANALYST)
    at = open_page("pages/review.py")
    services.publish(store, "event", ["DRAFT2"], user=User("first@example.org", role=Role.EDITOR))
    at.button(key="publish_DRAFT2").click().run()
    assert "event DRAFT2 was saved by first@example.org" in at.error[0].value


def test_with_sign_in_on_a_visitor_sees_only_the_sign_in_page(db_url: str) -> None:
    at = signed_in(None)
    assert [b.label for b in at.button] == ["Sign in"]
    assert at.title[0].value == "Conflict Map · Sahel" and not at.metric  # no map, no figures
    assert not [m for m in at.markdown if "control zones shown" in m.value]


def test_a_signed_in_viewer_is_offered_nothing_to_change(db_url: str) -> None:
    at = signed_in("vera@example.org")
    assert any("Signed in as **Vera** (vera@example.org) · viewer" in c.value for c in at.sidebar.caption)
    assert not [t for t in at.toggle if t.key == "include_drafts"]
    labels = [b.label for b in at.button]
    assert "Delete" not in labels and "Sign out" in labels
    assert not [t for t in at.toggle if t.key == "view_dialog"]  # no "Save the current view…"
    control = signed_in("vera@example.org", "pages/control.py")
    assert any("drawing and editing zones needs an analyst" in i.value for i in control.info)
    assert not [b for b in control.button if b.label == "Save assessment"]


def test_roles_come_from_the_store_and_the_editor_gets_the_review_page(db_url: str) -> None:
    store = open_store(db_url)
    services.set_user_role(store, "edith@example.org", "editor", user=User("admin", role=Role.EDITOR, local=True))
    event_id = drafted(db_url)
    at = signed_in("edith@example.org", "pages/review.py")
    assert at.title[0].value == "Review"
    at.button(key=f"publish_{event_id}").click().run()
    assert [e.user for e in store.audit(kind="event", object_id=event_id)] == ["amadou@example.org",
                                                                               "edith@example.org"]


def test_include_drafts_shows_drafts_on_the_map_for_an_analyst_or_editor(db_url: str) -> None:
    drafted(db_url)
    at = open_page()
    assert map_figures(at)["events"] == 10
    at.toggle(key="include_drafts").set_value(True).run()
    assert not at.exception and map_figures(at)["events"] == 11


def test_a_pinned_view_shows_what_was_published_on_its_date_after_a_later_retraction(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from geo import storage

    store = open_store(db_url)
    editor = User("edith@example.org", role=Role.EDITOR)
    services.save_view(store, View(), name="pinned", as_of=date.today(), user=editor)
    later = int(time.time()) + 2 * 86400  # the retraction comes after the pinned date
    monkeypatch.setattr(storage, "clock", lambda: later)
    services.retract(store, "event", ["MLICM0001"], reason="a duplicate", user=editor)
    assert map_figures(open_page())["events"] == 9
    pinned = open_page(query={"view": "pinned"})
    assert map_figures(pinned)["events"] == 10
    briefing = open_page("pages/briefing.py")  # the saved view is its one slide
    assert briefing.metric[0].value == "10"
