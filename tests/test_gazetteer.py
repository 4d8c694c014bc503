"""Matching and ranking in the gazetteer: spellings, hints, ambiguity."""
from __future__ import annotations

import pytest

from geo.gazetteer import Gazetteer, Place, haversine_km, normalise, quarter_base, rank
from geo.geocoder import GazetteerGeocoder

KM = 10.0


@pytest.fixture(scope="module")
def geocoder() -> GazetteerGeocoder:
    return GazetteerGeocoder()


@pytest.mark.parametrize(("text", "expected"), [
    ("Sévaré", "sevare"), ("  TOMBOUCTOU ", "tombouctou"), ("Fada N'Gourma", "fada n gourma"),
    ("Gorom-Gorom", "gorom gorom"), ("Ségou\u2019s", "segou s"), ("", ""),
])
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(("query", "lat", "lon"), [
    ("Tombouctou", 16.77, -3.01),
    ("Timbuktu", 16.77, -3.01),
    ("TIMBUKTU", 16.77, -3.01),
    ("Sévaré", 14.53, -4.10),
    ("Sevare", 14.53, -4.10),
    ("Ségou", 13.43, -6.26),
    ("Segou", 13.43, -6.26),
    ("Ménaka", 15.92, 2.40),
    ("Menaka", 15.92, 2.40),
    ("Léré", 15.71, -4.91),
    ("Lere", 15.71, -4.91),
    ("Boulkessi", 14.795, -1.318),
    ("Boulikessi", 14.795, -1.318),
    ("Nioro du Sahel", 15.23, -9.59),
    ("Diboli", 14.455, -12.199),
    ("Sandaré", 14.70, -10.31),
    ("Gogui", 15.69, -9.33),
    ("Tessit", 15.2238, 0.2925),  # GeoNames puts it at -0.30; ACLED's point (15.22, 0.29) is right
    ("Tombuctou", 16.77, -3.01),  # misspelt
    ("Bamakko", 12.65, -8.00),    # misspelt
])
def test_spelling_variants(geocoder: GazetteerGeocoder, query: str, lat: float, lon: float) -> None:
    location = geocoder.geocode(query)
    assert location is not None, query
    assert haversine_km(location.latitude, location.longitude, lat, lon) <= KM, location.address


@pytest.mark.parametrize(("query", "hint", "lat", "lon", "country"), [
    ("Nioro", None, 15.23, -9.59, "ML"),      # Nioro du Sahel: the Malian town conflict reports mean
    ("Nioro", "ML", 15.23, -9.59, "ML"),
    ("Nioro", "SN", 13.75, -15.80, "SN"),     # Nioro du Rip
    ("Kidira", None, 14.46, -12.22, "SN"),
])
def test_country_hints(geocoder: GazetteerGeocoder, query: str, hint: str | None, lat: float, lon: float,
                       country: str) -> None:
    location = geocoder.geocode(query, country_codes=hint)
    assert location is not None
    assert location.raw["country"] == country
    assert haversine_km(location.latitude, location.longitude, lat, lon) <= KM


def test_ambiguous_names_keep_ranked_candidates(geocoder: GazetteerGeocoder) -> None:
    location = geocoder.geocode("Nioro")
    candidates = location.raw["candidates"]
    assert len(candidates) >= 2
    assert {c["country"] for c in candidates} >= {"ML", "SN"}
    scores = [c["score"] for c in candidates]
    assert scores == sorted(scores, reverse=True)


def test_context_words_pick_the_camp_over_the_town() -> None:
    town = Place("Testville", 15.0, -5.0, "ML", feature="town", relevance=1)
    camp = Place("Testville military camp", 15.05, -5.0, "ML", feature="camp", relevance=2,
                 alternate_names=("Testville",))
    gazetteer = Gazetteer([town, camp])
    assert gazetteer.search("Testville")[0].place is town
    assert gazetteer.search("Testville", context="jihadists attacked the army camp")[0].place is camp


def test_rank_prefers_hinted_country_and_seats() -> None:
    a = Place("X", 0, 0, "ML", admin_seat="admin2", population=20_000)
    b = Place("X", 0, 0, "SN", population=500)
    assert rank(a, 100, set(), set()) > rank(b, 100, set(), set())
    assert rank(b, 100, {"SN"}, set()) > rank(a, 100, {"SN"}, set())


def test_fuzzy_matches_abroad_are_dropped_under_a_hint() -> None:
    gazetteer = Gazetteer([Place("Dabolia", 10.0, -7.0, "CI")])
    assert gazetteer.search("Daboli", country_codes=["ML"]) == []
    assert gazetteer.search("Daboli")[0].place.country == "CI"


def test_curated_entry_replaces_a_misplaced_geonames_town(tmp_path) -> None:
    from geo.gazetteer import SUPPLEMENT_COLUMNS, build_gazetteer

    csv_path = tmp_path / "supplement.csv"
    csv_path.write_text(
        ",".join(SUPPLEMENT_COLUMNS) + "\n"
        "T1,Tessit,,ML,Gao,Ansongo,town,15.0133,0.2925,,admin3,3,ACLED,\n", encoding="utf-8")
    gazetteer = build_gazetteer(supplement=csv_path, local=tmp_path / "none.csv", cache=False)
    found = gazetteer.lookup("Tessit")
    assert [(p.latitude, p.longitude) for p in found if p.country == "ML"] == [(15.0133, 0.2925)]


# -- the shipped GeoNames extract ----------------------------------------------------------------

@pytest.fixture(scope="module")
def default():
    from geo.gazetteer import SHIPPED, default_gazetteer

    if not SHIPPED.exists():
        pytest.skip(f"{SHIPPED} is absent: rebuild it with python -m geo gazetteer build")
    return default_gazetteer()


@pytest.mark.parametrize(("name", "country", "feature"), [
    ("Farabougou", "ML", "village"),    # five villages of that name in the Mali dump
    ("Inata", "BF", "locality"),        # a locality (L.LCTY) in the Sahel region
    ("Partiaga", "BF", "village"),
    ("Falagountou", "BF", "village"),
    ("Bakorat", "NE", "locality"),
    ("Tamalelt", "ML", "well"),         # a waterhole (H.WTRH): in the Sahara often all there is to name
])
def test_default_gazetteer_has_the_dumps_villages(default, name: str, country: str, feature: str) -> None:
    found = [p for p in default.lookup(name) if p.country == country and p.feature == feature]
    assert found and all(p.relevance == 0 for p in found), found
    assert all("GeoNames" in p.source and p.admin1 for p in found)


def test_region_names_fill_admin1(default) -> None:
    (falagountou,) = default.lookup("Falagountou")
    assert (falagountou.country, falagountou.admin1) == ("BF", "Sahel")
    assert {p.admin1 for p in default.lookup("Farabougou") if p.country == "ML"} >= {"Ségou", "Kayes"}


def test_curated_tessit_still_wins_over_geonames(default) -> None:
    tessit = [p for p in default.lookup("Tessit") if p.country == "ML"]
    assert [(round(p.latitude, 2), round(p.longitude, 2)) for p in tessit] == [(15.22, 0.29)]  # ACLED's point
    assert default.search("Tessit")[0].place.relevance > 0


def test_cities500_towns_are_merged_not_doubled(default) -> None:
    thies = [p for p in default.lookup("Thies") if p.country == "SN" and p.feature != "admin2"]
    assert len(thies) == 1  # one place from the dump and cities500 (same geonameid)
    assert haversine_km(thies[0].latitude, thies[0].longitude, 14.79, -16.93) < 3  # cities500's newer point
    assert thies[0].admin1 == "Thiès"  # the dump's region name


def test_default_gazetteer_places_are_all_there(default) -> None:
    places = default.places
    assert len(places) == len(default) > 50_000
    assert {"ML", "BF", "NE", "MR", "SN", "CI", "NG"} <= {p.country for p in places}
    assert any(p.geometry is not None for p in places if p.feature == "country")


def test_misspelt_village_is_found_fuzzily(default) -> None:
    found = default.search("Farabugou", country_codes=["ML"])
    assert found and found[0].how == "fuzzy" and found[0].place.name == "Farabougou"


def test_fuzzy_second_round_skips_hamlets_only() -> None:
    hamlet = Place("Zabolikoro", 10.0, -7.0, "ML", feature="village")
    town = Place("Zamolikoro", 11.0, -7.0, "ML", feature="town", population=8000)
    gazetteer = Gazetteer([hamlet, town])
    assert [c.place for c in gazetteer.search("Zabolikoro")] == [hamlet]  # exact
    assert [c.place for c in gazetteer.search("Zabolikora")] == [hamlet]  # same initial: every name
    assert [c.place for c in gazetteer.search("Xabolikoro")] == []  # another initial: notable places only
    assert [c.place for c in gazetteer.search("Xamolikoro")] == [town]


def test_a_curated_town_replaces_the_nearest_homonym_only() -> None:
    from geo.gazetteer import _not_overridden

    misplaced = Place("Testit", 15.2, -0.30, "ML", feature="village")
    far = Place("Testit", 12.0, -8.0, "ML", feature="village")  # another village, 500 km away
    twin = Place("Testit", 15.02, 0.30, "ML", feature="village")  # the same place again, 2 km off
    district = Place("Testit", 15.0, 0.2, "ML", feature="admin3")
    hamlet = Place("Testit", 14.2, 0.29, "ML", feature="village")  # another village, 90 km away
    town = Place("Testit", 14.4, 0.0, "ML", feature="town", population=20_000)  # a town's figures, 75 km off
    curated = Place("Testit", 15.01, 0.29, "ML", feature="village", relevance=3)
    assert _not_overridden([misplaced, far, twin, district], [curated]) == [misplaced, far, district]
    assert _not_overridden([misplaced, far, district, hamlet], [curated]) == [far, district, hamlet]
    assert _not_overridden([misplaced, hamlet, town], [curated]) == [hamlet]


# -- the cache ------------------------------------------------------------------------------------

def _tiny_extract(path, dump: str) -> None:
    from geo.io.geonames import build_local_index

    source = path.with_suffix(".txt")
    source.write_text(dump, encoding="utf-8")
    build_local_index([source], path)


ROW = "{gid}\t{name}\t{name}\t\t14.0\t-4.0\tP\tPPL\tML\t\t04\t\t\t\t0\t\t300\tAfrica/Bamako\t2023-01-01\n"


def test_cache_is_used_then_rebuilt_when_the_extract_changes(tmp_path, monkeypatch) -> None:
    import geo.gazetteer as gaz

    monkeypatch.setenv("CONFLICTMAP_CACHE", str(tmp_path / "cache"))
    shipped = tmp_path / "extract.tsv.gz"
    _tiny_extract(shipped, ROW.format(gid=1, name="Firstvillage"))
    options = {"supplement": None, "local": tmp_path / "none.csv", "countries": ("ML",), "shipped": shipped}
    built = gaz.build_gazetteer(**options)
    assert built.lookup("Firstvillage") and len(list((tmp_path / "cache").glob("gazetteer-*"))) == 1

    builds = []
    monkeypatch.setattr(gaz, "_build", lambda *a: builds.append(a) or gaz.Gazetteer())
    loaded = gaz.build_gazetteer(**options)
    assert builds == []  # loaded from the cache, not rebuilt
    assert loaded.lookup("Firstvillage") == built.lookup("Firstvillage")
    assert loaded.places == built.places
    areas = [(a, b) for a, b in zip(loaded.places, built.places, strict=True) if a.geometry is not None]
    assert areas and all(a.geometry.equals(b.geometry) for a, b in areas)
    monkeypatch.undo()

    monkeypatch.setenv("CONFLICTMAP_CACHE", str(tmp_path / "cache"))
    _tiny_extract(shipped, ROW.format(gid=2, name="Secondvillage"))
    rebuilt = gaz.build_gazetteer(**options)
    assert rebuilt.lookup("Secondvillage") and not rebuilt.lookup("Firstvillage")


def test_a_broken_cache_is_rebuilt(tmp_path, monkeypatch) -> None:
    import geo.gazetteer as gaz

    monkeypatch.setenv("CONFLICTMAP_CACHE", str(tmp_path))
    shipped = tmp_path / "extract.tsv"
    _tiny_extract(shipped, ROW.format(gid=1, name="Firstvillage"))
    options = {"supplement": None, "local": tmp_path / "none.csv", "countries": ("ML",), "shipped": shipped}
    gaz.build_gazetteer(**options)
    (cached,) = tmp_path.glob("gazetteer-*")
    cached.write_bytes(cached.read_bytes()[:1000])
    assert gaz.build_gazetteer(**options).lookup("Firstvillage")


def test_without_the_extract_villages_are_missing(tmp_path) -> None:
    from geo.gazetteer import build_gazetteer

    baseline = build_gazetteer(shipped=None, local=tmp_path / "none.csv", cache=False)
    assert not baseline.lookup("Falagountou") and baseline.lookup("Bamako")


def test_a_bare_name_means_the_town_not_its_district() -> None:
    district = Place("Cercle de Testsan", 13.2, -5.0, "ML", feature="admin2", population=330_000,
                     alternate_names=("Testsan",), geo_precision=2)
    town = Place("Testsan", 13.3, -4.9, "ML", feature="town", population=60_000, admin_seat="admin2")
    hamlet = Place("Testsan", 14.4, -2.1, "ML", feature="village")
    gazetteer = Gazetteer([district, town, hamlet])
    assert [c.place for c in gazetteer.search("Testsan")] == [town, district, hamlet]
    assert gazetteer.search("Cercle de Testsan")[0].place is district


@pytest.mark.parametrize(("key", "base"), [
    ("ogassagou peulh", "ogassagou"),
    ("koulogo habbe", "koulogo"),
    ("sobane da", ""),          # not a quarter's name
    ("niono coura", ""),        # "Coura" (new) names another village, not a quarter
    ("peulh", ""),
])
def test_quarter_base(key: str, base: str) -> None:
    assert quarter_base(key) == base


def test_a_quarter_is_found_under_its_village_s_name(default) -> None:
    # GeoNames names the quarters ("Koulogon-Habe", alternate "Koulogo-Habbe"); a report names the Fulani one
    found = default.search("Koulogo Peulh", country_codes=["ML"], fuzzy=False)
    assert found and found[0].place.country == "ML" and found[0].place.admin1 == "Mopti"
