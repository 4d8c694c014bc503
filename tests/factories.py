"""Build valid event records for tests, overriding only what a test cares about."""
from __future__ import annotations

from typing import Any

from geo.schema import Event, validate_event


def event_record(**overrides: Any) -> dict[str, Any]:
    """A valid event record (an armed clash at Kayes) with ``overrides`` applied."""
    record: dict[str, Any] = {
        "event_id_cnty": "MLITEST0001", "event_date": "2025-07-01", "time_precision": 1,
        "event_type": "Battles", "sub_event_type": "Armed clash",
        "actor1": "JNIM: Group for Support of Islam and Muslims", "inter1": "Rebel group",
        "actor2": "Military Forces of Mali (2021-)", "inter2": "State forces",
        "iso": 466, "region": "Western Africa", "country": "Mali", "admin1": "Kayes",
        "location": "Kayes", "latitude": 14.447, "longitude": -11.445, "geo_precision": 1,
        "source": "Test report", "source_scale": "National", "notes": "A test event.",
        "fatalities": 12, "tags": "", "timestamp": 1751500000,
        "claims": [{"claimant": "Military Forces of Mali (2021-)", "claimant_type": "state",
                    "metric": "attackers killed", "value": 80, "qualifier": "about", "source": "Test report"}],
    }
    record.update(overrides)
    return record


def make_event(**overrides: Any) -> Event:
    """A validated :class:`Event` built from :func:`event_record`."""
    return validate_event(event_record(**overrides))
