from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from geo.extract.pipeline import extract
from geo.extract.text import decode_report
from geo.storage import open_store
from geo.tools.dedup import deduplicate, merge, same_incident
from geo.vocab import DEDUP_WINDOW_DAYS, same_incident_window
from tests.conftest import ROOT
from tests.factories import make_event

REPORTS = ROOT / "data" / "reports"


@pytest.mark.parametrize(("changes", "same"), [
    ({}, True),
    ({"event_date": "2025-07-02"}, True),                   # one day apart, day precision
    ({"event_date": "2025-07-05"}, False),                  # four days apart, day precision
    ({"event_date": "2025-07-05", "time_precision": 2}, True),  # within a week when precision is a week
    ({"latitude": 14.455, "longitude": -12.199}, False),    # Diboli is 80 km from Kayes
    ({"latitude": 14.455, "longitude": -12.199, "geo_precision": 2}, True),
    ({"sub_event_type": "Non-state actor overtakes territory"}, True),
    ({"event_type": "Violence against civilians", "sub_event_type": "Abduction/forced disappearance",
      "actor2": "Civilians (India)", "inter2": "Civilians", "civilian_targeting": "Civilian targeting"}, False),
    ({"actor1": "Islamic State (Sahel)"}, False),
    ({"country": "Senegal", "iso": 686}, False),
])
def test_same_incident(changes: dict, same: bool) -> None:
    old = make_event(event_id_cnty="OLD")
    new = make_event(event_id_cnty="NEW", **changes)
    assert (same_incident(new, old) is not None) is same


@pytest.mark.parametrize(("precisions", "days"), [((1, 1), 1), ((1, 2), 7), ((3, 1), 31), ((3, 3), 31)])
def test_the_date_window_is_the_vaguer_dates_from_the_vocabulary(precisions: tuple[int, int], days: int) -> None:
    assert same_incident_window(*precisions) == days
    old = make_event(event_id_cnty="OLD", event_date="2025-07-01", time_precision=precisions[0])
    within = make_event(event_id_cnty="NEW", event_date=(date(2025, 7, 1) + timedelta(days=days)).isoformat(),
                        time_precision=precisions[1])
    beyond = replace(within, event_date=within.event_date + timedelta(days=1))
    assert same_incident(within, old) is not None
    assert same_incident(beyond, old) is None
    assert days <= DEDUP_WINDOW_DAYS


def test_merge_keeps_both_sources_and_counts_the_army_figure_once() -> None:
    old = make_event(event_id_cnty="OLD", source="Report A", fatalities=80, claims=[
        {"claimant": "Military Forces of Mali (2021-)", "claimant_type": "state", "metric": "attackers killed",
         "value": 80, "qualifier": "about"}])
    new = make_event(event_id_cnty="NEW", source="Report B", fatalities=80, claims=[
        {"claimant": "Military Forces of Mali (2021-)", "claimant_type": "state", "metric": "attackers killed",
         "value": 80, "qualifier": "more than"},
        {"claimant": "JNIM", "claimant_type": "armed group", "metric": "barracks seized", "value": 3}])
    merged = merge(old, new, same_incident(new, old))
    assert merged.event_id_cnty == "OLD"
    assert merged.source == "Report A; Report B"
    assert merged.fatalities == 80
    assert len(merged.claims) == 3
    assert "Merged a second report" in merged.notes and "same actor" in merged.notes


def test_a_split_wave_total_is_not_recounted() -> None:
    claim = {"claimant": "Military Forces of Mali (2021-)", "claimant_type": "state",
             "metric": "attackers killed", "value": 80, "qualifier": "about"}
    old = make_event(event_id_cnty="OLD", fatalities=12, claims=[claim])  # 80 split over seven posts
    new = make_event(event_id_cnty="NEW", fatalities=80, claims=[claim])
    assert merge(old, new, same_incident(new, old)).fatalities == 12


def test_a_new_lower_figure_lowers_fatalities() -> None:
    old = make_event(event_id_cnty="OLD", fatalities=80)
    new = make_event(event_id_cnty="NEW", claims=[
        {"claimant": "Local sources", "claimant_type": "local sources", "metric": "attackers killed",
         "value": 50}])
    assert merge(old, new, same_incident(new, old)).fatalities == 50


def extract_file(name: str):  # noqa: ANN201 - list[Event]
    path = REPORTS / name
    return extract(decode_report(path.read_bytes(), name), source=name, report=name).events


def test_two_reports_of_one_wave_become_one_event_with_two_sources(db_url: str) -> None:
    store = open_store(db_url, seed=False)
    english = extract_file("2025-07-01_western_mali_offensive_en.txt")
    saved, _ = deduplicate(english, store.events())
    store.save_events(saved)
    french = extract_file("2025-07-02_mali_attaques_coordonnees_fr.txt")
    saved, matches = deduplicate(french, store.events())
    store.save_events(saved)
    events = store.events()
    kayes = [e for e in events if e.location == "Kayes" and e.sub_event_type == "Armed clash"]
    assert len(kayes) == 1
    assert "2025-07-01_western_mali_offensive_en.txt" in kayes[0].source
    assert "2025-07-02_mali_attaques_coordonnees_fr.txt" in kayes[0].source
    assert kayes[0].fatalities == 80  # not 160
    assert sum(e.fatalities for e in events) == 80
    abductions = [e for e in events if e.abduction]
    assert len(abductions) == 1 and abductions[0].abduction.count == 4
    assert len(matches) == 3  # Kayes and Nioro du Sahel (one event per named town), and the abduction


def test_new_events_within_one_batch_are_merged_too() -> None:
    a = make_event(event_id_cnty="A", source="r1")
    b = replace(make_event(event_id_cnty="B", source="r2"), event_date=date(2025, 7, 1))
    saved, matches = deduplicate([a, b], [])
    assert [e.event_id_cnty for e in saved] == ["A"] and len(matches) == 1


def test_merging_the_same_report_twice_keeps_each_provenance_entry_once() -> None:
    spans = [{"field": "event", "report": "r1", "start": 0, "end": 40},
             {"field": "event", "report": "r1", "start": 0, "end": 40},   # the same span named twice
             {"field": "location", "report": "r1", "start": 10, "end": 15}]
    stored = make_event(provenance=spans)
    assert len(stored.provenance) == 2
    again = merge(stored, make_event(provenance=spans), same_incident(stored, make_event(provenance=spans)))
    assert len(again.provenance) == 2
