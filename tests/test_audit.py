"""The audit trail (issue 13): every write recorded with who, when, why, before and after, append-only; event edit
conflicts; and the map as it was published on a date, rebuilt from the audit after later edits and retractions."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
import sqlalchemy.exc

from geo import services, storage
from geo.access import Role, User
from geo.storage import EventConflict, Store, open_store
from geo.tools.filters import view_events
from geo.views import View, pinned_cutoff
from tests.factories import make_event

EDITOR = User("edith@example.org", "Edith", Role.EDITOR)
ANALYST = User("amadou@example.org", "Amadou", Role.ANALYST)
SQUARE = {"type": "Polygon", "coordinates": [[[-11.0, 14.0], [-10.0, 14.0], [-10.0, 15.0], [-11.0, 15.0],
                                              [-11.0, 14.0]]]}


def at(day: str, hour: int = 12) -> int:
    return int(datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC).timestamp())


class Clock:
    """The time storage records, set by the test (no sleeping)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = at("2025-07-01")
        monkeypatch.setattr(storage, "clock", lambda: self.now)

    def set(self, day: str, hour: int = 12) -> None:
        self.now = at(day, hour)


@pytest.fixture
def store(any_db: str) -> Store:
    return open_store(any_db, seed=False)


def test_every_event_write_records_who_when_why_and_the_values_before_and_after(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock(monkeypatch)
    store.save(events=[make_event(event_id_cnty="E1", fatalities=3)], status="draft", author="amadou@example.org",
               action="ingest")
    clock.set("2025-07-02")
    store.save(events=[make_event(event_id_cnty="E1", fatalities=5)], status="published", author="edith@example.org",
               action="edit_publish", reason="second source", reviewed=True, expected_events={"E1": 1})
    first, second = store.audit(kind="event", object_id="E1")
    assert (first.user, first.action, first.at, first.before) == ("amadou@example.org", "ingest", at("2025-07-01"),
                                                                  None)
    assert (first.after["review_status"], first.after["version"], first.after["event"]["fatalities"]) == (
        "draft", 1, 3)
    assert (second.user, second.reason, second.before["event"]["fatalities"], second.after["event"]["fatalities"],
            second.after["version"]) == ("edith@example.org", "second source", 3, 5, 2)
    state = store.event_states(["E1"])["E1"]
    assert (state.status, state.version, state.saved_by, state.reviewed_by, state.reviewed_at) == (
        "published", 2, "edith@example.org", "edith@example.org", at("2025-07-02"))
    assert [e.object_id for e in store.audit(user="EDITH@example.org")] == ["E1"]
    assert [e.action for e in store.audit(since=at("2025-07-02"))] == ["edit_publish"]


def test_a_bulk_write_is_one_audit_row_whatever_its_size(store: Store) -> None:
    events = [make_event(event_id_cnty=f"B{i:04d}") for i in range(600)]
    store.save_events(events, author="importer", details={"file_name": "acled.csv", "sha256": "ab" * 32})
    [entry] = store.audit()
    assert (entry.kind, entry.action, entry.user, entry.after["events"], entry.after["file_name"]) == (
        "bulk", "import", "importer", 600, "acled.csv")
    assert store.count(statuses=("published",)) == 600  # imports are published: the source reviewed them


def test_a_refused_or_failed_write_records_nothing(store: Store) -> None:
    store.save(events=[make_event(event_id_cnty="E1")], author="a")
    with pytest.raises(EventConflict, match="event E1 was saved by a at .* after you opened version 0"):
        store.save(events=[make_event(event_id_cnty="E1", fatalities=1)], author="b", expected_events={"E1": 0})
    assert len(store.audit()) == 1 and store.events(ids=["E1"])[0].fatalities == 12


def test_the_audit_trail_is_append_only_in_the_database(store: Store) -> None:
    store.save(events=[make_event(event_id_cnty="E1")], author="a")
    for statement in ("UPDATE audit SET \"user\" = 'someone else'", "DELETE FROM audit"):
        with pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"), store.writer.begin() as conn:
            conn.execute(sa.text(statement))
    assert [e.user for e in store.audit()] == ["a"]


def test_views_users_and_zones_are_audited_too(store: Store) -> None:
    services.save_view(store, View(), name="week 27", user=EDITOR)
    services.delete_view(store, "week 27", user=EDITOR)
    services.set_user_role(store, "amadou@example.org", "analyst", user=EDITOR)
    zone = services.save_zone(store, {"area": "West of Kayes", "status": "influence", "actor": "JNIM",
                                      "valid_from": date(2025, 7, 1), "valid_to": None, "geometry": SQUARE,
                                      "source": "Analyst", "kind": "drawn"}, user=ANALYST)
    services.publish(store, "zone", [zone.zone_id], user=EDITOR)
    assert [(e.kind, e.action, e.user) for e in store.audit()] == [
        ("view", "save_view", "edith@example.org"), ("view", "delete_view", "edith@example.org"),
        ("user", "user_role", "edith@example.org"), ("zone", "draft", "amadou@example.org"),
        ("zone", "publish", "edith@example.org")]
    assert [(v, n) for v, _, n, _ in store.zone_history(zone.zone_id)] == [(1, "drawn"), (2, "publish")]


def test_a_pinned_view_shows_what_was_published_then_after_a_later_edit_and_a_retraction(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock(monkeypatch)
    kayes = make_event(event_id_cnty="KAYES", event_date="2025-07-01", fatalities=12, timestamp=at("2025-07-01"))
    nioro = make_event(event_id_cnty="NIORO", event_date="2025-06-20", location="Nioro du Sahel", latitude=15.23,
                       longitude=-9.59, fatalities=4, timestamp=at("2025-07-01"), actor1="Unidentified Armed Group")
    services.ingest(store, [kayes, nioro], user=ANALYST)
    clock.set("2025-07-02")
    services.publish(store, "event", ["KAYES", "NIORO"], user=EDITOR)
    clock.set("2025-07-02", 15)  # a draft that is never published by the pin date
    services.ingest(store, [make_event(event_id_cnty="LATER", event_date="2025-06-10", location="Diboli",
                                       latitude=14.5, longitude=-12.2, timestamp=at("2025-07-02"))], user=ANALYST)
    week27 = View(start=date(2025, 6, 1), end=date(2025, 7, 31), as_of=date(2025, 7, 3), name="week 27")
    services.save_view(store, week27, name="week 27", user=EDITOR, as_of=week27.as_of)

    clock.set("2025-07-10")  # after the pin: the toll is corrected, Nioro retracted, the draft published
    [stored] = store.events(ids=["KAYES"])
    services.edit_and_publish(store, replace(stored, fatalities=80), user=EDITOR,
                              opened_version=store.event_states(["KAYES"])["KAYES"].version)
    services.retract(store, "event", ["NIORO"], reason="a duplicate of the Kayes report", user=EDITOR)
    services.publish(store, "event", ["LATER"], user=EDITOR)

    now = store.frame()
    assert dict(zip(now["event_id_cnty"], now["fatalities"], strict=True)) == {"LATER": 12, "KAYES": 80}
    [pinned] = store.views()
    then = view_events(store.frame(as_of=pinned_cutoff(pinned)), pinned)
    assert dict(zip(then["event_id_cnty"], then["fatalities"], strict=True)) == {"NIORO": 4, "KAYES": 12}
    assert set(then["review_status"]) == {"published"} and then["claims"].map(len).tolist() == [
        len(nioro.claims), len(kayes.claims)]
    before_publication = store.frame(as_of=at("2025-07-01", 18))
    assert before_publication.empty  # only drafts then: nothing was on the published map


def test_a_pinned_view_shows_a_zone_as_published_then(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock(monkeypatch)
    fields = {"area": "West of Kayes", "status": "influence", "actor": "JNIM", "valid_from": date(2025, 7, 1),
              "valid_to": None, "geometry": SQUARE, "source": "Analyst", "kind": "drawn"}
    zone = services.save_zone(store, fields, user=EDITOR)
    clock.set("2025-07-10")
    services.save_zone(store, {**fields, "status": "control"}, zone_id=zone.zone_id, user=EDITOR)
    assert store.zones_frame()["status"].tolist() == ["control"]
    assert store.zones_frame(as_of=at("2025-07-05"))["status"].tolist() == ["influence"]
    services.retract(store, "zone", [zone.zone_id], reason="no source", user=EDITOR)
    assert store.zones_frame().empty and store.zones_frame(as_of=at("2025-07-05"))["status"].tolist() == ["influence"]
