"""Territorial control: the evidence behind zones, zones inferred from events, and changes between dates."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import box

from geo.tools.filters import zones_at
from geo.vocab import ARMED_GROUP_INTERS, FAMILY_PATTERNS, IS_SAHEL, JNIM, OTHER_ARMED, STATE, STATE_INTERS

if TYPE_CHECKING:  # the map's first run draws zones and their evidence without importing geopandas (and pyproj)
    import geopandas as gpd

EVIDENCE_FIELDS = ["event_id_cnty", "event_date", "location", "sub_event_type", "fatalities", "source"]


def zone_evidence(zones: pd.DataFrame, events: pd.DataFrame, limit: int = 8) -> dict[str, list[dict[str, Any]]]:
    """For each zone, the events inside it (and any it links by id), deadliest first, at most ``limit``.

    ``zones`` needs ``zone_id`` and a ``geometry`` column of shapely shapes (a GeoDataFrame or a plain frame).
    """
    if zones.empty:
        return {}
    points = shapely.points(events["longitude"].astype(float).to_numpy(), events["latitude"].astype(float).to_numpy())
    event_at, zone_at = shapely.STRtree(np.asarray(zones["geometry"], dtype=object)).query(points, predicate="within")
    joined = events[EVIDENCE_FIELDS].iloc[event_at].assign(zone_id=zones["zone_id"].to_numpy()[zone_at])
    out: dict[str, list[dict[str, Any]]] = {}
    for zone_id, group in joined.groupby("zone_id"):
        top = group.sort_values(["fatalities", "event_date"], ascending=[False, False]).head(limit)
        out[str(zone_id)] = top[EVIDENCE_FIELDS].to_dict("records")
    by_id = events.set_index("event_id_cnty")
    linked_events = zones.get("linked_events", pd.Series([()] * len(zones)))
    for zone_id, linked in zip(zones["zone_id"], linked_events, strict=True):
        for event_id in linked or ():
            if event_id in by_id.index and not any(e["event_id_cnty"] == event_id for e in out.get(zone_id, [])):
                row = by_id.loc[event_id]
                out.setdefault(zone_id, []).append({"event_id_cnty": event_id, **{
                    k: row[k] for k in EVIDENCE_FIELDS if k != "event_id_cnty"}})
    return out


# How much an event says about who holds ground: taking or retaking territory most.
WEIGHTS = {"Non-state actor overtakes territory": 5.0, "Government regains territory": 5.0,
           "Armed clash": 2.0, "Headquarters or base established": 3.0, "Attack": 1.0,
           "Abduction/forced disappearance": 1.0, "Remote explosive/landmine/IED": 1.5,
           "Air/drone strike": 1.0, "Shelling/artillery/missile attack": 1.0, "Looting/property destruction": 1.0}
DEFAULT_WEIGHT = 0.5
INFERENCE_METHOD = ("Inferred from the events in the window: a grid of {cell}° cells; each event weighs by type "
                    "(territory taken or regained 5, base established 3, armed clash 2, IED 1.5, others 1 or 0.5) "
                    "and counts for the armed actor that initiated it (actor1); the cell shows the actor with the "
                    "most weight, shaded by total weight. Not an assessment: a summary of recorded violence.")


def actor_families(actor: pd.Series, inter: pd.Series) -> pd.Series:
    """:func:`geo.vocab.actor_family` of each actor and ``inter`` code, vectorised."""
    name = actor.fillna("").astype(str)
    family = pd.Series(OTHER_ARMED, index=actor.index, dtype=object)
    family[inter.isin(STATE_INTERS)] = STATE
    family[name.str.contains(FAMILY_PATTERNS[IS_SAHEL])] = IS_SAHEL
    family[name.str.contains(FAMILY_PATTERNS[JNIM])] = JNIM  # JNIM wins when both are named, as in the scalar
    return family


def infer_zones(events: pd.DataFrame, cell_deg: float = 0.5) -> gpd.GeoDataFrame:
    """Grid cells with the dominant armed actor family and the weight of events behind it (vectorised)."""
    columns = ["row", "col", "family", "weight", "share", "events", "geometry"]
    armed = events[events["inter1"].isin([*STATE_INTERS, *ARMED_GROUP_INTERS])]
    import geopandas as gpd

    if armed.empty:
        return gpd.GeoDataFrame(columns=columns, geometry="geometry", crs="EPSG:4326")
    table = pd.DataFrame({
        "row": (armed["latitude"].astype(float) // cell_deg).astype(int),
        "col": (armed["longitude"].astype(float) // cell_deg).astype(int),
        "family": actor_families(armed["actor1"], armed["inter1"]),
        "weight": armed["sub_event_type"].map(WEIGHTS).fillna(DEFAULT_WEIGHT).astype(float),
    })
    by_family = table.groupby(["row", "col", "family"], as_index=False).agg(weight=("weight", "sum"),
                                                                              events=("weight", "size"))
    totals = by_family.groupby(["row", "col"])["weight"].transform("sum")
    counts = by_family.groupby(["row", "col"])["events"].transform("sum")
    by_family["share"] = by_family["weight"] / totals
    by_family["total"] = totals
    by_family["all_events"] = counts
    top = (by_family.sort_values(["weight", "family"], ascending=[False, True])
           .drop_duplicates(["row", "col"]).reset_index(drop=True))
    geometry = [box(c * cell_deg, r * cell_deg, (c + 1) * cell_deg, (r + 1) * cell_deg)
                for r, c in zip(top["row"], top["col"], strict=True)]
    return gpd.GeoDataFrame({"row": top["row"], "col": top["col"], "family": top["family"],
                             "weight": top["total"], "share": top["share"], "events": top["all_events"]},
                            geometry=geometry, crs="EPSG:4326")


# How far toward armed-group control a status goes, for comparing two dates.
RANK = {"government": 0, "contested": 1, "influence": 2, "blockade": 2, "control": 3}


def changes(zones: pd.DataFrame, before: date, after: date) -> gpd.GeoDataFrame:
    """Areas whose assessment differs between two dates: gained by armed groups, lost, or newly contested."""
    import geopandas as gpd

    a = zones_at(zones, before).set_index("area")
    b = zones_at(zones, after).set_index("area")
    rows = []
    for area in sorted(set(a.index) | set(b.index)):
        old = a.loc[area] if area in a.index else None
        new = b.loc[area] if area in b.index else None
        old_status = None if old is None else old["status"]
        new_status = None if new is None else new["status"]
        if old_status == new_status and (old is None or old["actor"] == new["actor"]):
            continue
        if new_status == "contested" and old_status != "contested":
            change = "newly contested"
        elif new_status is None:
            change = "no longer assessed"
        elif old_status is None or RANK[new_status] > RANK[old_status]:
            change = "gained by armed groups"
        elif RANK[new_status] < RANK[old_status]:
            change = "lost by armed groups"
        else:
            change = "changed hands"
        shape = (new if new is not None else old).geometry
        rows.append({"area": area, "before": _label(old), "after": _label(new), "change": change,
                     "geometry": shape})
    return gpd.GeoDataFrame(rows, columns=["area", "before", "after", "change", "geometry"], geometry="geometry",
                            crs="EPSG:4326")


def _label(row: pd.Series | None) -> str:
    if row is None:
        return "no assessment"
    return f"{row['status']} ({row['actor']})" if row["actor"] else str(row["status"])


def intensity_opacity(weight: pd.Series) -> np.ndarray:
    """Fill opacity 0.15-0.7 by the weight's rank, so a few huge cells don't wash out the rest."""
    if weight.empty:
        return np.array([])
    ranks = weight.rank(pct=True).to_numpy()
    return 0.15 + 0.55 * ranks
