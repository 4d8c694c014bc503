"""Read GeoNames country dumps (the standard tab-separated ``geoname`` table) into gazetteer rows.

Two outputs, both written by ``python -m geo gazetteer build``:

* the shipped regional extract :data:`geo.gazetteer.SHIPPED` (``data/geonames_sahel.tsv.gz``),
  built with no file arguments from the Mali, Burkina Faso, Niger, Mauritania and
  Senegal dumps in ``../shared/reference/geonames``; a compact tab-separated table
  (:data:`geo.gazetteer.SHIPPED_COLUMNS`), gzipped reproducibly;
* a local index in the curated supplement's CSV layout (``SUPPLEMENT_COLUMNS``), built
  from the dumps named on the command line (the output format follows ``--out``'s suffix).

What is kept (:data:`FEATURE_CODES`): populated places (class P, except the historical
PPLH/PPLCH and destroyed PPLW; abandoned PPLQ villages stay, as people return to them
and reports still name them), second- and third-order administrative areas (ADM2,
ADM3, ``geo_precision`` 2), localities (L.LCTY), military sites, airports and
airfields, mines, refugee camps and border posts, and water points (wells, waterholes, gueltas,
oases, springs: in the Sahara the named sites where people camp, and often all a report can
name there; they rank below any village of the same name).  Other hydrographic, terrain,
vegetation and spot features (wadis, dunes, nomad camps S.CMP) are skipped.  ADM1 rows
are not kept as places (:mod:`geo.areas` supplies the admin-1 regions with their
geometry, and a bare region name would shadow its capital); they
only name each row's ``admin1``, as ADM2 rows name its ``admin2``.  Alternate names
are kept in Latin script only, one spelling per normalised form.
"""
from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from geo import vocab
from geo.gazetteer import SHIPPED_COLUMNS, SUPPLEMENT_COLUMNS, _looks_latin, normalise

# GeoNames feature codes we keep: (our feature, admin seat).
FEATURE_CODES = {
    "PPLC": ("capital", "capital"), "PPLG": ("town", ""), "PPLA": ("town", "admin1"),
    "PPLA2": ("town", "admin2"), "PPLA3": ("town", "admin3"), "PPLA4": ("village", "admin3"),
    "PPLA5": ("village", ""), "PPL": ("village", ""), "PPLL": ("village", ""), "PPLX": ("village", ""),
    "PPLF": ("village", ""), "PPLS": ("village", ""), "PPLR": ("village", ""), "PPLQ": ("village", ""),
    "STLMT": ("village", ""),
    "ADM2": ("admin2", ""), "ADM3": ("admin3", ""),
    "LCTY": ("locality", ""),
    "AIRP": ("airport", ""), "AIRF": ("airport", ""), "MN": ("mine", ""), "MNAU": ("mine", ""),
    "WLL": ("well", ""), "WLLS": ("well", ""), "WTRH": ("well", ""), "OAS": ("well", ""), "SPNG": ("well", ""),
    "MRSH": ("well", ""),  # a guelta or pond in the desert: a named stopping place, like a well
    "INSM": ("base", ""), "MILB": ("base", ""), "CMPRF": ("refugee_camp", ""), "PSTB": ("border_post", ""),
}
# Areas, not points: ACLED geo_precision 2 (a district's representative point).
AREA_FEATURES = {"admin2": 2, "admin3": 2}
GEONAME_COLUMNS = 19
# The dumps the shipped extract is built from, and where they are by default.
SAHEL_DUMPS = vocab.FOCUS
DEFAULT_DUMP_DIR = Path(__file__).resolve().parent.parent.parent.parent / "shared" / "reference" / "geonames"
# Generic words around an administrative name ("Région de Thiès", "Douentza Cercle").
ADMIN_WORDS = re.compile(
    r"^(?:r[ée]gion|province|d[ée]partement|department|wilaya|district|cercle)\s+"
    r"(?:de\s+la\s+|de\s+l['’]\s*|du\s+|des\s+|de\s+|d['’]\s*)?"
    r"|\s+(?:region|province|department|cercle|prefecture|district)$", re.IGNORECASE)
# English renderings GeoNames gives for some Burkinabè regions: the French names reports use.
ADMIN_RENAMES = {"High-Basins": "Hauts-Bassins", "Southwest": "Sud-Ouest"}


class GeoNamesFormatError(ValueError):
    """A line is not a GeoNames ``geoname`` row; the message names the file and line."""


@dataclass(frozen=True)
class GeoRow:
    """One kept GeoNames row, mapped to the gazetteer's terms."""

    geonameid: str
    name: str
    alternate_names: tuple[str, ...]
    country: str
    admin1: str
    admin2: str
    feature: str
    latitude: str
    longitude: str
    population: int
    admin_seat: str
    geo_precision: int
    dump: str


def admin_name(name: str) -> str:
    """A district's or region's own name, without generic words ("Région de Thiès" -> "Thiès")."""
    short = ADMIN_WORDS.sub("", name).strip()
    return ADMIN_RENAMES.get(short, short or name)


def latin_alternates(name: str, alternates: Iterable[str]) -> tuple[str, ...]:
    """Latin-script alternates with letters in them, one per normalised form, none the same as ``name``."""
    seen = {normalise(name)}
    out = []
    for alt in alternates:
        alt = alt.strip()
        if not alt or not _looks_latin(alt) or not any(c.isalpha() for c in alt):
            continue
        key = normalise(alt)
        if key and key not in seen:
            seen.add(key)
            out.append(alt)
    return tuple(out)


def read_dump(path: Path, countries: Sequence[str] = ()) -> Iterator[GeoRow]:
    """The kept rows of a GeoNames dump, with admin-1 and admin-2 names filled from its ADM1/ADM2 rows."""
    wanted = {c.upper() for c in countries}
    try:
        admins = _admin_names(path)
        yield from _read(path, wanted, admins)
    except UnicodeDecodeError as exc:
        raise GeoNamesFormatError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    # Tab-separated without quoting: split each line (the csv module's field size limit is process-wide, and
    # raising it for the long alternate-name lists changed what every later CSV read accepts)
    with path.open(encoding="utf-8", newline="") as f:
        for number, line in enumerate(f, 1):
            row = line.rstrip("\r\n").split("\t")
            if row == [""] or row[0].startswith("#"):
                continue
            if len(row) != GEONAME_COLUMNS:
                raise GeoNamesFormatError(f"{path}:{number}: expected {GEONAME_COLUMNS} tab-separated columns, "
                                          f"got {len(row)}")
            yield number, row


def _admin_names(path: Path) -> dict[tuple[str, ...], str]:
    """(country, admin1 code) -> region name and (country, admin1, admin2 code) -> district name."""
    names: dict[tuple[str, ...], str] = {}
    for _, row in _rows(path):
        fcode, cc, a1, a2 = row[7], row[8], row[10], row[11]
        if fcode == "ADM1" and a1:
            names[(cc, a1)] = admin_name(row[1])
        elif fcode == "ADM2" and a1 and a2:
            names[(cc, a1, a2)] = admin_name(row[1])
    return names


def _read(path: Path, wanted: set[str], admins: dict[tuple[str, ...], str]) -> Iterator[GeoRow]:
    for number, row in _rows(path):
        gid, name, _ascii, alternates, lat, lon, _fclass, fcode, cc = row[:9]
        if wanted and cc not in wanted or fcode not in FEATURE_CODES:
            continue
        try:
            float(lat), float(lon)
            population = int(row[14] or 0)
        except ValueError:
            raise GeoNamesFormatError(f"{path}:{number}: bad latitude/longitude/population "
                                      f"{lat!r}, {lon!r}, {row[14]!r}") from None
        feature, seat = FEATURE_CODES[fcode]
        if feature == "village" and population >= 10_000:
            feature = "town"
        a1, a2 = row[10], row[11]
        admin1 = admins.get((cc, a1), "")
        admin2 = admins.get((cc, a1, a2), "") if fcode != "ADM2" else ""
        yield GeoRow(gid, name, latin_alternates(name, alternates.split(",")), cc, admin1, admin2, feature,
                     lat, lon, population, seat, AREA_FEATURES.get(feature, 1), path.name)


def read_geonames(path: Path, countries: Sequence[str] = ()) -> Iterator[dict[str, str]]:
    """Gazetteer rows (``SUPPLEMENT_COLUMNS``) for the kept features of a GeoNames dump."""
    for r in read_dump(path, countries):
        yield {
            "id": f"GN{r.geonameid}", "name": r.name, "alternate_names": ";".join(r.alternate_names),
            "country": r.country, "admin1": r.admin1, "admin2": r.admin2, "feature": r.feature,
            "latitude": r.latitude, "longitude": r.longitude, "population": str(r.population),
            "admin_seat": r.admin_seat, "conflict_relevance": "0",
            "coord_source": f"GeoNames {r.dump} (geonameid {r.geonameid}, CC-BY 4.0)", "notes": "",
        }


def dump_files(paths: Sequence[Path] = ()) -> list[Path]:
    """The dumps to read: files as given, directories expanded to their country dumps (``XX.txt``).

    With no paths: the Sahel dumps (:data:`SAHEL_DUMPS`) in :data:`DEFAULT_DUMP_DIR`.
    """
    if not paths:
        if not DEFAULT_DUMP_DIR.is_dir():
            raise FileNotFoundError(f"no GeoNames dumps at {DEFAULT_DUMP_DIR}: give the dump files or their folder")
        return [DEFAULT_DUMP_DIR / f"{cc}.txt" for cc in SAHEL_DUMPS if (DEFAULT_DUMP_DIR / f"{cc}.txt").is_file()]
    out: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.glob("*.txt") if re.fullmatch(r"[A-Z]{2}\.txt", p.name))
            if not found:
                raise FileNotFoundError(f"{path}: no GeoNames country dumps (XX.txt) in this folder")
            out += found
        else:
            out.append(path)
    return out


def build_local_index(files: Iterable[Path], out: Path, countries: Sequence[str] = ()) -> int:
    """Write the kept rows of GeoNames dumps to ``out``; returns the count.

    ``out`` ending in ``.csv`` gets the supplement's CSV layout (a local index);
    any other name (``.tsv``, ``.tsv.gz``) the shipped extract's compact layout.
    The previous file stays as it was if a dump is malformed.
    """
    files = [Path(f) for f in files]
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    try:
        if out.suffix.lower() == ".csv":
            count = _write_csv(files, tmp, countries)
        else:
            count = _write_shipped(files, tmp, countries, gzipped=out.suffix.lower() == ".gz")
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(out)
    return count


def _write_csv(files: list[Path], tmp: Path, countries: Sequence[str]) -> int:
    count = 0
    with tmp.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=SUPPLEMENT_COLUMNS)
        writer.writeheader()
        for path in files:
            for row in read_geonames(path, countries):
                writer.writerow(row)
                count += 1
    return count


def _write_shipped(files: list[Path], tmp: Path, countries: Sequence[str], *, gzipped: bool) -> int:
    """The compact layout: two comment lines (provenance, licence), a header, one row per place."""
    buffer = io.StringIO()
    names = ", ".join(p.name for p in files)
    buffer.write(f"# GeoNames (geonames.org) extract, CC-BY 4.0, from {names}; attribution: GeoNames (geonames.org)\n")
    buffer.write("# rebuilt by: python -m geo gazetteer build (see geo/io/geonames.py and data/README.md)\n")
    buffer.write("\t".join(SHIPPED_COLUMNS) + "\n")
    count = 0
    for path in files:
        for r in read_dump(path, countries):
            fields = (r.geonameid, r.name, ";".join(r.alternate_names), r.country, r.admin1, r.admin2, r.feature,
                      r.latitude, r.longitude, str(r.population) if r.population else "", r.admin_seat,
                      str(r.geo_precision))
            if any("\t" in v or "\n" in v for v in fields):
                raise GeoNamesFormatError(f"{path}: geonameid {r.geonameid}: a tab or newline inside a field")
            buffer.write("\t".join(fields) + "\n")
            count += 1
    data = buffer.getvalue().encode("utf-8")
    if gzipped:
        # no file name and a zero time stamp in the header: the same dumps give the same bytes
        with tmp.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=9,
                                                  mtime=0) as f:
            f.write(data)
    else:
        tmp.write_bytes(data)
    return count
