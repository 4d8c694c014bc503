"""The project's vocabulary of countries: one table every module reads.

For each country of the region: ISO codes, the name we show, ACLED's name and
region, the capital, and the words (normalised, accent-free) by which English and
French reports name it or its people.  Countries outside the region appear only as
victims' nationalities (:data:`NATIONS`).
"""
from __future__ import annotations

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
