"""The workflows the pages and the CLI share: ingest, import, save a zone, save a view, review, users; each
checks the acting user's role."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from geo import services
from geo.access import PermissionDenied, Role, User
from geo.extract.text import read_report
from geo.io.acled import ImportFormatError
from geo.schema import ValidationError
from geo.storage import EventConflict, Store, ZoneConflict, open_store
from geo.tools.dedup import deduplicate
from geo.views import View
from tests.conftest import ROOT
from tests.factories import make_event

REPORTS = ROOT / "data" / "reports"
FIXTURES = ROOT / "tests" / "fixtures" / "acled"
EDITOR = User("editor@example.org", "Edith", Role.EDITOR)
ANALYST = User("analyst@example.org", "Amadou", Role.ANALYST)
VIEWER = User("viewer@example.org", "Vera", Role.VIEWER)
SQUARE = {"type": "Polygon", "coordinates": [[[-11.0, 14.0], [-10.0, 14.0], [-10.0, 15.0], [-11.0, 15.0],
                                              [-11.0, 14.0]]]}


@pytest.fixture
def store(any_db: str) -> Store:
    """The demo database (ten events of May–July 2025 and the control assessments), on SQLite and on
    PostgreSQL/PostGIS: the workflows behave the same on both."""
    from geo.io.demo import load_demo_events, load_demo_zones

    store = open_store(any_db)
    if store.count() == 0:  # a PostgreSQL database is created migrated but empty
        store.save(events=load_demo_events(), zones=load_demo_zones(), bulk=True, action="seed")
    return store


def test_the_dedup_window_is_the_widest_precision_window() -> None:
    assert services.DEDUP_WINDOW == timedelta(days=31)


def test_only_stored_events_within_the_window_are_read(store: Store) -> None:
    store.save_events([make_event(event_id_cnty="EARLY", event_date="2025-05-31"),
                       make_event(event_id_cnty="EDGE", event_date="2025-06-01"),
                       make_event(event_id_cnty="LATE", event_date="2025-08-03")])
    new = [make_event(event_id_cnty="NEW", event_date="2025-07-02")]
    ids = {e.event_id_cnty for e in services.stored_neighbours(store, new)}
    assert "EDGE" in ids and "MLICM0001" in ids  # 31 days before, and the July wave
    assert "EARLY" not in ids and "LATE" not in ids  # 32 days away: cannot be the same incident
    assert services.stored_neighbours(store, []) == []


def test_the_window_loses_no_match_that_comparing_every_event_would_find(store: Store) -> None:
    new = [make_event(event_id_cnty="A", event_date="2025-07-02", time_precision=2),  # the Kayes clash, a day on
           make_event(event_id_cnty="B", event_date="2025-06-01", location="Boulkessi", latitude=14.795,
                      longitude=-1.318, admin1="Mopti"),
           make_event(event_id_cnty="C", event_date="2024-01-10")]  # nothing stored near it
    plan = services.plan_ingest(store, new)
    _, everything = deduplicate(new, store.events())
    assert [m.existing for m in plan.matches] == [m.existing for m in everything] == ["MLICM0001", "MLICM0010"]
    assert (plan.merged, plan.new) == (2, 1)
    assert store.count() == 10  # planning saves nothing


def test_ingest_merges_a_second_report_of_a_stored_incident_instead_of_adding_it(store: Store) -> None:
    before = store.events(ids=["MLICM0001"])[0]
    plan = services.ingest(store, [make_event(event_id_cnty="DUP", event_date="2025-07-01",
                                              source="Second report", fatalities=before.fatalities)], user=ANALYST)
    assert [m.existing for m in plan.matches] == ["MLICM0001"]
    assert store.count() == 10 and not store.events(ids=["DUP"], statuses=None)
    kayes = store.events(ids=["MLICM0001"], statuses=None)[0]
    assert store.event_states(["MLICM0001"])["MLICM0001"].status == "draft"  # changed figures wait for review
    assert "Second report" in kayes.source and "Second report" not in before.source
    assert kayes.fatalities == before.fatalities  # one incident: its toll is not added up


def test_undated_events_are_set_aside_not_saved(store: Store) -> None:
    undated = make_event(event_id_cnty="NODATE")
    undated = type(undated)(**{**undated.__dict__, "event_date": None})
    plan = services.ingest(store, [undated, make_event(event_id_cnty="NEW1", event_date="2024-03-01")], user=ANALYST)
    assert [e.event_id_cnty for e in plan.undated] == ["NODATE"]
    assert [e.event_id_cnty for e in plan.to_save] == ["NEW1"]
    assert store.count() == 11 and not store.events(ids=["NODATE"], statuses=None)


def test_ingest_reports_extracts_merges_and_keeps_the_control_claims(store: Store) -> None:
    name = "2025-07-02_mali_attaques_coordonnees_fr.txt"
    report = read_report((REPORTS / name).read_bytes(), name)
    results, plan = services.ingest_reports(store, [(name, report)], user=ANALYST)
    assert len(results) == 1 and results[0].events
    assert "MLICM0001" in {m.existing for m in plan.matches}
    assert store.count() == 10 + plan.new
    assert sum(e.fatalities for e in store.events(statuses=None) if e.event_id_cnty.startswith("MLICM")) == 110


def test_a_typed_publication_date_wins_over_the_reports(store: Store) -> None:
    text = b"Gunmen attacked a village near Ouallam on Friday, killing four civilians, residents said.\n"
    report = read_report(text, "undated.txt")
    assert report.published is None
    assert all(e.event_date is None for e in services.extract_report(report, "undated.txt").events)
    dated = services.extract_report(report, "undated.txt", published=date(2025, 3, 15), source="Radio")
    assert dated.events and {e.event_date for e in dated.events} == {date(2025, 3, 14)}
    assert {e.source for e in dated.events} == {"Radio"}


def test_import_file_saves_the_valid_rows_once(store: Store) -> None:
    data = (FIXTURES / "bad_rows.csv").read_bytes()
    result = services.import_file(store, data)
    assert (result.imported, [line for line, _ in result.rejected]) == (1, [2, 3, 4, 5])
    assert store.count() == 11
    services.import_file(store, data)
    assert store.count() == 11  # the same ids are replaced, not added


def test_import_file_refuses_a_file_that_is_not_an_export(store: Store) -> None:
    with pytest.raises(ImportFormatError):
        services.import_file(store, b"just,some\nwords,here\n")
    assert store.count() == 10


ZONE = {"area": "West of Kayes", "status": "influence", "actor": "JNIM", "valid_from": date(2025, 7, 1),
        "valid_to": None, "geometry": SQUARE, "source": "Analyst", "claimant": "", "notes": "",
        "linked_events": "MLICM0001, MLICM0002", "kind": "drawn"}


def test_a_new_zone_gets_its_own_id_even_within_the_same_second(store: Store) -> None:
    now = datetime(2025, 7, 3, 12, 0, 5, tzinfo=UTC)
    first = services.save_zone(store, ZONE, now=now, user=EDITOR)
    second = services.save_zone(store, {**ZONE, "area": "East of Kayes"}, now=now, user=EDITOR)
    assert (first.zone_id, second.zone_id) == ("D20250703120005", "D20250703120005-2")
    assert first.linked_events == ("MLICM0001", "MLICM0002")
    assert [(v, n) for v, _, n, _ in store.zone_history(first.zone_id)] == [(1, "drawn")]


def test_editing_a_zone_keeps_its_id_and_history(store: Store) -> None:
    zone = services.save_zone(store, ZONE, user=EDITOR)
    edited = services.save_zone(store, {**ZONE, "status": "control"}, zone_id=zone.zone_id, user=EDITOR)
    assert edited.zone_id == zone.zone_id and edited.status == "control"
    assert [(v, n) for v, _, n, _ in store.zone_history(zone.zone_id)] == [(1, "drawn"), (2, "edited")]
    services.save_zone(store, {**ZONE, "status": "contested"}, zone_id=zone.zone_id, note="army retook it", user=EDITOR)
    assert store.zone_history(zone.zone_id)[-1][2] == "army retook it"


def test_two_analysts_editing_one_zone_never_overwrite_each_other(store: Store) -> None:
    amina, bakary = User("amina@example.org", role=Role.EDITOR), User("bakary@example.org", role=Role.EDITOR)
    zone = services.save_zone(store, ZONE, user=amina)
    opened = store.zone_version(zone.zone_id).version  # both open version 1
    services.save_zone(store, {**ZONE, "status": "control"}, zone_id=zone.zone_id, opened_version=opened,
                       user=amina)
    with pytest.raises(ZoneConflict) as caught:
        services.save_zone(store, {**ZONE, "status": "contested"}, zone_id=zone.zone_id, opened_version=opened,
                           user=bakary)
    assert "amina" in str(caught.value) and "nothing was saved" in str(caught.value)
    assert next(z for z in store.zones() if z.zone_id == zone.zone_id).status == "control"


@pytest.mark.parametrize(("change", "field"), [({"geometry": None}, "geometry"), ({"actor": ""}, "actor"),
                                               ({"status": "liberated"}, "status"), ({"area": ""}, "area")])
def test_a_bad_zone_is_refused_with_its_field_and_nothing_is_saved(store: Store, change: dict, field: str) -> None:
    before = len(store.zones())
    with pytest.raises(ValidationError) as caught:
        services.save_zone(store, {**ZONE, **change}, user=EDITOR)
    assert str(caught.value).startswith(field)
    assert len(store.zones()) == before


def test_saved_views_go_after_the_others_and_keep_their_place_when_saved_again(store: Store) -> None:
    june = View(start=date(2025, 6, 1), end=date(2025, 6, 30), types=("Battles",))
    first = services.save_view(store, june, name=" june ", user=EDITOR)
    assert (first.name, first.title, first.position) == ("june", "june", 0)
    services.save_view(store, View(), name="all", title="Everything", notes=" for the board ", user=EDITOR)
    again = services.save_view(store, june, name="june", title="June, again", as_of=date(2025, 7, 1), user=EDITOR)
    assert [(v.name, v.position) for v in store.views()] == [("june", 0), ("all", 1)]
    assert (again.title, again.as_of, again.types) == ("June, again", date(2025, 7, 1), ("Battles",))
    assert store.views()[1].notes == "for the board"


def test_a_view_needs_a_name(store: Store) -> None:
    with pytest.raises(ValidationError):
        services.save_view(store, View(), name="  ", user=EDITOR)
    assert store.views() == []


# -- issue 13: roles, review, audit ---------------------------------------------------------------------------
def test_a_viewer_can_write_nothing_through_the_services(store: Store) -> None:
    zone = store.zones()[0]
    draft = make_event(event_id_cnty="VDRAFT", event_date="2024-03-01")
    services.ingest(store, [draft], user=ANALYST)
    services.save_view(store, View(), name="kept", user=EDITOR)
    before = (store.count(), store.data_version(), len(store.audit()))
    attempts = [
        lambda: services.ingest(store, [make_event(event_id_cnty="X1", event_date="2024-03-01")], user=VIEWER),
        lambda: services.import_file(store, (FIXTURES / "bad_rows.csv").read_bytes(), user=VIEWER),
        lambda: services.save_zone(store, ZONE, user=VIEWER),
        lambda: services.save_zone(store, ZONE, zone_id=zone.zone_id, user=VIEWER),
        lambda: services.publish(store, "event", ["VDRAFT"], user=VIEWER),
        lambda: services.retract(store, "event", ["MLICM0001"], reason="wrong", user=VIEWER),
        lambda: services.save_view(store, View(), name="mine", user=VIEWER),
        lambda: services.delete_view(store, "kept", user=VIEWER),
        lambda: services.set_user_role(store, "viewer@example.org", "editor", user=VIEWER),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied, match="viewer"):
            attempt()
    assert (store.count(), store.data_version(), len(store.audit())) == before
    assert [v.name for v in store.views()] == ["kept"]


def test_an_analyst_drafts_but_cannot_publish_retract_edit_zones_or_delete_views(store: Store) -> None:
    zone = store.zones()[0]
    services.save_view(store, View(), name="kept", user=EDITOR)
    services.save_view(store, View(), name="analyst's own", user=ANALYST)  # a new view: allowed
    for attempt in (lambda: services.publish(store, "event", ["MLICM0001"], user=ANALYST),
                    lambda: services.retract(store, "event", ["MLICM0001"], reason="x", user=ANALYST),
                    lambda: services.save_zone(store, ZONE, zone_id=zone.zone_id, user=ANALYST),
                    lambda: services.save_view(store, View(), name="kept", user=ANALYST),
                    lambda: services.delete_view(store, "kept", user=ANALYST),
                    lambda: services.set_user_role(store, "a@b.org", "editor", user=ANALYST)):
        with pytest.raises(PermissionDenied, match="only an editor"):
            attempt()
    drawn = services.save_zone(store, ZONE, user=ANALYST)  # a new zone is a draft
    assert store.zone_states([drawn.zone_id])[drawn.zone_id].status == "draft"
    assert drawn.zone_id not in {z.zone_id for z in store.zones()}  # not on the published map
    services.save_zone(store, {**ZONE, "notes": "better"}, zone_id=drawn.zone_id, user=ANALYST)  # its own draft
    assert store.zone_states([drawn.zone_id])[drawn.zone_id].status == "draft"


def test_ingested_events_are_drafts_until_an_editor_publishes_them(store: Store) -> None:
    new = make_event(event_id_cnty="NEWDRAFT", event_date="2024-03-01")
    services.ingest(store, [new], user=ANALYST)
    assert store.events(ids=["NEWDRAFT"]) == []  # published only, by default
    assert [e.event_id_cnty for e in store.events(ids=["NEWDRAFT"], statuses=("draft",))] == ["NEWDRAFT"]
    assert "NEWDRAFT" not in set(store.frame()["event_id_cnty"])
    queue = services.review_queue(store)
    assert [(i.kind, i.item.event_id_cnty, i.saved.user) for i in queue] == [
        ("event", "NEWDRAFT", "analyst@example.org")]
    services.publish(store, "event", ["NEWDRAFT"], user=EDITOR, expected={"NEWDRAFT": queue[0].state.version})
    state = store.event_states(["NEWDRAFT"])["NEWDRAFT"]
    assert (state.status, state.reviewed_by, state.version) == ("published", "editor@example.org", 2)
    assert "NEWDRAFT" in set(store.frame()["event_id_cnty"]) and services.review_queue(store) == []
    actions = [(e.user, e.action) for e in services.history(store, "event", "NEWDRAFT")]
    assert actions == [("analyst@example.org", "ingest"), ("editor@example.org", "publish")]


def test_a_retraction_needs_a_reason_and_is_kept_in_the_history(store: Store) -> None:
    with pytest.raises(ValidationError, match="reason"):
        services.retract(store, "event", ["MLICM0001"], reason="  ", user=EDITOR)
    services.retract(store, "event", ["MLICM0001"], reason="the army denied it; no second source", user=EDITOR)
    assert store.events(ids=["MLICM0001"]) == [] and store.event_states(["MLICM0001"])["MLICM0001"].status == (
        "retracted")
    [entry] = services.history(store, "event", "MLICM0001")
    assert (entry.action, entry.reason, entry.before["review_status"], entry.after["review_status"]) == (
        "retract", "the army denied it; no second source", "published", "retracted")
    assert entry.before["event"]["fatalities"] == entry.after["event"]["fatalities"]


def test_edit_and_publish_refuses_a_second_save_naming_who_saved_first(store: Store) -> None:
    services.ingest(store, [make_event(event_id_cnty="TWICE", event_date="2024-03-01", fatalities=3)], user=ANALYST)
    opened = store.event_states(["TWICE"])["TWICE"].version
    [event] = store.events(ids=["TWICE"], statuses=None)
    other = User("second@example.org", "Second", Role.EDITOR)
    services.edit_and_publish(store, replace(event, fatalities=4), user=EDITOR, opened_version=opened)
    with pytest.raises(EventConflict) as caught:
        services.edit_and_publish(store, replace(event, fatalities=9), user=other, opened_version=opened)
    assert "editor@example.org" in str(caught.value) and "nothing was saved" in str(caught.value)
    assert store.events(ids=["TWICE"])[0].fatalities == 4
    [_, edit] = services.history(store, "event", "TWICE")
    assert (edit.action, edit.before["event"]["fatalities"], edit.after["event"]["fatalities"]) == (
        "edit_publish", 3, 4)


def test_users_are_managed_by_editors_and_unknown_users_are_viewers(store: Store) -> None:
    assert services.user_for(store, "Someone@Example.org", "Someone").role is Role.VIEWER
    assert services.set_user_role(store, " Amadou@Example.org ", "analyst", user=EDITOR) is None
    assert services.user_for(store, "amadou@example.org").role is Role.ANALYST
    assert services.set_user_role(store, "amadou@example.org", "EDITOR", user=EDITOR) == "analyst"
    with pytest.raises(ValidationError, match="roles are viewer, analyst, editor"):
        services.set_user_role(store, "amadou@example.org", "admin", user=EDITOR)
    assert [(e, r) for e, r, _, _ in store.users()] == [("amadou@example.org", "editor")]
    assert services.remove_user(store, "amadou@example.org", user=EDITOR) == "editor"
    assert services.user_for(store, "amadou@example.org").role is Role.VIEWER
    assert [(e.action, e.object_id) for e in store.audit(kind="user")] == [
        ("user_role", "amadou@example.org"), ("user_role", "amadou@example.org"), ("user_remove", "amadou@example.org")]
