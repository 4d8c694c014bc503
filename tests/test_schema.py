from __future__ import annotations

from datetime import date

import pytest

from geo.schema import ACLED_COLUMNS, ValidationError, interaction, validate_event, validate_zone
from tests.factories import event_record, make_event


def test_valid_event_fills_derived_columns() -> None:
    event = make_event(disorder_type="", interaction="")
    assert event.event_date == date(2025, 7, 1)
    assert event.year == 2025
    assert event.disorder_type == "Political violence"
    assert event.interaction == "State forces-Rebel group"
    assert list(event.acled_row()) == list(ACLED_COLUMNS)
    assert event.claims[0].value == 80 and event.claims[0].qualifier == "about"


def test_acled_has_31_columns() -> None:
    assert len(ACLED_COLUMNS) == 31 and len(set(ACLED_COLUMNS)) == 31


@pytest.mark.parametrize(("overrides", "field"), [
    ({"event_id_cnty": ""}, "event_id_cnty"),
    ({"event_date": "1st of July"}, "event_date"),
    ({"event_type": "Skirmish"}, "event_type"),
    ({"sub_event_type": "Abduction/forced disappearance"}, "sub_event_type"),
    ({"inter1": "Jihadists"}, "inter1"),
    ({"inter2": ""}, "inter2"),
    ({"latitude": "north"}, "latitude"),
    ({"longitude": 200}, "longitude"),
    ({"geo_precision": 4}, "geo_precision"),
    ({"time_precision": 1.5}, "time_precision"),
    ({"fatalities": -3}, "fatalities"),
    ({"fatalities": "eighty"}, "fatalities"),
    ({"location": "  "}, "location"),
    ({"source": None}, "source"),
    ({"civilian_targeting": "yes"}, "civilian_targeting"),
    ({"claims": [{"claimant": "JNIM", "claimant_type": "rumour", "metric": "killed", "value": 3}]},
     "claims[0].claimant_type"),
    ({"claims": [{"claimant": "JNIM", "claimant_type": "armed group", "metric": "killed", "value": "x"}]},
     "claims[0].value"),
    ({"claims": "the army said 80"}, "claims"),
    ({"abduction": {"count": 4, "nationalities": ["India"], "status": "held"}}, "abduction.nationalities"),
    ({"abduction": {"count": 4, "nationalities": ["IN"], "status": "freed"}}, "abduction.status"),
    ({"provenance": [{"field": "fatalities"}]}, "provenance[0].report"),
    ({"claims": ["the army said 80"]}, "claims[0]"),
    ({"notes": "x" * 20_001}, "notes"),
])
def test_validation_names_the_field(overrides: dict, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        validate_event(event_record(**overrides))
    assert err.value.field == field
    assert field in str(err.value)


def test_abduction_nationalities_from_text() -> None:
    event = make_event(event_type="Violence against civilians", sub_event_type="Abduction/forced disappearance",
                       actor2="Civilians (India)", inter2="Civilians", civilian_targeting="Civilian targeting",
                       abduction={"count": 4, "nationalities": "in; in; IN, cn", "status": "held"})
    assert event.abduction is not None
    assert event.abduction.nationalities == ("IN", "IN", "IN", "CN")
    assert event.interaction == "Rebel group-Civilians"


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("Rebel group", "State forces", "State forces-Rebel group"),
    ("Rebel group", "", "Rebel group only"),
    ("State forces", "Civilians", "State forces-Civilians"),
])
def test_interaction_orders_by_acled_code(a: str, b: str, expected: str) -> None:
    assert interaction(a, b) == expected


ZONE = {"zone_id": "Z1", "area": "Kayes", "status": "JNIM influence", "actor": "JNIM",
        "valid_from": "2025-07-01", "valid_to": None, "source": "analysts",
        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}


@pytest.mark.parametrize(("overrides", "field"), [
    ({"status": "Liberated"}, "status"),
    ({"geometry": {"type": "Point", "coordinates": [0, 0]}}, "geometry"),
    ({"valid_from": "soon"}, "valid_from"),
    ({"valid_to": "2025-01-01"}, "valid_to"),
    ({"source": ""}, "source"),
])
def test_zone_validation_names_the_field(overrides: dict, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        validate_zone({**ZONE, **overrides})
    assert err.value.field == field
