"""Extraction rules that must hold on any report, not only the seeds: one table per rule.

Every sentence here is written for the test; none comes from a news report.
"""
from __future__ import annotations

from datetime import date

import pytest

from geo.extract.actors import ISSP, STATE_ACTORS, find_actors, unidentified
from geo.extract.countries import detect_countries
from geo.extract.figures import find_figures
from geo.extract.pipeline import extract
from geo.gazetteer import default_gazetteer

PUBLISHED = date(2024, 3, 12)  # a Tuesday


def events(text: str, published: date | None = PUBLISHED):  # noqa: ANN201 - list of Event
    return extract(text, published=published, source="test").events


# -- countries come from the text --------------------------------------------

@pytest.mark.parametrize(("text", "first"), [
    ("Niger: gunmen kill soldiers near Téra\n\nGunmen attacked an army post near Téra on Sunday.", "NE"),
    ("Burkina Faso : attaque contre un détachement à Djibo\n\nDes hommes armés ont attaqué Djibo.", "BF"),
    ("NIAMEY, March 10 (AFP) - Soldiers were killed on Sunday in the Tillabéri region.", "NE"),
    ("L'armée burkinabè a repoussé une attaque samedi à Kaya.", "BF"),
    ("Gunmen attacked the town of Kati on Friday, the Malian army said.", "ML"),
])
def test_the_report_country_is_read_from_the_text(text: str, first: str) -> None:
    assert detect_countries(text, default_gazetteer())[0] == first


def test_a_text_with_no_evidence_of_a_country_gets_none() -> None:
    assert detect_countries("Gunmen attacked a convoy on Sunday, killing three.", default_gazetteer()) == []


def test_the_niger_river_is_not_the_country() -> None:
    text = "Fighting was reported along the Niger river near Ségou, the Malian army said."
    assert "NE" not in detect_countries(text, default_gazetteer())


# -- attribution only from the text ------------------------------------------

@pytest.mark.parametrize(("text", "actor1", "country"), [
    ("Gunmen attacked an army post near Téra, in Niger, on Sunday, killing four soldiers.",
     unidentified("Niger").name, "Niger"),
    ("Des hommes armés non identifiés ont attaqué dimanche le poste de Djibo, au Burkina Faso, tuant cinq soldats.",
     unidentified("Burkina Faso").name, "Burkina Faso"),
    ("JNIM fighters attacked an army camp near Diafarabé in Mali on Sunday, killing six soldiers.",
     "JNIM: Group for Support of Islam and Muslims", "Mali"),
])
def test_an_unnamed_perpetrator_is_an_unidentified_armed_group(text: str, actor1: str, country: str) -> None:
    [event] = events(text)
    assert (event.actor1, event.country) == (actor1, country)


@pytest.mark.parametrize(("text", "location", "actor1"), [
    # a group named for one incident is not the unnamed gunmen's of another, elsewhere, in the same paragraph
    ("Islamic State Sahel fighters attacked the army post at Téra in Niger on Thursday, killing 12 soldiers. "
     "Two days later, gunmen abducted five traders near Djibo in Burkina Faso.",
     "Djibo", unidentified("Burkina Faso").name),
    ("Des combattants de l'État islamique au Sahel ont attaqué jeudi le poste de l'armée à Téra, au Niger, tuant "
     "douze soldats. Deux jours plus tard, des hommes armés ont enlevé cinq commerçants près de Djibo, au Burkina "
     "Faso.", "Djibo", unidentified("Burkina Faso").name),
    # the same incident: the group that claims it is its actor
    ("Gunmen attacked the army post at Téra in Niger on Thursday, killing 12 soldiers. Islamic State Sahel later "
     "claimed the attack.", "Téra", ISSP.name),
    ("Islamic State Sahel fighters attacked the army post at Téra in Niger on Thursday, killing 12 soldiers. "
     "Two days later, gunmen abducted five traders near Djibo in Burkina Faso.", "Téra", ISSP.name),
])
def test_a_paragraph_s_group_is_given_only_to_its_own_incidents(text: str, location: str, actor1: str) -> None:
    [event] = [e for e in events(text) if e.location == location]
    assert event.actor1 == actor1


@pytest.mark.parametrize("text", [
    "Suspected jihadists killed 11 soldiers at an army post near Boni in Mali on Friday. Islamic State Sahel did not "
    "claim the attack.",
    "Des hommes armés ont tué douze soldats dimanche à Boni, au Mali. Le JNIM a démenti toute implication.",
])
def test_a_group_the_text_says_did_not_do_it_is_not_the_perpetrator(text: str) -> None:
    [event] = events(text)
    assert event.actor1 == unidentified("Mali").name


def test_a_niger_report_never_mentions_mali() -> None:
    text = ("Niger: attack on an army post near Ayorou\n\n"
            "Unidentified gunmen on motorcycles attacked an army post near Ayorou, in Niger's Tillabéri region, "
            "on Sunday, killing seven soldiers, the defence ministry said. No group has claimed the attack.\n"
            "On Monday, soldiers pursuing the attackers killed twelve of them near Ouallam, the army said.")
    found = events(text)
    assert found and all(e.country == "Niger" for e in found)
    assert not any("Mali" in f"{e.actor1} {e.actor2}" for e in found)
    allowed = {"", STATE_ACTORS["NE"].name, unidentified("Niger").name, "Civilians (Niger)"}
    assert all({e.actor1, e.actor2} <= allowed for e in found)
    pursuit = next(e for e in found if e.location == "Ouallam")
    assert (pursuit.actor1, pursuit.fatalities) == (STATE_ACTORS["NE"].name, 12)  # the army acted


@pytest.mark.parametrize(("alias", "code"), [
    ("the Burkinabe army", "BF"), ("l'armée nigérienne", "NE"), ("Chadian soldiers", "TD"),
    ("les forces armées maliennes", "ML"), ("Beninese troops", "BJ"), ("FAMa", "ML"),
])
def test_state_forces_are_named_by_their_country(alias: str, code: str) -> None:
    [mention] = find_actors(f"According to {alias}, the attack was repelled.")
    assert mention.actor == STATE_ACTORS[code]


def test_a_bare_army_is_the_army_of_the_country_where_it_happened() -> None:
    [event] = events("Jihadists attacked the army base at Djibo in northern Burkina Faso on Monday, "
                     "killing nine soldiers, the army said.")
    assert event.actor2 == STATE_ACTORS["BF"].name
    assert {c.claimant for c in event.claims} == {STATE_ACTORS["BF"].name}


# -- events at clause level --------------------------------------------------

@pytest.mark.parametrize(("text", "places"), [
    ("Gunmen attacked the villages of Ayorou, Téra and Ouallam in Niger on Sunday, killing 30 civilians.",
     ["Ayorou", "Téra", "Ouallam"]),
    ("Des jihadistes ont attaqué dimanche Djibo et Arbinda, au Burkina Faso, tuant 12 soldats.",
     ["Djibo", "Arbinda"]),
])
def test_a_list_of_attacked_places_gives_one_event_per_place(text: str, places: list[str]) -> None:
    found = events(text)
    assert sorted(e.location for e in found) == sorted(places)
    assert sum(e.fatalities for e in found) in (12, 30)  # the toll is kept once, not once per place
    assert found[0].fatalities > 0


@pytest.mark.parametrize("text", [
    "Quatre civils ont été enlevés dimanche à 40 km de Bamako sur la route qui mène à Ségou, au Mali.",
    "Gunmen kidnapped four civilians on Sunday near Kati, on the road to Kolokani, in Mali.",
])
def test_the_end_of_a_road_is_not_a_second_site(text: str) -> None:
    assert len(events(text)) == 1


def test_a_town_naming_an_office_is_not_where_it_happened() -> None:
    found = events("A nun was kidnapped on Monday in the parish of Yalgo, in Burkina Faso, Kaya Bishop Paul Ouedraogo "
                   "said in a statement.")
    assert [e.location for e in found] == ["Yalgo"]


def test_a_reference_town_is_not_a_second_site() -> None:
    found = events("Gunmen attacked the army camp in Boni, near Douentza, in Mali on Sunday, killing four soldiers.")
    assert [e.location for e in found] == ["Boni"]


@pytest.mark.parametrize(("sentence", "metric", "value"), [
    ("Au moins douze soldats ont été tués dimanche à Djibo.", "soldiers killed", 12),
    ("Un soldat a été tué dans l'embuscade.", "soldiers killed", 1),
    ("On a retrouvé les corps sans vie d'au moins 30 soldats.", "soldiers killed", 30),
    ("Les miliciens ont perdu 22 de leurs camarades.", "comrades killed", 22),
    ("The attackers killed six in Ayorou, two in Téra and three on the road.", "people killed", 3),
    ("Des hommes armés ont attaqué le village, tuant cinq civils.", "civilians killed", 5),
    ("Une vingtaine de personnes ont été enlevées près de Kaya.", "people abducted", 20),
    ("Trois gendarmes ont été blessés lors de l'attaque.", "soldiers wounded", 3),
    ("The attackers killed five soldiers, the army said.", "soldiers killed", 5),
])
def test_tolls_in_english_and_french(sentence: str, metric: str, value: int) -> None:
    assert any((f.metric, f.quantity.value) == (metric, value) for f in find_figures(sentence))


def test_captured_soldiers_are_an_abduction_beside_the_attack() -> None:
    found = events("Les jihadistes ont attaqué dimanche le camp de Sokolo, au Mali : dix soldats ont été tués "
                   "et quatre capturés, selon une source sécuritaire.")
    kinds = {e.sub_event_type: e for e in found}
    assert kinds["Armed clash"].fatalities == 10
    assert kinds["Abduction/forced disappearance"].abduction.count == 4


@pytest.mark.parametrize(("text", "sub"), [
    ("A drone strike by the Burkinabe army killed eight people at a market in Djibo on Sunday.", "Air/drone strike"),
    ("Un engin explosif improvisé a tué trois soldats dimanche près de Boni, au Mali.",
     "Remote explosive/landmine/IED"),
    ("Gunmen massacred 20 villagers in the village of Djibo on Sunday.", "Attack"),
    ("La ville de Djibo a été reprise par l'armée burkinabè dimanche.", "Government regains territory"),
    ("A fierce battle between two armed groups raged near Ménaka on Sunday.", "Armed clash"),
    ("Une bataille entre l'armée et les rebelles a eu lieu dimanche à Anéfis.", "Armed clash"),
    # a bus and its passengers are civilians: an attack on them is no clash
    ("Gunmen ambushed a bus near Ayorou in Niger on Sunday, killing four passengers.", "Attack"),
    ("Des hommes armés ont attaqué dimanche un autobus près de Kaya, au Burkina Faso, tuant six voyageurs.", "Attack"),
])
def test_kinds_of_violence(text: str, sub: str) -> None:
    assert sub in {e.sub_event_type for e in events(text)}


@pytest.mark.parametrize("text", ["Un soldat a été tué dimanche par des hommes armés près de Boni, au Mali.",
                                  "A gendarme was killed by gunmen near Boni in Mali on Sunday."])
def test_one_soldier_killed_is_an_attack_on_the_army(text: str) -> None:
    [event] = events(text)
    assert (event.sub_event_type, event.actor2) == ("Armed clash", STATE_ACTORS["ML"].name)


def test_a_drone_strike_is_the_state_s_and_its_victims_civilians() -> None:
    [event] = events("A drone strike by the Burkinabe army killed eight people at a market in Djibo on Sunday.")
    assert event.actor1 == STATE_ACTORS["BF"].name and event.actor2 == "Civilians (Burkina Faso)"


# -- places -----------------------------------------------------------------

@pytest.mark.parametrize(("text", "unwanted"), [
    ("Niger: No group has claimed the attack on the post near Téra on Sunday.", "GH"),
    ("Gunmen attacked a convoy near Téra, Niger. Officials say the death toll may rise.", None),
])
def test_a_word_that_is_also_a_town_abroad_is_not_a_place(text: str, unwanted: str | None) -> None:
    result = extract(text, published=PUBLISHED)
    assert not [p for p in result.places if p.text in ("No", "Say", "Officials", "Ho")]
    if unwanted:
        assert all(p.place is None or p.place.country != unwanted for p in result.places)


def test_a_word_led_by_a_place_word_is_a_place() -> None:
    result = extract("Cinq agents ont été enlevés entre Tamou et Say, dans la région de Tillabéri, au Niger.",
                     published=PUBLISHED)
    assert {"Tamou", "Say"} <= {p.text for p in result.places if p.place is not None and p.place.country == "NE"}


def test_a_dateline_is_not_where_the_event_happened() -> None:
    found = events("BAMAKO, March 11 (AFP) - Gunmen killed six soldiers on Sunday in an ambush near Boni, "
                   "in central Mali, the army said.")
    assert [e.location for e in found] == ["Boni"]


def test_the_capital_is_the_report_country_s_capital() -> None:
    [event] = events("Niger: gunmen attacked an air force base in the capital overnight, state television said.")
    assert event.location == "Niamey" and event.event_date == date(2024, 3, 11)


# -- dates ------------------------------------------------------------------

def test_a_report_without_a_date_leaves_relative_dates_unresolved() -> None:
    [event] = events("Gunmen attacked the army camp at Djibo in Burkina Faso on Friday, killing four soldiers.",
                     published=None)
    assert event.event_date is None and "date unknown" in event.tags


def test_a_full_date_needs_no_publication_date() -> None:
    [event] = events("Le 3 février 2024, des hommes armés ont attaqué le camp de Djibo au Burkina Faso.",
                     published=None)
    assert event.event_date == date(2024, 2, 3)


def test_an_anaphoric_sentence_dates_the_incident_already_described() -> None:
    found = events("Gunmen attacked two Indian workers near Dosso, in Niger, killing them.\n"
                   "The attack took place on March 5.")
    assert [e.event_date for e in found] == [date(2024, 3, 5)]


def test_the_day_something_was_said_is_not_the_day_it_happened() -> None:
    [event] = events("Jihadists killed 15 villagers in Djibo, Burkina Faso, on Saturday, the army said in a "
                     "statement on Monday.")
    assert event.event_date == date(2024, 3, 9)


# -- rules added while generalising on the development corpus --------------------

@pytest.mark.parametrize(("text", "sub"), [
    ("Les FAMa ont pris dimanche le contrôle de la localité de Boni, au Mali.", "Government regains territory"),
    ("Des jihadistes du JNIM ont pris dimanche le contrôle de la localité de Boni, au Mali.",
     "Non-state actor overtakes territory"),
    ("La ville de Djibo a été reprise par l'armée burkinabè dimanche.", "Government regains territory"),
])
def test_who_takes_a_place_decides_regained_or_overtaken(text: str, sub: str) -> None:
    assert [e.sub_event_type for e in events(text)] == [sub]


def test_a_name_after_a_french_elision_is_a_place() -> None:
    result = extract("Les combats se sont déplacés vers la localité d'Ayorou, au Niger.", published=PUBLISHED)
    assert [p.place.name for p in result.places if p.text == "Ayorou"] == ["Ayorou"]


def test_a_demonym_is_not_a_misspelt_village() -> None:
    result = extract("Trois Italiens et un Togolais ont été enlevés près de Koutiala, au Mali.", published=PUBLISHED)
    assert not [p for p in result.places if p.text in ("Togolais", "Italiens") and p.place is not None]


@pytest.mark.parametrize("text", [
    "Le bilan de l'attaque de Djibo s'alourdit: un nouveau bilan publié mercredi fait état de 40 morts.",
    "After the attack on Djibo, the government sacked the regional commander on Wednesday.",
])
def test_a_toll_update_or_an_aftermath_does_not_date_an_incident(text: str) -> None:
    assert all(e.event_date != date(2024, 3, 6) for e in events(text))


def test_an_unplaced_attack_on_another_country_s_army_is_in_that_country() -> None:
    text = ("Niger: gunmen kill villagers near Ayorou\n\n"
            "Gunmen killed 12 villagers near Ayorou in Niger on Sunday. On the same day, an attack on the "
            "Malian army in the same area left 20 soldiers dead.")
    found = events(text)
    assert {e.country for e in found} == {"Niger", "Mali"}


def test_the_part_of_the_country_picks_among_homonyms() -> None:
    north = extract("Gunmen attacked Yalgo, a village in northern Burkina Faso, on Sunday.", published=PUBLISHED)
    [yalgo] = [p.place for p in north.places if p.text == "Yalgo"]
    assert yalgo.latitude > 13.3  # the Centre-Nord Yalgo, not its southern namesakes


def test_the_centre_of_mali_means_mopti_and_segou() -> None:
    # "le centre du Mali" names regions (Mopti, Ségou), not the middle of the country's bounding box
    result = extract("Des hommes armés ont attaqué le village de Farabougou, dans le centre du Mali, mardi.",
                     published=PUBLISHED)
    [farabougou] = {p.place for p in result.places if p.text == "Farabougou"}
    assert farabougou.admin1 in ("Ségou", "Mopti")


@pytest.mark.parametrize(("text", "name", "anchor", "reach_km"), [
    ("Gunmen attacked Kolodiè Wéré, near Diafarabé, on Sunday, killing four herders.", "Kolodiè Wéré",
     "Diafarabé", 1.0),
    ("Des hommes armés ont tué trois civils à Sokoura Peulh, un village du cercle de Bankass, lundi.",
     "Sokoura Peulh", "Bankass", 1.0),
    ("Soldiers were ambushed near Tiguirdé, about 40 km from Djibo, on Friday.", "Tiguirdé", "Djibo", 1.0),
    ("Un drone a frappé lundi en périphérie de Diafarabé, à Kolodiè Wéré précisément.", "Kolodiè Wéré",
     "Diafarabé", 1.0),
    # listed with a village the gazetteer has, or the other end of a road named after two villages
    ("Gunmen attacked the villages of Tinkarbé, Bakorat and Wistanou in Niger on Monday.", "Tinkarbé",
     "Bakorat", 1.0),
    ("Gunmen attacked the villages of Tinkarbé, Bakorat and Wistanou in Niger on Monday.", "Wistanou",
     "Bakorat", 1.0),
])
def test_a_village_the_gazetteer_lacks_is_placed_at_the_town_the_text_puts_it_near(
        text: str, name: str, anchor: str, reach_km: float) -> None:
    from geo.gazetteer import haversine_km

    result = extract(text, published=PUBLISHED)
    [mention] = [p for p in result.places if p.text == name]
    [town] = {p.place for p in result.places if p.text == anchor}
    assert mention.place is not None and mention.place.geo_precision == 2
    assert haversine_km(mention.place.latitude, mention.place.longitude, town.latitude, town.longitude) < reach_km
    assert any(e.location == name and e.geo_precision == 2 for e in result.events)


def test_another_spelling_of_a_place_the_report_names_is_that_place() -> None:
    result = extract("Fighters took the Tamalelte area.\n\nFighters attacked herders at Tamalelt in the Ménaka "
                     "region on Sunday.", published=PUBLISHED)
    found = {p.text: p.place for p in result.places if p.text.startswith("Tamalel")}
    assert found["Tamalelte"] is not None and found["Tamalelte"] == found["Tamalelt"]


def test_a_compound_village_name_written_solid_is_read_on_its_first_part_near_other_places() -> None:
    # "Dareykoira" is not in GeoNames; the Darèy near Banibangou is, and other Dareys far away
    result = extract("Des hommes armés ont attaqué le marché de Banibangou puis le village de Dareykoira, au "
                     "Niger, dimanche.", published=PUBLISHED)
    [darey] = [p.place for p in result.places if p.text == "Dareykoira"]
    assert darey is not None and darey.geo_precision == 2 and abs(darey.latitude - 15.13) < 0.1


def test_a_person_listed_with_a_village_is_not_placed_there() -> None:
    result = extract("The village of Partiaga was attacked on Sunday, said Hubert Yameogo and Amadou Diallo.",
                     published=PUBLISHED)
    assert all(p.place is None for p in result.places if p.text in ("Hubert Yameogo", "Amadou Diallo"))


def test_the_other_end_of_a_road_named_after_two_villages_is_placed_at_the_first() -> None:
    result = extract("Des hommes armés ont attaqué un car sur l’axe Ayorou-Tinkarbé, au Niger, dimanche.",
                     published=PUBLISHED)
    [end] = [p.place for p in result.places if p.text == "Tinkarbé"]
    [ayorou] = {p.place for p in result.places if p.text == "Ayorou"}
    assert end is not None and end.geo_precision == 2 and (end.latitude, end.longitude) == (ayorou.latitude,
                                                                                            ayorou.longitude)


@pytest.mark.parametrize(("text", "name", "expected"), [
    ("Des combattants ont attaqué des éleveurs à Tamalelt, dans la région de Ménaka.", "Tamalelt", "well"),
    ("Fighters clashed near Tamalelt in the Ménaka region on Sunday.", "Tamalelt", "well"),
    # a well's name inside a person's name is no place
    ("The president of Niger, Mohamed Bazoum, condemned the attack in Tillabéri.", "Mohamed", None),
])
def test_a_well_is_a_place_only_when_the_text_says_so(text: str, name: str, expected: str | None) -> None:
    result = extract(text, published=PUBLISHED)
    found = [p.place.feature for p in result.places if p.text == name and p.place is not None]
    assert found == ([expected] if expected else [])


@pytest.mark.parametrize(("text", "name", "country"), [
    # a spelling of a village at home before an exact homonym abroad
    ("Des soldats ont tué des civils dans le village de Moura, dans le cercle de Djenné.", "Moura", "ML"),
    # an English transcription ("y" for "i") of a village a place noun leads to, although it is an English word
    ("Air strikes hit the villages of Bounty and Douentza on Sunday, residents said.", "Bounty", "ML"),
    # but a region's seat in a neighbouring country is that seat, in a report mostly about Burkina Faso
    ("Des hommes armés ont attaqué samedi un autobus près de Tillabéri, tuant sept passagers. Le même jour, l'armée "
     "burkinabè a neutralisé trente terroristes près de Djibo, au Burkina Faso.", "Tillabéri", "NE"),
])
def test_a_near_spelling_at_home_is_likelier_than_a_word_or_a_homonym_abroad(text: str, name: str,
                                                                           country: str) -> None:
    result = extract(text, published=PUBLISHED)
    found = [p.place for p in result.places if p.text == name]
    assert found and all(p is not None and p.country == country for p in found)


@pytest.mark.parametrize("sentence", [
    "The armed groups use the forests of the east to carry out attacks on convoys and to recruit young men.",
    "Ces groupes profitent de la porosité des frontières pour mener des attaques contre les postes militaires.",
    "Under the pact the three juntas signed in Niamey, each will defend the others if attacked by rebels.",
    "En cas d'attaque contre l'un des pays, les deux autres enverront des troupes.",
    "The government launched an operation to hunt down the attackers in the forest.",
    "L'ambassade à Niamey travaille avec les autorités pour obtenir la libération des otages.",
    "The embassy in Bamako is in touch with the authorities to secure the release of the kidnapped engineer.",
    # a toll over months is a count, not an incident
    "Raids by the group in the Ménaka region killed some 300 civilians between March and June 2022.",
    "Entre mars et juin 2022, des attaques ont fait plus de 300 morts dans la région de Ménaka.",
])
def test_violence_named_but_not_asserted_is_no_event(sentence: str) -> None:
    assert events(sentence) == []


@pytest.mark.parametrize(("sentence", "sub"), [
    # a release told with the kidnapping it ends keeps the kidnapping
    ("Two engineers who were kidnapped near Kayes in January were released on Sunday, officials said.",
     "Abduction/forced disappearance"),
    ("Des hommes armés ont attaqué le poste de Boni dimanche, tuant quatre soldats.", "Armed clash"),
])
def test_asserted_violence_is_still_an_event(sentence: str, sub: str) -> None:
    assert [e.sub_event_type for e in events(sentence)] == [sub]


def test_a_compound_village_name_stands_on_its_first_half_near_the_places_beside_it() -> None:
    # GeoNames has a "Darèy" near Banibangou and other Dareys elsewhere in Niger; "Darey-Koira" is not in it
    result = extract("Des hommes armés ont attaqué le marché de Banibangou et le village de Darey-Koira, au "
                     "Niger, dimanche.", published=PUBLISHED)
    [darey] = [p for p in result.places if p.text == "Darey-Koira"]
    [bani] = {p.place for p in result.places if p.text == "Banibangou"}
    from geo.gazetteer import haversine_km

    assert darey.place is not None and haversine_km(darey.place.latitude, darey.place.longitude,
                                                    bani.latitude, bani.longitude) < 50


def test_half_of_a_compound_is_no_place_without_a_place_word() -> None:
    result = extract("Le chef Darey-Koira a parlé dimanche au Niger.", published=PUBLISHED)
    assert [p.place for p in result.places if p.text.startswith("Darey")] in ([], [None])


@pytest.mark.parametrize(("text", "name", "country"), [
    ("New Delhi, March 10: Two Indian engineers were kidnapped in Niger, the ministry said.", "New Delhi", "IN"),
    ("The junta has moved closer to Moscow since the coup in Mali.", "Moscow", "RU"),
    ("L'Italie a demandé la libération de ses ressortissants enlevés au Mali.", "Italie", "IT"),
    ("Des Marocains ont été libérés au Mali, a annoncé le Maroc.", "Maroc", "MA"),
])
def test_a_toponym_abroad_resolves_to_its_country_and_is_never_an_event_site(text: str, name: str,
                                                                            country: str) -> None:
    result = extract(text, published=PUBLISHED)
    assert {p.place.country for p in result.places if p.text == name and p.place is not None} == {country}
    assert all(e.country in ("Mali", "Niger") for e in result.events)


@pytest.mark.parametrize(("province", "latitude"), [("Yatenga", 13.46), ("Bam", 13.19)])
def test_the_province_named_picks_among_homonymous_villages(province: str, latitude: float) -> None:
    result = extract(f"Des hommes armés ont attaqué le village de Zomkalga, dans la province du {province}, "
                     "au Burkina Faso, dimanche.", published=PUBLISHED)
    [village] = {p.place for p in result.places if p.text == "Zomkalga"}
    assert abs(village.latitude - latitude) < 0.01


def test_a_village_placed_in_a_province_is_inside_it_or_at_its_point() -> None:
    # "Tiguirdé" is no GeoNames name; a look-alike outside Soum province must not be taken for it
    [event] = events("Jihadists killed six soldiers at a military post in Tiguirdou, in Soum province, on Monday.")
    assert event.location == "Tiguirdou" and event.geo_precision == 3
    assert 13.5 < event.latitude < 14.6 and -2.2 < event.longitude < -0.9  # the province of Soum


@pytest.mark.parametrize(("sentence", "figures"), [
    # each clause its claimant; a bare "en avoir tué 40" still counts
    ("L'armée a reconnu la perte de 10 soldats, tandis que le JNIM affirme en avoir tué plus de 40.",
     [("soldiers killed", 10, "State forces"), ("people killed", 40, "JNIM: Group for Support of Islam and Muslims")]),
    ("The army admitted the loss of 7 soldiers.", [("soldiers killed", 7, "State forces")]),
    ("L'armée a déploré la perte de trois véhicules.", []),  # equipment, not lives
])
def test_losses_and_competing_claims_in_one_sentence(sentence: str, figures: list[tuple[str, int, str]]) -> None:
    assert [(f.metric, f.quantity.value, f.claimant) for f in find_figures(sentence)] == figures


def test_a_broadcaster_named_after_a_country_is_not_the_country() -> None:
    result = extract("France 24 reported that gunmen attacked Boni in Mali on Sunday.", published=PUBLISHED)
    assert [p for p in result.places if p.text == "France"] == []


def test_a_word_of_an_organisation_s_name_is_not_a_place() -> None:
    result = extract("The attack in Gao, Mali, was claimed by IS Sahel, according to the SITE Intelligence Group.",
                     published=PUBLISHED)
    assert [p.text for p in result.places if p.place is not None and p.text == "SITE"] == []


@pytest.mark.parametrize(("text", "actor1"), [
    ("Dix volontaires pour la défense de la patrie (VDP) ont été tués dimanche dans une embuscade près de Titao, "
     "au Burkina Faso. L'attaque n'a pas été revendiquée.", unidentified("Burkina Faso").name),
    ("JNIM fighters killed twelve VDP near Titao in Burkina Faso on Sunday.",
     "JNIM: Group for Support of Islam and Muslims"),
])
def test_a_militia_counted_among_the_dead_is_the_target(text: str, actor1: str) -> None:
    [event] = events(text)
    assert (event.actor1, event.actor2) == (actor1, "VDP: Volunteers for the Defense of the Homeland")


@pytest.mark.parametrize(("text", "actor1", "actor2"), [
    # whoever attacked is actor1, even when the army repelled it
    ("Mali's army said on Saturday it had repelled an attack by jihadists on its camp in Boni, killing 14 assailants.",
     unidentified("Mali").name, STATE_ACTORS["ML"].name),
    # the state's "neutralised" after an attack on it is its riposte, not an operation of its own
    ("Au moins dix soldats ont été tués jeudi lors d'une attaque contre leur position à Boni, au Mali, a annoncé le "
     "ministère de la Défense, qui affirme avoir neutralisé quinze assaillants.", unidentified("Mali").name,
     STATE_ACTORS["ML"].name),
    ("Eight soldiers died in an attack on their base near Boni in Mali on Thursday, the army said, adding that it had "
     "neutralised 20 assailants.", unidentified("Mali").name, STATE_ACTORS["ML"].name),
    # the state's own operation has the state as actor1, also when it follows an attack
    ("L'armée malienne a neutralisé jeudi une vingtaine de terroristes lors d'une opération de ratissage près de "
     "Boni.", STATE_ACTORS["ML"].name, unidentified("Mali").name),
    ("Après l'attaque contre le poste de Boni, au Mali, l'armée a neutralisé jeudi vingt terroristes lors d'une "
     "opération de ratissage.", STATE_ACTORS["ML"].name, unidentified("Mali").name),
    ("Following the raid on the Boni post in Mali, troops pursued the attackers on Thursday and neutralised fifteen "
     "of them.", STATE_ACTORS["ML"].name, unidentified("Mali").name),
    # the group named as those the state killed is the target of the state's operation
    ("Mali's army said on Thursday its troops had killed 45 JNIM fighters during an operation near Boni.",
     STATE_ACTORS["ML"].name, "JNIM: Group for Support of Islam and Muslims"),
    ("L'armée malienne affirme avoir neutralisé une trentaine de terroristes du JNIM lors d'une opération près de "
     "Boni dimanche.", STATE_ACTORS["ML"].name, "JNIM: Group for Support of Islam and Muslims"),
    # the group attacking the state's operation is the attacker
    ("Soldiers of the Malian army were attacked by JNIM fighters during an operation near Boni on Sunday.",
     "JNIM: Group for Support of Islam and Muslims", STATE_ACTORS["ML"].name),
])
def test_who_acted_when_the_state_fought(text: str, actor1: str, actor2: str) -> None:
    [event] = events(text)
    assert (event.actor1, event.actor2) == (actor1, actor2)


@pytest.mark.parametrize(("sentence", "claimant"), [
    ("The CSP-DPA said 47 soldiers were killed in the fighting.", "FLA: Azawad Liberation Front"),
    ("Selon l'armée burkinabè, 20 terroristes ont été neutralisés.", STATE_ACTORS["BF"].name),
    ("JNIM claimed it had killed 12 soldiers, a figure the Malian army disputed.",
     "JNIM: Group for Support of Islam and Muslims"),
])
def test_a_figure_is_tied_to_who_claimed_it(sentence: str, claimant: str) -> None:
    assert find_figures(sentence)[0].claimant == claimant


@pytest.mark.parametrize("text", [
    "Malian troops and Wagner carried out drone strikes near Léré on Sunday, killing eight civilians, residents said.",
    "Des frappes aériennes de l'armée malienne et de ses partenaires d'Africa Corps ont tué dimanche dix civils près "
    "de Léré.",
])
def test_the_state_s_partners_strike_beside_it(text: str) -> None:
    [event] = events(text)
    assert (event.actor1, event.actor2) == (STATE_ACTORS["ML"].name, "Civilians (Mali)")


def test_a_strike_nobody_is_named_for_is_not_given_to_the_army() -> None:
    [event] = events("On Sunday, a drone strike on a market near Boni, in Mali, killed about 20 civilians, "
                     "residents said.")
    assert event.sub_event_type == "Air/drone strike" and not event.actor1.startswith("Military Forces")


def test_a_month_opening_a_sentence_dates_it() -> None:
    from geo.extract.dates import find_dates

    [found] = find_dates("The road was quiet. August, the group attacked the village again.", date(2022, 10, 29))
    assert (found.value, found.precision) == (date(2022, 8, 15), 3)
    assert find_dates("the name august, or may, is a word", date(2022, 10, 29)) == []


@pytest.mark.parametrize("text", [
    "Les assaillants ont frappé sur la route qui relie Ayorou à Banibangou, dimanche, tuant dix passagers.",
    "Gunmen attacked buses on the road linking Djibo and Kaya on Sunday, killing ten passengers.",
])
def test_the_towns_a_road_joins_are_not_sites(text: str) -> None:
    assert all(e.location not in ("Banibangou", "Kaya", "Bani Bangou") for e in events(text))


def test_a_district_whose_namesakes_are_villages_means_the_district() -> None:
    result = extract("A drone strike hit a market in Soum, in the north of Burkina Faso, on Sunday.",
                     published=PUBLISHED)
    [soum] = {p.place for p in result.places if p.text == "Soum"}
    assert soum.feature == "admin2"


@pytest.mark.parametrize(("text", "expected"), [
    ("Comme à Hombori l'an passé, les assaillants ont attaqué Douentza lundi.", {"Douentza"}),
    ("Gunmen attacked Douentza on Monday with the same tactics as in Hombori.", {"Douentza"}),
    ("Gunmen attacked Boni on Monday, as well as in Hombori, killing four soldiers.", {"Boni", "Hombori"}),
    ("Residents of towns such as Hombori heard gunfire as jihadists attacked army posts on Monday.", {"Hombori"}),
])
def test_a_place_named_to_compare_is_no_site(text: str, expected: set[str]) -> None:
    assert {e.location for e in events(text)} == expected


def test_an_earlier_attack_named_to_compare_keeps_its_place_and_toll() -> None:
    [event] = events("Douze soldats ont été tués mardi à Boni, deux semaines après l'attaque du camp de Tessit, "
                     "qui avait fait 40 morts.")
    assert (event.location, event.fatalities) == ("Boni", 12)


@pytest.mark.parametrize(("sentence", "expected"), [
    # a day of the month is no count ("au 5 juin, des terroristes ont exécuté...")
    ("Dans la nuit du 4 au 5 juin, des terroristes ont exécuté une trentaine de villageois.", 30),
    # every side counted, even a quoted one: ACLED's total
    ("« 40 assaillants » et 12 soldats ont été tués lundi.", 52),
])
def test_tolls_count_every_side_and_no_dates(sentence: str, expected: int) -> None:
    from geo.schema import conservative_fatalities

    assert conservative_fatalities((f.metric, f.quantity.value) for f in find_figures(sentence)) == expected


@pytest.mark.parametrize(("sentence", "value", "qualifier"), [
    ("Les assaillants ont tué près d'une centaine de soldats.", 100, "about"),
    ("Plus d’une vingtaine de villageois ont été tués.", 20, "more than"),
    ("Une vingtaine de villageois ont été tués.", 20, "about"),
])
def test_elided_french_hedges(sentence: str, value: int, qualifier: str) -> None:
    [figure] = find_figures(sentence)
    assert (figure.quantity.value, figure.quantity.qualifier) == (value, qualifier)


def test_an_old_attack_recalled_later_is_not_the_news() -> None:
    text = ("Niger : une attaque près de Ouallam\n\n"
            "Une trentaine de villageois sont morts dans une attaque près de Ouallam, selon des sources locales.\n\n"
            "Ce n'est pas la première fois que la zone connaît une attaque meurtrière. En janvier 2023, des "
            "jihadistes avaient attaqué Mangaizé, tuant une dizaine de soldats.")
    found = sorted(events(text, published=date(2024, 3, 12)), key=lambda e: e.event_date)
    assert [(e.location, e.fatalities) for e in found] == [("Mangaïzé", 10), ("Ouallam", 30)]


def test_the_region_named_after_its_town_is_not_a_second_site() -> None:
    found = events("Fighters attacked herders at Tamalelt in the state of Ménaka on Sunday.")
    assert [e.location for e in found] == ["Tamalelt"]


@pytest.mark.parametrize(("text", "published", "expected"), [
    ("dimanche dernier", date(2024, 3, 10), date(2024, 3, 3)),   # published on a Sunday
    ("last Sunday", date(2024, 3, 10), date(2024, 3, 3)),
    ("dimanche dernier", date(2024, 3, 12), date(2024, 3, 10)),
    ("on Sunday", date(2024, 3, 10), date(2024, 3, 10)),
    ("dans la nuit de samedi à dimanche", date(2024, 3, 12), date(2024, 3, 9)),
    ("le week-end dernier", date(2024, 3, 12), date(2024, 3, 10)),
    ("il y a deux semaines", date(2024, 3, 12), date(2024, 2, 27)),
    ("three days ago", date(2024, 3, 12), date(2024, 3, 9)),
    ("dans la nuit du 4 au 5 mars", date(2024, 3, 12), date(2024, 3, 4)),  # a night is dated by its start
    ("il y a une semaine", date(2024, 3, 12), date(2024, 3, 5)),
    ("cela fait près d'un mois", date(2024, 3, 12), date(2024, 2, 15)),
])
def test_relative_days_in_both_languages(text: str, published: date, expected: date) -> None:
    from geo.extract.dates import find_dates

    assert find_dates(text, published)[0].value == expected


@pytest.mark.parametrize(("text", "published", "expected"), [
    # counted from the date written before, not from the publication
    ("Insurgents struck Kaya on Tuesday. Three days earlier they had mined the road.", date(2024, 6, 14),
     [(date(2024, 6, 11), 1), (date(2024, 6, 8), 1)]),
    ("Une embuscade a visé l'escorte le 3 mai. Le lendemain, le camp a été attaqué.", date(2024, 5, 10),
     [(date(2024, 5, 3), 1), (date(2024, 5, 4), 1)]),
    ("Le poste est tombé le 2 mai ; deux jours plus tard, la ville était encerclée.", date(2024, 5, 10),
     [(date(2024, 5, 2), 1), (date(2024, 5, 4), 1)]),
    ("The convoy was hit on 1 May. A week later the base fell, and the previous day a bridge was cut.",
     date(2024, 5, 20), [(date(2024, 5, 1), 1), (date(2024, 5, 8), 2), (date(2024, 5, 7), 2)]),
    # nothing written before it to count from: no date rather than a guess
    ("Two days later the army retook the town.", date(2024, 5, 20), []),
    # a count that would end after the publication is not a date of this report
    ("Fighting began on 18 May. Ten days later talks were due.", date(2024, 5, 20), [(date(2024, 5, 18), 1)]),
])
def test_days_earlier_or_later_count_from_the_date_before(text: str, published: date,
                                                          expected: list[tuple[date, int]]) -> None:
    from geo.extract.dates import find_dates

    assert [(d.value, d.precision) for d in find_dates(text, published)] == expected


def test_the_lead_s_group_is_the_story_s_perpetrator_but_not_a_separate_attack_s() -> None:
    text = ("JNIM fighters attack army posts in central Mali\n\n"
            "Fighters of JNIM attacked army posts near Boni, in Mali, on Sunday, the army said.\n"
            "Gunfire was also heard in Douentza, residents said.\n"
            "In a separate attack on Sunday, gunmen killed four villagers in Hombori.")
    by_place = {e.location: e.actor1 for e in events(text)}
    assert by_place["Douentza"] == by_place["Boni"] == "JNIM: Group for Support of Islam and Muslims"
    assert by_place["Hombori"] == unidentified("Mali").name


def test_sentences_run_together_without_a_space_are_still_apart() -> None:
    from geo.extract.text import sentences

    assert [s.text for s in sentences("Ils ont attaqué le poste.Des milliers ont fui.")] == [
        "Ils ont attaqué le poste.", "Des milliers ont fui."]


def test_people_taken_near_the_border_were_taken_where_the_attack_was() -> None:
    text = ("Mali: workers kidnapped\n\n"
            "Gunmen kidnapped four workers near the border with Senegal on Saturday, the army said. "
            "The assailants had attacked a work site near Diboli on Saturday.")
    [abduction] = [e for e in events(text) if e.abduction]
    assert abduction.location == "Diboli"


@pytest.mark.parametrize(("text", "expected"), [
    ("Niger: JNIM claimed an attack on the army post at Ayorou last month, killing ten soldiers.", date(2024, 2, 15)),
    ("Les jihadistes ont attaqué Djibo, au Burkina Faso, le 3 mars, a revendiqué lundi le JNIM.", date(2024, 3, 3)),
])
def test_a_claim_dates_only_what_it_names_at_once(text: str, expected: date) -> None:
    assert [e.event_date for e in events(text)] == [expected]


def test_an_attack_told_to_be_in_a_neighbouring_country_is_placed_there() -> None:
    text = ("Niger: soldiers killed near Diffa\n\n"
            "Boko Haram fighters killed eight soldiers near Diffa, in Niger, on Sunday.\n"
            "On March 1, Boko Haram struck in Nigeria, killing 12 villagers.")
    found = events(text)
    assert {e.country for e in found} == {"Niger", "Nigeria"}


@pytest.mark.parametrize(("sentence", "value"), [
    ("Rescuers recorded 40 lifeless bodies in the village.", 40),
    ("Among the dead were babies under 30 days old killed in the attack, and 12 adults were killed.", 12),
])
def test_bodies_count_and_ages_do_not(sentence: str, value: int) -> None:
    assert [f.quantity.value for f in find_figures(sentence) if f.kind == "killed"] == [value]


def test_a_sentence_with_no_date_tells_of_the_incident_another_one_dates() -> None:
    found = events("Gunmen attacked villagers in Ayorou, in Niger, killing ten people.\n\n"
                   "On March 3, gunmen killed ten villagers, officials said.")
    assert [(e.location, e.event_date) for e in found] == [("Ayorou", date(2024, 3, 3))]


def test_a_listed_village_the_gazetteer_lacks_is_its_own_event_flagged_for_review() -> None:
    found = events("Gunmen attacked the villages of Zorkotambou, Ayorou and Qwelbizarnou in Niger on Sunday, "
                   "killing 30 people.")
    by_place = {e.location: e for e in found}
    assert set(by_place) == {"Zorkotambou", "Ayorou", "Qwelbizarnou"}
    assert by_place["Ayorou"].geo_precision == 1
    invented = by_place["Zorkotambou"]
    assert invented.geo_precision == 2 and "not in the gazetteer" in invented.tags
    assert sum(e.fatalities for e in found) == 30


def test_a_name_after_a_place_noun_is_flagged_even_when_unknown() -> None:
    result = extract("Fighting was reported in the village of Zorkotambou, in Niger.", published=PUBLISHED)
    assert [(p.text, p.resolved) for p in result.places if p.text == "Zorkotambou"] == [("Zorkotambou", False)]


def test_a_month_in_the_sentence_that_opens_an_incident_dates_it() -> None:
    found = events("IS claimed an attack on the army post at Ayorou, in Niger, last month, in a rare strike there.\n"
                   "The group said its fighters had seized weapons at Ayorou.")
    assert [(e.event_date, e.time_precision) for e in found] == [(date(2024, 2, 15), 3)]


@pytest.mark.parametrize(("text", "sub"), [
    ("Armed men attacked the air base near Niamey, in Niger, overnight, with heavy gunfire and explosions.",
     "Armed clash"),
    ("Trois soldats ont trouvé la mort dans l'explosion d'un engin près de Boni, au Mali, vendredi.",
     "Remote explosive/landmine/IED"),
])
def test_an_explosion_is_the_event_only_when_it_is_what_killed(text: str, sub: str) -> None:
    assert [e.sub_event_type for e in events(text)] == [sub]


@pytest.mark.parametrize(("text", "location"), [
    ("Gunmen attacked a work site about 40 km from Kayes, in Mali, on Sunday, killing four.", "Kayes"),
    ("L'assaut a tué huit soldats près de Djibo, à plus de 200 km de Ouagadougou, au Burkina Faso, dimanche.",
     "Djibo"),
])
def test_a_far_distance_from_a_town_is_not_the_town(text: str, location: str) -> None:
    assert [e.location for e in events(text)] == [location]


def test_a_blockade_of_a_named_town_for_months_is_still_a_blockade() -> None:
    found = events("Jihadists have blockaded Djibo, in northern Burkina Faso, for months, residents said.")
    assert [(e.location, "blockade" in e.tags) for e in found] == [("Djibo", True)]


def test_people_taken_during_an_ambush_are_placed_where_the_report_puts_the_ambush() -> None:
    text = ("Burkina Faso: three foreigners kidnapped\n\n"
            "Three foreigners were abducted on Monday following an armed ambush in eastern Burkina Faso.\n\n"
            "The ambush happened on Monday near Pama, when gunmen opened fire on the convoy.")
    [abduction] = [e for e in events(text) if e.abduction]
    assert abduction.location == "Pama"


def test_encircling_a_town_is_a_blockade() -> None:
    found = events("Cela fait près d'un mois que les jihadistes encerclent Djibo, au Burkina Faso.")
    assert [(e.location, "blockade" in e.tags) for e in found] == [("Djibo", True)]


def test_three_days_later_dates_from_the_incident_just_told() -> None:
    found = events("Des jihadistes ont enlevé vingt civils à Djibo, au Burkina Faso, le 3 mars. "
                   "Trois jours après, des habitants partis à leur recherche ont été attaqués à Djibo, "
                   "tuant six d'entre eux.")
    assert sorted(e.event_date for e in found) == [date(2024, 3, 3), date(2024, 3, 6)]


def test_a_huge_unpunctuated_text_is_read_without_error() -> None:
    # a pasted dump with no full stops: cut into sentences of bounded length, notes kept short
    words = ["Gao", "tués", "près de", "Mali", "attaque", "le", "village", "de", "10", "soldats", "Bamako-Ségou"]
    text = " ".join(words[i % len(words)] for i in range(20_000))
    result = extract(text, published=PUBLISHED)
    assert result.events and all(len(e.notes) < 2_000 for e in result.events)
