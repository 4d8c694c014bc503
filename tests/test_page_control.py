"""AppTest for the Control page: changes between dates, editing an assessment, its history."""
from __future__ import annotations

from datetime import date

from geo import services
from geo.access import Role, User
from geo.storage import open_store
from tests.conftest import open_page


def test_changes_between_two_dates(db_url: str) -> None:
    at = open_page("pages/control.py")
    at.date_input(key="change_before").set_value(date(2023, 1, 1)).run()
    at.date_input(key="change_after").set_value(date(2024, 1, 1)).run()
    table = at.dataframe[0].value
    kidal = table.set_index("area").loc["Kidal region"]
    assert kidal["change"] == "lost by armed groups" and kidal["after"].startswith("government")


def test_editing_an_assessment_keeps_its_history(db_url: str) -> None:
    at = open_page("pages/control.py")
    label = next(o for o in at.selectbox(key="zone_pick").options if "(ML-KAY-2025)" in o)
    at.selectbox(key="zone_pick").set_value(label).run()
    # form widgets commit together when the form is submitted
    at.selectbox(key="zone_status_ML-KAY-2025").set_value("control")
    at.text_input(key="zone_note_ML-KAY-2025").input("analysts now say control")
    next(b for b in at.button if b.label == "Save assessment").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    store = open_store(db_url)
    zone = next(z for z in store.zones() if z.zone_id == "ML-KAY-2025")
    assert zone.status == "control" and zone.actor == "JNIM"
    versions = store.zone_history("ML-KAY-2025")
    assert [(v, n) for v, _, n, _ in versions] == [(1, ""), (2, "analysts now say control")]
    assert versions[0][3].status == "influence"


def test_an_edit_to_a_zone_someone_saved_since_is_refused(db_url: str) -> None:
    at = open_page("pages/control.py")
    label = next(o for o in at.selectbox(key="zone_pick").options if "(ML-KAY-2025)" in o)
    at.selectbox(key="zone_pick").set_value(label).run()  # opened at version 1
    store = open_store(db_url)
    zone = next(z for z in store.zones() if z.zone_id == "ML-KAY-2025")
    services.save_zone(store, {"area": zone.area, "status": zone.status, "actor": zone.actor,
                               "valid_from": zone.valid_from, "valid_to": zone.valid_to,
                               "geometry": zone.geometry, "source": zone.source,
                               "claimant": zone.claimant, "notes": "seen again by a patrol", "linked_events": "",
                               "kind": zone.kind}, zone_id=zone.zone_id,
                       user=User("another analyst", role=Role.EDITOR))
    at.selectbox(key="zone_status_ML-KAY-2025").set_value("control")
    next(b for b in at.button if b.label == "Save assessment").click().run()
    assert not at.exception
    assert any("another analyst" in e.value and "nothing was saved" in e.value for e in at.error)
    kept = next(z for z in open_store(db_url).zones() if z.zone_id == "ML-KAY-2025")
    assert (kept.status, kept.notes) == (zone.status, "seen again by a patrol")


def test_a_new_zone_needs_a_drawing(db_url: str) -> None:
    at = open_page("pages/control.py")
    at.text_input(key="zone_area_new").input("Somewhere")
    next(b for b in at.button if b.label == "Save assessment").click().run()
    assert "Draw the zone on the map first" in at.error[0].value


def test_a_bad_edit_is_refused_with_the_field(db_url: str) -> None:
    at = open_page("pages/control.py")
    label = next(o for o in at.selectbox(key="zone_pick").options if "(ML-KAY-2025)" in o)
    at.selectbox(key="zone_pick").set_value(label).run()
    at.text_input(key="zone_actor_ML-KAY-2025").input("")
    next(b for b in at.button if b.label == "Save assessment").click().run()
    assert "actor" in at.error[0].value
    assert next(z for z in open_store(db_url).zones() if z.zone_id == "ML-KAY-2025").actor == "JNIM"
