"""Territorial control: geometry validation, evidence, inference, changes and history."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from geo.io.demo import load_demo_zones
from geo.schema import ValidationError, validate_geometry, validate_zone
from geo.storage import events_frame, open_store
from geo.tools.filters import zones_at
from geo.tools.zones import actor_families, changes, infer_zones, zone_evidence
from geo.vocab import FAMILIES, actor_family
from tests.factories import make_event

SQUARE = {"type": "Polygon", "coordinates": [[[-5, 14], [-4, 14], [-4, 15], [-5, 15], [-5, 14]]]}


@pytest.mark.parametrize(("geometry", "message"), [
    ({"type": "Polygon", "coordinates": [[[-5, 14], [-4, 15], [-4, 14], [-5, 15], [-5, 14]]]}, "Self-intersection"),
    ({"type": "Polygon", "coordinates": [[[500000, 1600000], [510000, 1600000], [510000, 1610000],
                                          [500000, 1600000]]]}, "looks projected"),
    ({"type": "Polygon", "coordinates": [[[100, 40], [101, 40], [101, 41], [100, 40]]]}, "outside the region"),
    ({"type": "Polygon", "coordinates": [[[14, -5], [15, -5], [15, -4], [14, -5]]]}, "outside the region"),
    ({"type": "Polygon", "coordinates": [[[-5, 14], [-5, 14], [-5, 14], [-5, 14]]]}, "Too few points"),
    ({"type": "Polygon", "coordinates": []}, "empty"),
    ({"type": "Point", "coordinates": [-5, 14]}, "Polygon or MultiPolygon"),
    ({"type": "Polygon", "coordinates": "nonsense"}, "not a readable polygon"),
])
def test_bad_geometry_gets_a_clear_message(geometry: dict, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        validate_geometry(geometry)
    assert err.value.field == "geometry" and message in err.value.message


def test_good_geometry_passes() -> None:
    assert validate_geometry(SQUARE)["type"] == "Polygon"


@pytest.mark.parametrize(("changes_", "field"), [
    ({"status": "liberated"}, "status"),
    ({"status": "control", "actor": ""}, "actor"),
    ({"kind": "guess"}, "kind"),
    ({"valid_to": "2020-01-01"}, "valid_to"),
])
def test_zone_fields(changes_: dict, field: str) -> None:
    base = {"zone_id": "Z", "area": "A", "status": "contested", "actor": "", "valid_from": "2025-01-01",
            "geometry": SQUARE, "source": "test"}
    with pytest.raises(ValidationError) as err:
        validate_zone({**base, **changes_})
    assert err.value.field == field


def test_legacy_labels_still_read() -> None:
    zone = validate_zone({"zone_id": "Z", "area": "A", "status": "JNIM influence", "valid_from": "2025-01-01",
                          "geometry": SQUARE, "source": "test"})
    assert (zone.status, zone.actor) == ("influence", "JNIM")


def hand_built() -> pd.DataFrame:
    """Two cells: JNIM takes a town in one; the army clashes twice and retakes ground in the other."""
    return events_frame([
        make_event(event_id_cnty="A1", latitude=14.2, longitude=-4.8, sub_event_type="Non-state actor overtakes "
                   "territory"),
        make_event(event_id_cnty="A2", latitude=14.3, longitude=-4.7, actor1="Military Forces of Mali (2021-)",
                   inter1="State forces", actor2="JNIM: Group for Support of Islam and Muslims",
                   inter2="Rebel group"),
        make_event(event_id_cnty="B1", latitude=16.2, longitude=-0.2, actor1="Military Forces of Mali (2021-)",
                   inter1="State forces", actor2="Islamic State (Sahel)", inter2="Rebel group",
                   sub_event_type="Government regains territory"),
        make_event(event_id_cnty="B2", latitude=16.3, longitude=-0.1, actor1="Islamic State (Sahel)",
                   inter1="Rebel group", actor2="Military Forces of Mali (2021-)", inter2="State forces"),
        make_event(event_id_cnty="C1", latitude=16.2, longitude=-0.2, actor1="Civilians (Mali)", inter1="Civilians",
                   actor2="", inter2="", event_type="Protests", sub_event_type="Peaceful protest"),
    ])


def test_inference_weighs_territory_changes_most() -> None:
    cells = infer_zones(hand_built(), cell_deg=0.5).set_index(["row", "col"])
    jnim_cell = cells.loc[(28, -10)]
    assert jnim_cell["family"] == "JNIM"            # taking a town (5) beats a clash (2)
    assert jnim_cell["weight"] == 7 and jnim_cell["events"] == 2
    army_cell = cells.loc[(32, -1)]
    assert army_cell["family"] == "State forces"    # regaining ground (5) beats IS Sahel's clash (2)
    assert army_cell["share"] == pytest.approx(5 / 7)
    assert army_cell["events"] == 2                 # the protest is not armed activity
    assert set(cells["family"]) <= set(FAMILIES)


def test_vectorised_families_agree_with_the_vocabulary() -> None:
    actors = pd.Series(["JNIM: Group for Support of Islam and Muslims", "Islamic State (Sahel)", "Katiba Macina",
                        "Islamic State West Africa Province", "Military Forces of Niger (2023-)", "JNIM; IS Sahel",
                        "Wagner Group", None, "Unidentified Armed Group (Burkina Faso)", "EIGS"], index=range(10, 20))
    inter = pd.Series(["Rebel group", "Rebel group", "Rebel group", "Rebel group", "State forces", "",
                       "External/Other forces", "Rebel group", "Political militia", "Rebel group"], index=actors.index)
    families = actor_families(actors, inter)
    assert list(families.index) == list(actors.index)
    assert list(families) == [actor_family(a, i) for a, i in zip(actors, inter, strict=True)]
    assert list(families) == ["JNIM", "IS Sahel", "JNIM", "Other armed groups", "State forces", "JNIM",
                              "State forces", "Other armed groups", "Other armed groups", "IS Sahel"]


def test_inference_on_nothing_is_empty() -> None:
    assert infer_zones(hand_built().iloc[0:0]).empty


def test_evidence_lists_events_inside_each_zone(frame: pd.DataFrame, zones: pd.DataFrame) -> None:
    valid = zones_at(zones, date(2025, 7, 8))
    evidence = zone_evidence(valid, frame)
    kayes = evidence["ML-KAY-2025"]
    assert {e["location"] for e in kayes} >= {"Kayes", "Diboli", "Sandare"}
    assert [e["fatalities"] for e in kayes] == sorted((e["fatalities"] for e in kayes), reverse=True)
    assert evidence["ML-MOP-2019"][0]["location"] == "Boulkessi"


def test_changes_between_dates(zones: pd.DataFrame) -> None:
    changed = changes(zones, date(2023, 1, 1), date(2024, 1, 1)).set_index("area")
    assert changed.loc["Kidal region", "change"] == "lost by armed groups"
    later = changes(zones, date(2025, 6, 1), date(2025, 10, 1)).set_index("area")
    assert later.loc["Kayes region", "change"] == "gained by armed groups"
    assert "Bamako (fuel blockade)" in later.index
    assert changes(zones, date(2025, 6, 1), date(2025, 6, 1)).empty


def test_every_save_is_kept_in_the_history(db_url: str) -> None:
    from dataclasses import replace

    store = open_store(db_url)
    zone = next(z for z in load_demo_zones() if z.zone_id == "ML-KAY-2025")
    store.save(zones=[replace(zone, status="control")], note="analysts: control")
    store.save(zones=[replace(zone, status="contested", actor="JNIM; army")], note="army pushed back")
    history = store.zone_history("ML-KAY-2025")
    assert [(v, n, z.status) for v, _, n, z in history] == [
        (1, "", "influence"), (2, "analysts: control", "control"), (3, "army pushed back", "contested")]
    assert next(z for z in store.zones() if z.zone_id == "ML-KAY-2025").status == "contested"
