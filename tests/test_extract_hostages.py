"""Hostage updates: what became of people held, read from reports.  Every sentence is written for the test."""
from __future__ import annotations

from datetime import date

import pytest

from geo.extract.pipeline import extract

PUBLISHED = date(2025, 8, 5)  # a Tuesday


def updates(text: str, published: date | None = PUBLISHED):  # noqa: ANN201 - list of HostageUpdate
    return extract(text, published=published, source="test").hostages


@pytest.mark.parametrize(("text", "status"), [
    ("Three Chinese engineers kidnapped near Kayes in May were released on Sunday, officials said.", "released"),
    ("Les deux otages italiens ont été libérés samedi à Bamako.", "released"),
    ("The group said it had executed the Romanian hostage it held since 2015.", "killed"),
    ("L'otage allemand s'est évadé la semaine dernière et a rejoint Niamey.", "escaped"),
    ("JNIM released a video showing the two hostages in good health.", "proof_of_life"),
    ("The kidnappers demanded a ransom of 5 million dollars for the three workers.", "ransom"),
])
def test_what_became_of_the_hostages(text: str, status: str) -> None:
    assert [u.status for u in updates(text)] == [status]


@pytest.mark.parametrize("text", [
    "La libération des otages est notre priorité, a déclaré le ministre.",      # wished for
    "The embassy is working to secure the release of the kidnapped engineers.",  # sought
    "Ransom money is believed to fund the insurgency across the Sahel.",         # ransom in general
    "Gunmen attacked the village of Boni on Sunday, killing four people.",       # no one held
])
def test_news_that_is_no_update(text: str) -> None:
    assert updates(text) == []


def test_an_update_says_who_when_and_since_when() -> None:
    [update] = updates("Four Moroccan truck drivers, who were kidnapped in January by the Islamic State group, "
                       "were released late Sunday in Mali, the authorities said.")
    assert update.status == "released"
    assert (update.when, update.precision) == (date(2025, 8, 3), 1)      # the Sunday before publication
    assert (update.taken_when.month, update.taken_precision) == (1, 3)  # "kidnapped in January"
    assert update.count == 4 and update.nationalities == ("MA",) * 4
    assert update.occupation == "truck drivers"
    assert update.by == "Islamic State (Sahel)"


def test_an_update_with_no_day_is_dated_by_the_report_and_says_so() -> None:
    [update] = updates("The two Italian nuns, hostages since 2022, have been freed, the Vatican said.")
    assert (update.when, update.precision) == (PUBLISHED, 2) and update.notes


def test_without_a_publication_date_an_undated_update_stays_undated() -> None:
    [update] = updates("The two Italian nuns, hostages since 2022, have been freed, the Vatican said.", published=None)
    assert update.when is None


def test_a_headline_and_its_lead_are_one_update() -> None:
    text = ("Kidnapped engineers freed in Mali\n\n"
            "BAMAKO, Aug 4 (Reuters) - Three Chinese engineers who were abducted in May were released on Sunday.")
    [update] = updates(text)
    assert update.count == 3 and update.nationalities == ("CN",) * 3


def test_updates_are_in_the_json_output() -> None:
    result = extract("Les deux otages italiens ont été libérés samedi à Bamako.", published=PUBLISHED).to_json()
    [update] = result["hostage_updates"]
    assert update["status"] == "released" and update["date"] == "2025-08-02" and update["where"] == "Bamako"
