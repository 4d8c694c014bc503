"""Read GeoNames country dumps (the standard tab-separated ``geoname`` table) into gazetteer rows."""
from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from geo.gazetteer import SUPPLEMENT_COLUMNS

# GeoNames feature codes we keep, and what they are in our gazetteer.
FEATURE_CODES = {
    "PPLC": ("capital", "capital"), "PPLA": ("town", "admin1"), "PPLA2": ("town", "admin2"),
    "PPLA3": ("town", "admin3"), "PPLA4": ("village", "admin3"), "PPL": ("village", ""),
    "PPLL": ("village", ""), "PPLX": ("village", ""), "PPLF": ("village", ""), "PPLS": ("village", ""),
    "PPLQ": ("village", ""), "AIRP": ("airport", ""), "AIRF": ("airport", ""), "MN": ("mine", ""),
    "MNAU": ("mine", ""), "INSM": ("base", ""), "MILB": ("base", ""), "PSTB": ("border_post", ""),
}
GEONAME_COLUMNS = 19


class GeoNamesFormatError(ValueError):
    """A line is not a GeoNames ``geoname`` row; the message names the file and line."""


def read_geonames(path: Path, countries: Sequence[str] = ()) -> Iterator[dict[str, str]]:
    """Gazetteer rows (``SUPPLEMENT_COLUMNS``) for the kept features of a GeoNames dump."""
    try:
        yield from _read(path, {c.upper() for c in countries})
    except UnicodeDecodeError as exc:
        raise GeoNamesFormatError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def _read(path: Path, wanted: set[str]) -> Iterator[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as f:
        for number, row in enumerate(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
            if not row or row[0].startswith("#"):
                continue
            if len(row) != GEONAME_COLUMNS:
                raise GeoNamesFormatError(f"{path}:{number}: expected {GEONAME_COLUMNS} tab-separated columns, "
                                          f"got {len(row)}")
            gid, name, _ascii, alternates, lat, lon, _fclass, fcode, cc = row[:9]
            if wanted and cc not in wanted or fcode not in FEATURE_CODES:
                continue
            try:
                float(lat), float(lon)
            except ValueError:
                raise GeoNamesFormatError(f"{path}:{number}: bad latitude/longitude {lat!r}, {lon!r}") from None
            feature, seat = FEATURE_CODES[fcode]
            population = row[14] or "0"
            if feature == "village" and int(population or 0) >= 10_000:
                feature = "town"
            yield {
                "id": f"GN{gid}", "name": name,
                "alternate_names": ";".join(a for a in alternates.split(",") if a and a != name),
                "country": cc, "admin1": "", "admin2": "", "feature": feature, "latitude": lat, "longitude": lon,
                "population": population, "admin_seat": seat, "conflict_relevance": "0",
                "coord_source": f"GeoNames {path.name} (geonameid {gid}, CC-BY 4.0)", "notes": "",
            }


def build_local_index(files: Iterable[Path], out: Path, countries: Sequence[str] = ()) -> int:
    """Write the kept rows of GeoNames dumps to ``out`` (the supplement's CSV layout); returns the count."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    count = 0
    try:
        with tmp.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=SUPPLEMENT_COLUMNS)
            writer.writeheader()
            for path in files:
                for row in read_geonames(Path(path), countries):
                    writer.writerow(row)
                    count += 1
    except BaseException:
        tmp.unlink(missing_ok=True)  # the previous index stays as it was
        raise
    tmp.replace(out)
    return count
