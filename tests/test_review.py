from __future__ import annotations

from datetime import date

import pytest

from geo.extract.pipeline import extract
from geo.gazetteer import Place
from geo.review import apply_review, claims_text, highlight, relocate, review_rows
from geo.schema import ValidationError

REPORT = ("Bamako, 1 July 2025. JNIM fighters attacked the army camp in Kayes on Tuesday. "
          "The army said it killed about eighty attackers. Gunmen also raided a camp near Zzyzxville.")


@pytest.fixture(scope="module")
def result():  # noqa: ANN201 - Extraction
    return extract(REPORT, source="Test wire", report="r.txt")


def test_rows_round_trip_unchanged(result) -> None:  # noqa: ANN001
    rows = review_rows(result.events)
    assert rows[0]["save"] is True and "about 80 attackers killed" in rows[0]["claims"]
    assert apply_review(result.events, rows) == list(result.events)


def test_edits_are_applied_and_unticked_rows_dropped(result) -> None:  # noqa: ANN001
    rows = review_rows(result.events)
    rows[0].update(latitude=14.5, longitude=-11.5, fatalities=70, sub_event_type="Attack")
    reviewed = apply_review(result.events, rows)
    assert reviewed[0].latitude == 14.5 and reviewed[0].fatalities == 70
    assert reviewed[0].event_type == "Violence against civilians"
    rows[0]["save"] = False
    assert [e.event_id_cnty for e in apply_review(result.events, rows)] == \
        [e.event_id_cnty for e in result.events[1:]]


@pytest.mark.parametrize(("edit", "field"), [
    ({"latitude": 123.0}, "row 1.latitude"),
    ({"latitude": None}, "row 1.latitude"),
    ({"fatalities": -1}, "row 1.fatalities"),
    ({"sub_event_type": "Skirmish"}, "row 1.sub_event_type"),
    ({"event_date": "someday"}, "row 1.event_date"),
    ({"location": ""}, "row 1.location"),
    ({"event_id_cnty": "NOPE"}, "row 1.event_id_cnty"),
])
def test_bad_edits_name_the_row_and_field(result, edit: dict, field: str) -> None:  # noqa: ANN001
    rows = review_rows(result.events)
    rows[0].update(edit)
    with pytest.raises(ValidationError) as err:
        apply_review(result.events, rows)
    assert err.value.field == field


def test_relocate_to_a_chosen_candidate(result) -> None:  # noqa: ANN001
    place = Place("Nioro du Rip", 13.75, -15.8, "SN", admin1="Kaolack")
    moved = relocate(result.events[0], place)
    assert (moved.location, moved.latitude, moved.longitude, moved.admin1) == ("Nioro du Rip", 13.75, -15.8,
                                                                                "Kaolack")


def test_highlight_escapes_and_marks(result) -> None:  # noqa: ANN001
    html = highlight(result.text + " <script>x</script>", result.places, result.events)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'class="cm-place"' in html and 'class="cm-unresolved"' in html and "cm-event" in html


def test_a_region_phrase_is_marked_once() -> None:
    text = "Gunmen attacked Ayorou, in the région de Tillabéri, Niger, on Sunday."
    result = extract(text, published=date(2025, 7, 3))
    html = highlight(result.text, result.places, result.events)
    assert html.count("cm-place") == len([m for m in result.places if m.text != "Tillabéri"])
    assert ">région de Tillabéri</mark>" in html


def test_claims_text_hedges() -> None:
    [event] = extract("The army said on Tuesday it killed more than 100 militants in Kayes.",
                      published=date(2025, 7, 3)).events
    assert claims_text(event) == "Military Forces of Mali (2021-): more than 100 attackers killed"


def test_an_undated_event_is_shown_empty_and_cannot_be_saved_without_a_date(result) -> None:  # noqa: ANN001
    from dataclasses import replace

    import pandas as pd

    events = [result.events[0], replace(result.events[0], event_id_cnty="MLIXUNDATED", event_date=None)]
    rows = review_rows(events)
    assert rows[1]["event_date"] is None
    for empty in (None, float("nan"), pd.NaT):
        rows[1]["event_date"] = empty
        with pytest.raises(ValidationError) as err:
            apply_review(events, rows)
        assert err.value.field == "row 2.event_date" and "date" in err.value.message
    rows[1]["event_date"] = pd.Timestamp("2025-06-29")  # the reviewer types the date
    assert [e.event_date for e in apply_review(events, rows)] == [date(2025, 7, 1), date(2025, 6, 29)]
    rows[1].update(event_date=None, save=False)  # or leaves it out
    assert [e.event_id_cnty for e in apply_review(events, rows)] == [events[0].event_id_cnty]
