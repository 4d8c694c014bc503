"""Extraction: parametrized cases for each extractor, then whole reports."""
from __future__ import annotations

from datetime import date

import pytest

from geo.extract.actors import AFRICA_CORPS, FAMA, ISSP, JNIM, WAGNER, find_actors, normalise_actor
from geo.extract.dates import datelines, find_dates, resolve_date
from geo.extract.figures import UNNAMED_GROUP, UNNAMED_STATE, find_figures, nationalities
from geo.extract.numbers import Quantity, parse_quantity, words_to_int
from geo.extract.pipeline import extract
from geo.extract.text import ReportError, decode_report, html_to_text, sentences
from geo.schema import conservative_fatalities
from tests.conftest import ROOT

REPORTS = ROOT / "data" / "reports"


@pytest.mark.parametrize(("text", "value", "qualifier"), [
    ("eighty", 80, "exact"),
    ("approximately eighty attackers", 80, "about"),
    ("more than 100", 100, "more than"),
    ("over 80 militants", 80, "more than"),
    ("at least 30 soldiers", 30, "at least"),
    ("une vingtaine de soldats", 20, "about"),
    ("plus de 100 terroristes", 100, "more than"),
    ("two hundred and five", 205, "exact"),
    ("quatre-vingt-dix", 90, "exact"),
    ("vingt et un", 21, "exact"),
    ("1,200 people", 1200, "exact"),
    ("a dozen", 12, "about"),
    ("dozens of civilians", 24, "about"),
    ("up to fifteen", 15, "up to"),
])
def test_numbers_in_words_and_digits(text: str, value: int, qualifier: str) -> None:
    assert parse_quantity(text) == Quantity(value, qualifier)


@pytest.mark.parametrize("text", ["the army", "an attack", "and then", "none at all", ""])
def test_no_number(text: str) -> None:
    assert parse_quantity(text) is None or words_to_int(text) is None


@pytest.mark.parametrize(("sentence", "claimant", "kind", "metric", "value"), [
    ("The Malian army reported neutralizing approximately eighty attackers.",
     FAMA.name, "state", "attackers killed", 80),
    # "the army" alone is named after the event's country later, never assumed to be Mali's
    ("The army said it had killed about eighty assailants.", UNNAMED_STATE, "state", "attackers killed", 80),
    ("JNIM claimed it had seized three military barracks.", JNIM.name, "armed group", "barracks seized", 3),
    ("The terrorists claim to have seized three military barracks.", UNNAMED_GROUP, "armed group",
     "barracks seized", 3),
    ("At least 12 civilians were killed, local sources said.", "Local sources", "local sources",
     "civilians killed", 12),
    ("Une vingtaine de soldats ont été tués lundi selon des sources locales.", "Local sources", "local sources",
     "soldiers killed", 20),
    ("Security sources said at least 30 soldiers were killed.", "Security sources", "security sources",
     "soldiers killed", 30),
    ("Quatre soldats ont été tués, selon une source sécuritaire.", "Security sources", "security sources",
     "soldiers killed", 4),
    ("The mayor said five villagers were wounded.", "Officials", "officials", "civilians wounded", 5),
    ("Incidents claimed the lives of at least 30 soldiers.", "the report", "media", "soldiers killed", 30),
    ("France 24 reports that four foreign nationals were abducted.", "France 24", "media", "people abducted", 4),
    # French speech verbs in the plural and the present: the speaker follows the verb, or is its subject
    ("Trois civils ont été enlevés mardi, ont indiqué des sources locales.", "Local sources", "local sources",
     "people abducted", 3),
    ("Des habitants affirment que six villageois ont été tués.", "Local sources", "local sources",
     "civilians killed", 6),
    ("Deux soldats ont été blessés, ont précisé des sources sécuritaires.", "Security sources", "security sources",
     "soldiers wounded", 2),
    ("Des témoins racontent que cinq personnes ont été tuées au marché.", "Local sources", "local sources",
     "civilians killed", 5),
    ("Huit soldats ont été tués, a annoncé le ministère de la Défense.", UNNAMED_STATE, "state",
     "soldiers killed", 8),
    ("Le ministre a déclaré que quinze assaillants avaient été neutralisés.", UNNAMED_STATE, "state",
     "attackers killed", 15),
    # the day may stand between the verb and its count; "jihadistes" without a d are attackers too
    ("Des frappes ont tué dimanche dix civils, selon des habitants.", "Local sources", "local sources",
     "civilians killed", 10),
    ("Selon l'armée malienne, les VDP ont tué lundi soir cinq jihadistes.", FAMA.name, "state",
     "attackers killed", 5),
    # the year of a dateline is no count
    ("Niamey, 22 avril 2025 - Un soldat a été tué, selon des habitants.", "Local sources", "local sources",
     "soldiers killed", 1),
    ("Bamako, April 22, 2025 - One soldier was killed, residents said.", "Local sources", "local sources",
     "soldiers killed", 1),
    # the French press's formulas; a news outlet relays whoever else the sentence quotes
    ("Quinze civils ont été tués lundi, a-t-on appris auprès d'élus locaux.", "Officials", "officials",
     "civilians killed", 15),
    ("Au moins huit soldats ont été tués, a appris l'AFP de sources sécuritaires.", "Security sources",
     "security sources", "soldiers killed", 8),
    ("A security source told Reuters that six soldiers were killed.", "Security sources", "security sources",
     "soldiers killed", 6),
    # a short parenthesis and the long form of a force's name stand between a count and its verb
    ("Une dizaine de volontaires pour la défense de la patrie (VDP) ont été tués, selon des sources sécuritaires.",
     "Security sources", "security sources", "militia killed", 10),
    ("Twelve soldiers (FAMa) were killed, residents said.", "Local sources", "local sources", "soldiers killed", 12),
    # the passengers of a bus are civilians
    ("Residents said four passengers were killed.", "Local sources", "local sources", "civilians killed", 4),
    ("Sept voyageurs ont été tués, selon des habitants.", "Local sources", "local sources", "civilians killed", 7),
])
def test_claim_attribution(sentence: str, claimant: str, kind: str, metric: str, value: int) -> None:
    [figure] = find_figures(sentence, default_claimant="the report")
    assert (figure.claimant, figure.claimant_type, figure.metric, figure.quantity.value) == \
        (claimant, kind, metric, value)


@pytest.mark.parametrize(("sentence", "codes"), [
    ("four foreign nationals - three Indian citizens and one Chinese national - were abducted",
     ["IN", "IN", "IN", "CN"]),
    ("two Egyptian workers were kidnapped", ["EG", "EG"]),
    ("trois ressortissants chinois ont été enlevés", ["CN", "CN", "CN"]),
    ("no foreigners were involved", []),
])
def test_hostage_nationalities(sentence: str, codes: list[str]) -> None:
    assert nationalities(sentence) == codes


PUBLISHED = date(2025, 7, 3)  # a Thursday


@pytest.mark.parametrize(("text", "expected", "precision"), [
    ("on Tuesday", date(2025, 7, 1), 1),
    ("mardi", date(2025, 7, 1), 1),
    ("lundi dernier", date(2025, 6, 30), 1),
    ("le 1er juillet", date(2025, 7, 1), 1),
    ("le 28 juin 2025", date(2025, 6, 28), 1),
    ("on 1 July", date(2025, 7, 1), 1),
    ("July 1, 2025", date(2025, 7, 1), 1),
    ("yesterday", date(2025, 7, 2), 1),
    ("hier", date(2025, 7, 2), 1),
    ("last week", date(2025, 6, 26), 2),
    ("la semaine dernière", date(2025, 6, 26), 2),
    ("in June 2025", date(2025, 6, 15), 3),
    ("en juin 2025", date(2025, 6, 15), 3),
    ("le mois dernier", date(2025, 6, 15), 3),
    ("no date here", PUBLISHED, 2),
])
def test_dates_resolve_against_publication(text: str, expected: date, precision: int) -> None:
    assert resolve_date(text, PUBLISHED) == (expected, precision)


def test_earlier_this_month_in_a_report_of_the_first_means_last_month() -> None:
    assert resolve_date("Earlier this month", date(2025, 7, 1)) == (date(2025, 6, 15), 3)


def test_future_dates_are_ignored() -> None:
    assert find_dates("on 30 December 2025", PUBLISHED) == []


def test_datelines() -> None:
    text = "Bamako, 1 July 2025. Fighters attacked on Tuesday.\nTimbuktu, 3 June 2025 — more"
    assert [d.value for d in datelines(text, PUBLISHED)] == [date(2025, 7, 1), date(2025, 6, 3)]


@pytest.mark.parametrize(("alias", "actor"), [
    ("JNIM", JNIM), ("GSIM", JNIM), ("Jama'at Nusrat al-Islam wal-Muslimin", JNIM),
    ("Jama’at Nusrat al-Islam wal-Muslimin", JNIM), ("Support Group for Islam and Muslims", JNIM),
    ("Groupe de soutien à l'islam et aux musulmans", JNIM),
    ("IS Sahel", ISSP), ("ISGS", ISSP), ("ISSP", ISSP), ("EIGS", ISSP),
    ("FAMa", FAMA), ("Malian army", FAMA), ("armée malienne", FAMA),
    ("Wagner", WAGNER), ("Africa Corps", AFRICA_CORPS),
])
def test_actor_aliases(alias: str, actor) -> None:  # noqa: ANN001 - Actor
    assert normalise_actor(alias) == actor
    [mention] = find_actors(f"Reports said {alias} was involved.")
    assert mention.actor == actor


def test_conservative_fatalities_take_the_lowest_claim_per_group() -> None:
    figures = find_figures("The army said it killed 80 attackers.") + \
        find_figures("JNIM claimed it killed 40 soldiers.") + find_figures("Residents said 60 attackers died.")
    assert conservative_fatalities((f.metric, f.quantity.value) for f in figures) == 60 + 40


UNUSABLE = {"empty": (b"", "empty"), "blank": (b"   \n ", "empty"), "binary": (b"\x00\x01\x02binary" * 10, "binary"),
            "oversized": (b"x" * 2_000_001, "limit"), "script only": (b"<html><script>var a;</script></html>",
                                                                       "no text")}


@pytest.mark.parametrize("kind", sorted(UNUSABLE))
def test_unusable_reports_are_clear_errors(kind: str) -> None:
    data, message = UNUSABLE[kind]
    with pytest.raises(ReportError, match=message):
        decode_report(data, "upload.txt")


def test_html_reports_drop_scripts_and_keep_text() -> None:
    text = html_to_text("<p>Attack in <b>Kayes</b> &amp; Diboli</p><script>alert(1)</script><p>Second</p>")
    assert text == "Attack in Kayes & Diboli\nSecond"


def test_sentences_keep_offsets() -> None:
    text = "Col. Dembele spoke. The army said 80 died.\nNext line"
    parts = sentences(text)
    assert [s.text for s in parts] == ["Col. Dembele spoke.", "The army said 80 died.", "Next line"]
    assert all(text[s.start:s.end] == s.text for s in parts)


# -- whole reports ----------------------------------------------------------

def run(name: str):  # noqa: ANN201 - Extraction
    path = REPORTS / name
    return extract(decode_report(path.read_bytes(), path.name), source=name, report=name)


def test_english_report_of_the_july_offensive() -> None:
    result = run("2025-07-01_western_mali_offensive_en.txt")
    by_type = {}
    for event in result.events:
        by_type.setdefault(event.sub_event_type, []).append(event)
    kayes = next(e for e in by_type["Armed clash"] if e.location == "Kayes")
    assert kayes.event_date == date(2025, 7, 1) and kayes.time_precision == 1
    assert kayes.actor1 == JNIM.name and kayes.actor2 == FAMA.name
    assert kayes.fatalities == 80
    assert {(c.claimant_type, c.metric, c.value) for c in kayes.claims} >= {
        ("state", "attackers killed", 80), ("armed group", "barracks seized", 3)}
    [abduction] = by_type["Abduction/forced disappearance"]
    assert abduction.abduction.count == 4
    assert sorted(abduction.abduction.nationalities) == ["CN", "IN", "IN", "IN"]
    assert abduction.location == "Diboli"
    assert all(text_span_ok(result, e) for e in result.events)


def text_span_ok(result, event) -> bool:  # noqa: ANN001
    return all(result.text[p.start:p.end] for p in event.provenance if p.start is not None)


def test_french_report_resolves_mardi_and_gsim() -> None:
    result = run("2025-07-02_mali_attaques_coordonnees_fr.txt")
    clash = next(e for e in result.events if e.sub_event_type == "Armed clash")
    assert clash.event_date == date(2025, 7, 1)  # "mardi" before the dateline of Wednesday 2 July
    assert clash.actor1 == JNIM.name
    assert clash.fatalities == 80
    assert any(c.qualifier == "more than" and c.value == 80 for c in clash.claims)


def test_html_report_with_weekdays_and_background() -> None:
    result = run("2025-06-03_timbuktu_boulkessi_en.html")
    got = {(e.location, e.event_date, e.fatalities) for e in result.events}
    assert got == {("Timbuktu", date(2025, 6, 2), 0), ("Boulkessi", date(2025, 6, 1), 30)}
    assert "analytics" not in result.text  # the script is not report text


def test_blockade_is_tagged() -> None:
    result = run("2025-09-05_kayes_nioro_blockade_en.txt")
    blockade = [e for e in result.events if "blockade" in e.tags]
    assert blockade and blockade[0].location == "Kayes"
    assert result.control and result.control[0].kind == "blockade"


def test_unknown_places_are_kept_and_flagged() -> None:
    result = extract("Gunmen attacked soldiers in Zzyzxville on Monday, residents said.",
                     published=date(2025, 7, 3))
    flagged = [p for p in result.places if not p.resolved]
    assert [p.text for p in flagged] == ["Zzyzxville"]


def test_html_in_a_report_never_reaches_the_output_unescaped_as_markup() -> None:
    result = extract("<p>JNIM attacked the army camp in Kayes on Monday. <img src=x onerror=alert(1)></p>",
                     published=date(2025, 7, 3))
    assert result.events and "onerror" not in result.events[0].notes


def test_every_json_field_the_scorer_reads() -> None:
    data = run("2025-06-03_timbuktu_boulkessi_en.html").to_json()
    place = data["places"][0]
    assert {"text", "name", "latitude", "longitude", "country", "geo_precision", "start", "end"} <= set(place)
    event = data["events"][0]
    assert {"event_date", "event_type", "sub_event_type", "actor1", "location", "latitude", "longitude",
            "fatalities", "tags", "claims", "abducted", "evidence"} <= set(event)


@pytest.mark.parametrize(("text", "status", "regions"), [
    ("Analysts say JNIM controls much of northern and central Mali.", ("control", "JNIM"),
     {"Timbuktu", "Gao", "Kidal", "Mopti", "Ségou"}),
    ("Jihadists now control about two-thirds of western Mali, according to security analysts.",
     ("control", "jihadist groups"), {"Kayes"}),
    ("L'EIGS contrôle la moitié du nord du Mali.", ("control", "IS Sahel"), {"Timbuktu", "Gao", "Kidal"}),
])
def test_control_statements_become_zones(text: str, status: tuple, regions: set[str]) -> None:
    from shapely.geometry import shape

    from geo.io.boundaries import admin1_regions

    result = extract(text, published=date(2025, 7, 3), source="test")
    [zone] = result.zones("test")
    assert (zone.status, zone.actor) == status and zone.valid_from == date(2025, 7, 3)
    assert zone.kind == "report" and zone.evidence == text
    area = shape(zone.geometry)
    mali = admin1_regions()[admin1_regions()["iso_a2"] == "ML"]
    inside = {r.name for r in mali.itertuples() if area.contains(r.geometry.representative_point())}
    assert inside == regions


def test_blockade_of_towns_is_a_contested_zone_around_them() -> None:
    result = extract("JNIM declared a blockade of Kayes and Nioro du Sahel on Monday.", published=date(2025, 9, 5))
    [zone] = result.zones("test")
    assert zone.status == "blockade" and "Kayes" in zone.area and "Nioro du Sahel" in zone.area


def test_a_claim_about_the_whole_country_has_no_drawable_zone() -> None:
    result = extract("Jihadists control two-thirds of Mali, analysts say.", published=date(2025, 7, 3))
    assert result.control and result.zones("test") == []
