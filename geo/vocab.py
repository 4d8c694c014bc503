"""The project's vocabulary: the one definition every module reads.

* **Countries**: for each country of the region, ISO codes, the name we show, ACLED's
  name and region, the capital, and the words (normalised, accent-free) by which English
  and French reports name it or its people.  Countries outside the region appear only as
  victims' nationalities (:data:`NATIONS`).
* **Map layers**: the names URLs and saved views use, and the labels the map shows.
* **Actor families**: JNIM, IS Sahel, other armed groups, state forces, from ACLED actor
  names (or the free text of a control assessment) and ACLED's ``inter`` codes.
* **Precision windows**: how far apart in days and kilometres two reports of one incident
  may be, by ACLED ``time_precision`` and ``geo_precision``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    """A country of the region and how reports and ACLED name it."""

    iso2: str
    name: str              # as we show it ("Côte d'Ivoire")
    acled: str             # as ACLED's ``country`` column writes it ("Ivory Coast")
    iso: int               # ISO 3166 numeric, ACLED's ``iso``
    iso3: str
    region: str            # ACLED's ``region``
    capital: str
    names: tuple[str, ...]       # normalised, English and French ("cote d ivoire", "ivory coast")
    adjectives: tuple[str, ...] = ()  # of the country and its people ("ivorian", "ivoirienne")

    @property
    def words(self) -> tuple[str, ...]:
        """Every word by which a report names the country: names first, then adjectives."""
        return self.names + self.adjectives


_W = "Western Africa"
COUNTRIES: dict[str, Country] = {c.iso2: c for c in (
    Country("ML", "Mali", "Mali", 466, "MLI", _W, "Bamako", ("mali",), ("malian", "malien", "malienne")),
    Country("BF", "Burkina Faso", "Burkina Faso", 854, "BFA", _W, "Ouagadougou",
            ("burkina faso", "burkina"), ("burkinabe",)),
    Country("NE", "Niger", "Niger", 562, "NER", _W, "Niamey", ("niger",), ("nigerien", "nigerienne")),
    Country("MR", "Mauritania", "Mauritania", 478, "MRT", _W, "Nouakchott",
            ("mauritania", "mauritanie"), ("mauritanian", "mauritanien", "mauritanienne")),
    Country("SN", "Senegal", "Senegal", 686, "SEN", _W, "Dakar",
            ("senegal",), ("senegalese", "senegalais", "senegalaise")),
    Country("DZ", "Algeria", "Algeria", 12, "DZA", "Northern Africa", "Algiers",
            ("algeria", "algerie"), ("algerian", "algerien", "algerienne")),
    Country("GN", "Guinea", "Guinea", 324, "GIN", _W, "Conakry",
            ("guinea", "guinee"), ("guinean", "guineen", "guineenne")),
    Country("CI", "Côte d'Ivoire", "Ivory Coast", 384, "CIV", _W, "Yamoussoukro",
            ("cote d ivoire", "ivory coast"), ("ivorian", "ivoirien", "ivoirienne")),
    Country("TD", "Chad", "Chad", 148, "TCD", "Middle Africa", "N'Djamena", ("chad", "tchad"),
            ("chadian", "tchadien")),
    Country("NG", "Nigeria", "Nigeria", 566, "NGA", _W, "Abuja", ("nigeria",), ("nigerian",)),
    Country("GM", "Gambia", "Gambia", 270, "GMB", _W, "Banjul", ("gambia", "gambie")),
    Country("GW", "Guinea-Bissau", "Guinea-Bissau", 624, "GNB", _W, "Bissau", ("guinea bissau", "guinee bissau")),
    Country("BJ", "Benin", "Benin", 204, "BEN", _W, "Porto-Novo", ("benin",), ("beninese", "beninois", "beninoise")),
    Country("TG", "Togo", "Togo", 768, "TGO", _W, "Lomé", ("togo",), ("togolese", "togolais", "togolaise")),
    Country("GH", "Ghana", "Ghana", 288, "GHA", _W, "Accra", ("ghana",), ("ghanaian",)),
    Country("LY", "Libya", "Libya", 434, "LBY", "Northern Africa", "Tripoli", ("libya", "libye"),
            ("libyan", "libyen", "libyenne")),
)}
# The region whose towns the gazetteer indexes, focus countries first.
SAHEL: tuple[str, ...] = tuple(COUNTRIES)
FOCUS: tuple[str, ...] = ("ML", "BF", "NE", "MR", "SN")
# ISO2 -> every word by which a report names the country or its people (names first).
COUNTRY_WORDS: dict[str, tuple[str, ...]] = {cc: c.words for cc, c in COUNTRIES.items()}

# Victims' nationalities from beyond the region: ISO2 -> name as ACLED writes it in "Civilians (...)"
NATIONS: dict[str, str] = {
    "IN": "India", "CN": "China", "EG": "Egypt", "MA": "Morocco", "RU": "Russia", "TR": "Turkey", "AT": "Austria",
    "CH": "Switzerland", "US": "United States", "AE": "United Arab Emirates", "IR": "Iran", "DE": "Germany",
    "IT": "Italy", "ES": "Spain", "BE": "Belgium", "RO": "Romania", "ZA": "South Africa", "FR": "France",
    "GB": "United Kingdom", "CA": "Canada", "AU": "Australia", "KR": "South Korea", "JP": "Japan",
    "LB": "Lebanon", "PK": "Pakistan", "BD": "Bangladesh", "PH": "Philippines",
}


def country_name(code: str) -> str:
    """ACLED's name for a country or nationality code ("CI" -> "Ivory Coast", "IN" -> "India")."""
    code = (code or "").upper()
    if code in COUNTRIES:
        return COUNTRIES[code].acled
    return NATIONS.get(code, code)


def display_name(code: str) -> str:
    """The name we show for a country code ("CI" -> "Côte d'Ivoire")."""
    code = (code or "").upper()
    return COUNTRIES[code].name if code in COUNTRIES else NATIONS.get(code, code)


def by_acled_name(name: str) -> Country | None:
    """The country ACLED (or UCDP) names so, or None."""
    return next((c for c in COUNTRIES.values() if name in (c.acled, c.name)), None)


# -- map layers ---------------------------------------------------------------------------------------------

# A layer's name in URLs and saved views -> its label on the map's layer control, legend and sidebar.
LAYER_LABELS: dict[str, str] = {"attacks": "Attacks", "control": "Territorial control", "abductions": "Abductions",
                                "inferred": "Inferred from events", "regions": "Regions"}
LAYERS: tuple[str, ...] = tuple(LAYER_LABELS)
DEFAULT_LAYERS: tuple[str, ...] = ("attacks", "control", "abductions")  # regions and inferred are off by default
LAYER_ORDER: tuple[str, ...] = ("regions", "inferred", "control", "attacks", "abductions")  # drawn bottom to top


# -- actor families -----------------------------------------------------------------------------------------

JNIM, IS_SAHEL, OTHER_ARMED, STATE = "JNIM", "IS Sahel", "Other armed groups", "State forces"
FAMILIES: tuple[str, ...] = (JNIM, IS_SAHEL, OTHER_ARMED, STATE)
# ACLED ``inter`` codes of an army or a foreign force.
STATE_INTERS: tuple[str, ...] = ("State forces", "External/Other forces")
# ACLED ``inter`` codes of a militia (VDP, Dozo, Koglweogo), and of any armed group that is not a state's.
MILITIA_INTERS: tuple[str, ...] = ("Political militia", "Identity militia")
ARMED_GROUP_INTERS: tuple[str, ...] = ("Rebel group", *MILITIA_INTERS)
# What names a family in an actor's name, case-insensitive: ACLED's names and the aliases reports and
# assessments use ("JNIM: Group for Support of Islam and Muslims", "GSIM", "Katiba Macina"; "Islamic State
# (Sahel)", "ISGS", "EIGS").  Any other Islamic State is IS Sahel, except the West Africa Province (ISWAP).
FAMILY_PATTERNS: dict[str, re.Pattern[str]] = {
    JNIM: re.compile(r"\b(?:jnim|gsim)\b|group for support of islam|soutien (?:a|à) l.islam|n(?:usrat|asr) al.islam"
                     r"|katiba macina|ansaroul|ansarul", re.IGNORECASE),
    IS_SAHEL: re.compile(r"\b(?:is sahel|isgs|issp|eigs|ei sahel)\b"
                         r"|(?:islamic state|[eé]tat islamique)(?!'?s? (?:west africa|en afrique de l))",
                         re.IGNORECASE),
}


def actor_family(actor: str | None, inter: str | None = None) -> str:
    """The family of an actor: JNIM or IS Sahel by name (JNIM first when both are named, as in an
    assessment's "JNIM; IS Sahel"), else state forces by ACLED ``inter`` code, else other armed groups.

    "Katiba Macina" -> JNIM; "Military Forces of Mali" with inter "State forces" -> State forces.
    """
    name = actor if isinstance(actor, str) else ""  # None, or NaN from a frame: no name
    for family in (JNIM, IS_SAHEL):
        if FAMILY_PATTERNS[family].search(name):
            return family
    return STATE if inter in STATE_INTERS else OTHER_ARMED


# -- precision windows --------------------------------------------------------------------------------------

# How many days apart two reports of one incident may date it, by the vaguer ACLED ``time_precision``
# of the two (1 day, 2 week, 3 month).
PRECISION_DAYS: dict[int, int] = {1: 1, 2: 7, 3: 31}
# How far apart they may place it, by the vaguer ``geo_precision`` (1 exact place, 2 near a place or
# part of a region, 3 a region or area).
PRECISION_KM: dict[int, float] = {1: 50.0, 2: 100.0, 3: 300.0}
# The widest date window: stored events further than this from a new one cannot be the same incident.
DEDUP_WINDOW_DAYS: int = max(PRECISION_DAYS.values())


def same_incident_window(precision_a: int, precision_b: int) -> int:
    """The days two dates of these ``time_precision`` values may differ by and still be one incident."""
    return max(PRECISION_DAYS[precision_a], PRECISION_DAYS[precision_b])


# -- hostage cases ------------------------------------------------------------------------------------------

# What a later report may say became of people held (the case's status after "held"), and how it is shown.
STATUS_LABELS: dict[str, str] = {"killed": "killed", "escaped": "escaped", "released": "released",
                                 "proof_of_life": "proof of life", "ransom": "ransom reported"}
