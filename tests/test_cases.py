"""Hostage cases: opened from an abduction, proposed links for later news, status history, CSV."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from geo.cases import Case, apply_update, by_event, case_from_event, cases_csv, fate, link_candidates
from geo.extract.hostages import HostageUpdate
from tests.factories import make_event

TODAY = date(2025, 11, 22)


def abduction(**overrides):  # noqa: ANN201 - an Event
    record = {"event_id_cnty": "MLITEST0101", "event_date": "2025-07-01", "event_type": "Violence against civilians",
              "sub_event_type": "Abduction/forced disappearance", "actor2": "Civilians (India)",
              "inter2": "Civilians", "fatalities": 0,
              "abduction": {"count": 3, "nationalities": ["IN", "IN", "IN"], "status": "unknown"},
              "claims": [{"claimant": "JNIM: Group for Support of Islam and Muslims", "claimant_type": "armed group",
                          "metric": "people abducted", "value": 3, "source": "Test report"}]}
    record.update(overrides)
    return make_event(**record)


def update(**overrides) -> HostageUpdate:
    values = dict(status="released", when=date(2025, 10, 5), precision=1, count=3, nationalities=("IN",) * 3,
                  occupation="", taken_when=None, taken_precision=3, taken_where="", where="", by="",
                  evidence="Three Indian workers were released.", start=0, end=10)
    values.update(overrides)
    return HostageUpdate(**values)


def test_an_abduction_opens_a_case_claimed_by_its_group() -> None:
    case = case_from_event(abduction())
    assert (case.victims, case.nationalities, case.status, case.is_open) == (3, ("IN",) * 3, "held", True)
    assert case.by == "JNIM: Group for Support of Islam and Muslims" and case.attribution == "claimed"
    assert case.days_held(TODAY) == (TODAY - date(2025, 7, 1)).days


def test_an_unnamed_group_is_not_filled_in() -> None:
    case = case_from_event(abduction(actor1="Unidentified Armed Group (Mali)", claims=[]))
    assert (case.by, case.attribution) == ("", "")


def test_a_release_is_proposed_for_the_case_it_fits_best_with_its_reasons() -> None:
    indians = case_from_event(abduction())
    chinese = case_from_event(abduction(event_id_cnty="MLITEST0102",
                                        abduction={"count": 3, "nationalities": ["CN"] * 3}))
    [proposal] = link_candidates(update(taken_when=date(2025, 7, 1), taken_precision=3), [indians, chinese])
    assert proposal.case is indians
    assert any("same nationalities" in r for r in proposal.reasons)
    assert any("taken around" in r for r in proposal.reasons)


@pytest.mark.parametrize("news", [
    update(count=5),                                           # more people than were taken
    update(taken_when=date(2024, 2, 1), taken_precision=3),    # taken at another time
    update(when=date(2025, 6, 1)),                             # news from before the abduction
    update(nationalities=("FR",)),                             # other people
])
def test_news_that_contradicts_a_case_is_not_proposed_for_it(news: HostageUpdate) -> None:
    assert link_candidates(news, [case_from_event(abduction())]) == []


def test_a_confirmed_release_closes_the_case_and_stops_its_clock() -> None:
    case = apply_update(case_from_event(abduction()), update(), source="Test wire")
    assert (case.status, case.is_open) == ("released", False)
    assert case.days_held(TODAY) == (date(2025, 10, 5) - date(2025, 7, 1)).days
    assert link_candidates(update(), [case]) == []  # a closed case takes no more news


def test_proof_of_life_keeps_the_case_open() -> None:
    case = apply_update(case_from_event(abduction()), update(status="proof_of_life"), source="Test wire")
    assert case.status == "proof_of_life" and case.is_open


def test_the_csv_has_one_row_per_case_and_is_safe_in_a_spreadsheet() -> None:
    open_case = case_from_event(abduction(location="=HYPERLINK(\"x\")"))
    closed = apply_update(case_from_event(abduction(event_id_cnty="MLITEST0103")), update(), source="Test wire")
    rows = list(csv.DictReader(io.StringIO(cases_csv([open_case, closed], TODAY))))
    assert [r["status"] for r in rows] == ["held", "released"]
    assert rows[0]["location"].startswith("'=")
    assert rows[1]["last_news"] == "released" and "2025-10-05 released (Test wire)" in rows[1]["history"]
    assert rows[0]["nationalities"] == "India" and rows[0]["days_held"] == str((TODAY - date(2025, 7, 1)).days)


def test_a_case_of_unknown_date_has_no_days_held() -> None:
    case = Case("c1", None, 3, "Kayes", 14.4, -11.4, "Mali", 2, ())
    assert case.days_held(TODAY) is None


def test_cases_are_stored_with_their_history_on_both_backends(any_db: str) -> None:
    from geo.storage import open_store

    store = open_store(any_db, seed=False)
    case = apply_update(case_from_event(abduction()), update(status="proof_of_life"), source="Test wire")
    store.save_case(case)
    assert store.cases() == [case]
    closed = apply_update(case, update(), source="Another wire")
    store.save_case(closed)  # the same case again, with one more entry: replaced, not added
    [back] = store.cases()
    assert back == closed and back.status == "released" and len(back.history) == 2


def test_the_demo_opens_the_case_of_the_four_workers_taken_on_1_july_2025(db_url: str) -> None:
    from geo.storage import open_store

    [case] = open_store(db_url).cases()
    assert (case.taken, case.victims, case.status) == (date(2025, 7, 1), 4, "held")
    assert sorted(case.nationalities) == ["CN", "IN", "IN", "IN"]


def test_the_same_news_is_never_proposed_twice_for_a_case() -> None:
    news = update(status="proof_of_life")
    case = apply_update(case_from_event(abduction()), news, source="Test wire")
    assert link_candidates(news, [case]) == []


def test_fate_says_the_status_and_days_held_by_hand() -> None:
    held = case_from_event(abduction())  # taken 1 July 2025
    assert fate(held, TODAY) == "held for 144 days"  # 30 July days + 31 + 30 + 31 + 22 (to 22 November)
    alive = apply_update(held, update(status="proof_of_life", when=date(2025, 9, 1)), "Video")
    assert fate(alive, TODAY) == "proof of life; held for 144 days"
    freed = apply_update(alive, update(when=date(2025, 10, 5)), "Report")
    assert fate(freed, TODAY) == "released after 96 days"  # 30 + 31 + 30 + 5
    killed = apply_update(held, update(status="killed", when=date(2025, 7, 2), evidence="killed"), "Report")
    assert fate(killed, TODAY) == "killed after 1 day"
    undated = case_from_event(abduction(time_precision=3))
    assert fate(Case(**{**undated.__dict__, "taken": None}), TODAY) == "held"
    assert by_event([held, killed]) == {"MLITEST0101": killed}  # the same abduction: the later one kept
