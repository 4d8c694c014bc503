"""Rebuild data/admin1_sahel.geojson, the Sahel admin-1 regions (Natural Earth, public domain).

Source: Natural Earth 10m admin-1 states and provinces, as shipped by Debian's
``qgis-common`` package (``/usr/share/qgis/resources/data/world_map.gpkg``,
layer ``states_provinces``), or any file GDAL reads with the same attributes.

    apt-get install -y qgis-common
    python data/build_boundaries.py [--source PATH] [--layer states_provinces]
"""
from __future__ import annotations

import argparse
from pathlib import Path

import geopandas as gpd

HERE = Path(__file__).resolve().parent
COUNTRIES = ("ML", "BF", "NE", "MR", "SN")
QGIS_GPKG = "/usr/share/qgis/resources/data/world_map.gpkg"


def build(source: str, layer: str | None, out: Path, tolerance: float = 0.01) -> int:
    """Read admin-1 polygons, keep the Sahel countries, simplify and write GeoJSON."""
    kwargs = {"layer": layer} if layer and source.endswith(".gpkg") else {}
    frame = gpd.read_file(source, encoding="utf-8", **kwargs)
    frame.columns = [c.lower() if c != "geometry" else c for c in frame.columns]
    frame = frame[frame["iso_a2"].isin(COUNTRIES)][["iso_a2", "admin", "name", "geometry"]]
    frame = frame.sort_values(["iso_a2", "name"]).reset_index(drop=True)
    frame["geometry"] = frame.geometry.simplify(tolerance, preserve_topology=True).make_valid()
    frame.set_crs("EPSG:4326", allow_override=True).to_file(out, driver="GeoJSON", COORDINATE_PRECISION=4)
    return len(frame)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", default=QGIS_GPKG)
    ap.add_argument("--layer", default="states_provinces")
    ap.add_argument("--out", type=Path, default=HERE / "admin1_sahel.geojson")
    args = ap.parse_args()
    print(f"wrote {build(args.source, args.layer, args.out)} regions to {args.out}")


if __name__ == "__main__":
    main()
