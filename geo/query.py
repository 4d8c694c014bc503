"""What a view shows, asked of the database: headline figures, grid cells, busy cells, the weekly trend and the
ids of the events to draw.

The pages used to hold every event in a pandas frame per server process and filter it
there (494 MiB at 100,000 events). These functions send a view's window and filters to
SQL instead, so the process fetches only aggregates and, below the marker limit, the rows
actually drawn (issue 15). Each answer matches the in-memory function it replaces
(:func:`geo.tools.filters.view_events`, :func:`geo.tools.briefing.people_abducted`,
:func:`geo.layers.grid_cells`, :func:`geo.layers.focus`), which the tests check on
both backends.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import shapely
import sqlalchemy as sa

from geo.schema import ABDUCTION_SUB_EVENT
from geo.storage import PUBLISHED, Statuses, Store, abductions_table, events_table, window_conditions
from geo.views import View

E = events_table.c
LIKE_ESCAPE = "\\"


def _listed(column: sa.ColumnElement, name: str) -> sa.ColumnElement[bool]:
    """``name`` is one of the ``;``-separated names in ``column`` (spaces around the separators ignored)."""
    padded = ";" + sa.func.replace(sa.func.replace(sa.func.coalesce(column, ""), "; ", ";"), " ;", ";") + ";"
    escaped = name.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")
    return padded.like(f"%;{escaped};%", escape=LIKE_ESCAPE)


def conditions(view: View, *, statuses: Statuses = PUBLISHED, postgis: bool = False,
               abductions: bool | None = None) -> list[sa.ColumnElement[bool]]:
    """WHERE clauses for the events ``view`` shows: its window, actors, event types and countries.

    An actor matches as actor 1, actor 2 or one of the associated actors, as
    :func:`geo.tools.filters.filter_events` does. ``abductions`` True keeps only the
    abductions layer's events, False only the others, None both. A view pinned "as of" a
    date shows the events as they were published then, rebuilt from the audit trail by
    :meth:`~geo.storage.Store.frame`: it is not asked of these queries (ValueError).
    """
    if view.as_of is not None:
        raise ValueError("a pinned view's events are rebuilt from the audit trail: read them with Store.frame(as_of=)")
    where = window_conditions(view.start, view.end, None, postgis=postgis, statuses=statuses)
    if view.actors:
        actors = list(view.actors)
        where.append(sa.or_(E.actor1.in_(actors), E.actor2.in_(actors),
                            *[_listed(column, a) for a in actors for column in (E.assoc_actor_1, E.assoc_actor_2)]))
    if view.types:
        where.append(E.event_type.in_(list(view.types)))
    if view.countries:
        where.append(E.country.in_(list(view.countries)))
    if abductions is True:
        where.append(E.sub_event_type == ABDUCTION_SUB_EVENT)
    elif abductions is False:
        where.append(E.sub_event_type != ABDUCTION_SUB_EVENT)
    return where


@dataclass(frozen=True)
class Headline:
    """The figures above the map: events, conservative fatalities and people abducted in the view."""

    events: int
    fatalities: int
    abducted: int
    attacks: int  # the events not in the abductions layer (markers or grid cells)
    abductions: int


def headline(store: Store, view: View, *, statuses: Statuses = PUBLISHED) -> Headline:
    """The view's figures in two aggregate queries (no event row leaves the database)."""
    where = conditions(view, statuses=statuses, postgis=store.postgis)
    is_abduction = sa.case((E.sub_event_type == ABDUCTION_SUB_EVENT, 1), else_=0)
    with store.engine.connect() as conn:
        events, fatalities, abductions = conn.execute(
            sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(E.fatalities), 0),
                      sa.func.coalesce(sa.func.sum(is_abduction), 0)).where(*where)).one()
        abducted = conn.execute(_abducted(view, statuses, store.postgis)).scalar_one()
    return Headline(events=int(events), fatalities=int(fatalities), abducted=int(abducted),
                    attacks=int(events) - int(abductions), abductions=int(abductions))


def _abducted(view: View, statuses: Statuses, postgis: bool) -> sa.Select:
    """People taken in the view's abductions: a sum over the (small) abductions table, each row's event
    looked up by its key (a join would walk every event in the window)."""
    a = abductions_table.c
    wanted = (sa.select(sa.literal(1)).where(E.event_id_cnty == a.event_id_cnty,
                                             *conditions(view, statuses=statuses, postgis=postgis, abductions=True))
              .correlate(abductions_table))
    return sa.select(sa.func.coalesce(sa.func.sum(a["count"]), 0)).where(wanted.exists())


def event_ids(store: Store, view: View, *, statuses: Statuses = PUBLISHED, abductions: bool | None = None,
              limit: int | None = None) -> list[str]:
    """Ids of the view's events in date order (at most ``limit``): the rows to fetch and draw as markers."""
    query = (sa.select(E.event_id_cnty).where(*conditions(view, statuses=statuses, postgis=store.postgis,
                                                          abductions=abductions))
             .order_by(E.event_date, E.event_id_cnty))
    if limit is not None:
        query = query.limit(limit)
    with store.engine.connect() as conn:
        return list(conn.execute(query).scalars())


def _cell(column: sa.ColumnElement, cell_deg: float, postgis: bool) -> sa.ColumnElement[int]:
    """The grid row (latitude) or column (longitude) of ``cell_deg`` degrees: floor(value / cell_deg).

    Computed on the rounded quotient, as numpy's ``floor(a / b)``: a point exactly on a cell edge
    (16.0 with 0.1° cells) may land one cell off from Python's exact ``16.0 // 0.1`` (159).
    """
    ratio = column / cell_deg
    if postgis:
        return sa.cast(sa.func.floor(ratio), sa.Integer)
    # SQLite may lack floor(); its CAST truncates toward zero, so step down one below zero when not whole
    truncated = sa.cast(ratio, sa.Integer)
    return truncated - sa.case((ratio < truncated, 1), else_=0)


def cell_counts(store: Store, view: View, cell_deg: float, *, statuses: Statuses = PUBLISHED,
                abductions: bool | None = None, extent: bool = False) -> pd.DataFrame:
    """Events per (``row``, ``col``, ``sub_event_type``) cell of ``cell_deg`` degrees, with their fatalities.

    With ``extent`` also each group's ``south``, ``west``, ``north`` and ``east`` (its events' extremes). One
    grouped pass over the covering index of migration 0007 (date, status, position, type, fatalities).
    """
    row, col = _cell(E.latitude, cell_deg, store.postgis), _cell(E.longitude, cell_deg, store.postgis)
    extremes = [sa.func.min(E.latitude).label("south"), sa.func.min(E.longitude).label("west"),
                sa.func.max(E.latitude).label("north"), sa.func.max(E.longitude).label("east")] if extent else []
    query = (sa.select(row.label("row"), col.label("col"), E.sub_event_type, sa.func.count().label("events"),
                       sa.func.coalesce(sa.func.sum(E.fatalities), 0).label("fatalities"), *extremes)
             .where(*conditions(view, statuses=statuses, postgis=store.postgis, abductions=abductions))
             .group_by(row, col, E.sub_event_type))
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    frame = pd.DataFrame(rows, columns=["row", "col", "sub_event_type", "events", "fatalities",
                                        *(["south", "west", "north", "east"] if extent else [])])
    return frame.astype({"row": int, "col": int, "events": int, "fatalities": int})


def coarsen(counts: pd.DataFrame, factor: int) -> pd.DataFrame:
    """:func:`cell_counts` of cells ``factor`` times larger (rows and columns floor-divided), summed."""
    if factor == 1:
        return counts
    out = counts.assign(row=counts["row"] // factor, col=counts["col"] // factor)
    return out.groupby(["row", "col", "sub_event_type"], as_index=False)[["events", "fatalities"]].sum()


def grid_cells(counts: pd.DataFrame, cell_deg: float) -> pd.DataFrame:
    """:func:`geo.layers.grid_cells`'s table from :func:`cell_counts`: events, fatalities, main type and centre."""
    cells = counts.groupby(["row", "col"]).agg(events=("events", "sum"), fatalities=("fatalities", "sum"))
    main = (counts.sort_values(["events", "sub_event_type"], ascending=[False, True])
            .drop_duplicates(["row", "col"]).set_index(["row", "col"])["sub_event_type"].rename("main_type"))
    cells = cells.join(main).reset_index()
    cells["latitude"] = (cells["row"] + 0.5) * cell_deg
    cells["longitude"] = (cells["col"] + 0.5) * cell_deg
    return cells


def grid(store: Store, view: View, cell_deg: float = 0.25, max_cells: int = 1500, *,
         statuses: Statuses = PUBLISHED, abductions: bool | None = None) -> tuple[pd.DataFrame, float]:
    """The view's events on the smallest power-of-two multiple of ``cell_deg`` with at most ``max_cells`` cells.

    One query at ``cell_deg``; larger cells are summed from it. Returns the cells
    (:func:`grid_cells`'s columns) and their size in degrees.
    """
    return _grow(cell_counts(store, view, cell_deg, statuses=statuses, abductions=abductions), cell_deg, max_cells)


def _grow(counts: pd.DataFrame, cell_deg: float, max_cells: int) -> tuple[pd.DataFrame, float]:
    counts = counts[["row", "col", "sub_event_type", "events", "fatalities"]]
    factor = 1
    while counts[["row", "col"]].drop_duplicates().shape[0] > max_cells:
        factor *= 2
        counts = coarsen(counts, 2)
    return grid_cells(counts, cell_deg * factor), cell_deg * factor


def focus_cells(store: Store, view: View, cell_deg: float, *, statuses: Statuses = PUBLISHED,
                limit: int = 200) -> tuple[list[list[float]] | None, list[list[float]]]:
    """The view's bounds ``[[south, west], [north, east]]`` (None without events) and its ``limit`` busiest cells
    of ``cell_deg`` degrees as ``[lat, lon, count]`` (centres, busiest first): :func:`geo.layers.focus`'s input.
    The same grouped pass as :func:`map_data`'s."""
    counts = cell_counts(store, view, cell_deg, statuses=statuses, extent=True)
    return _bounds(counts), _busiest(counts, cell_deg, limit)


def _bounds(counts: pd.DataFrame) -> list[list[float]] | None:
    """The extremes of :func:`cell_counts`'s groups (with ``extent``) as ``[[south, west], [north, east]]``."""
    if counts.empty:
        return None
    return [[round(float(counts["south"].min()), 4), round(float(counts["west"].min()), 4)],
            [round(float(counts["north"].max()), 4), round(float(counts["east"].max()), 4)]]


def weekly(store: Store, view: View, *, statuses: Statuses = PUBLISHED) -> pd.DataFrame:
    """Events and fatalities per week (``week`` = the Monday starting it) in the view, oldest first."""
    week = _week(store)
    query = (sa.select(week.label("week"), sa.func.count().label("events"),
                       sa.func.coalesce(sa.func.sum(E.fatalities), 0).label("fatalities"))
             .where(*conditions(view, statuses=statuses, postgis=store.postgis)).group_by(week).order_by(week))
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    frame = pd.DataFrame(rows, columns=["week", "events", "fatalities"])
    frame["week"] = pd.to_datetime(frame["week"]).dt.tz_localize(None).dt.normalize()
    return frame.astype({"events": int, "fatalities": int})


def date_bounds(store: Store, *, statuses: Statuses = PUBLISHED) -> tuple[date, date] | None:
    """The first and last event dates stored (the timeline's ends), or None without events."""
    where = window_conditions(None, None, None, statuses=statuses)
    with store.engine.connect() as conn:
        first, last = conn.execute(sa.select(sa.func.min(E.event_date), sa.func.max(E.event_date))
                                   .where(*where)).one()
    return None if first is None else (pd.Timestamp(first).date(), pd.Timestamp(last).date())


def actor_names(store: Store, *, statuses: Statuses = PUBLISHED) -> list[str]:
    """Every actor named anywhere (actor 1, actor 2, associated actors), sorted: the actor filter's choices.

    The distinct values come from SQL; only associated-actor lists are split here.
    """
    where = window_conditions(None, None, None, statuses=statuses)
    names: set[str] = set()
    with store.engine.connect() as conn:
        for column in (E.actor1, E.actor2):
            names.update(conn.execute(sa.select(column).where(*where).distinct()).scalars())
        for column in (E.assoc_actor_1, E.assoc_actor_2):
            for listed in conn.execute(sa.select(column).where(*where, column.is_not(None), column != "").distinct()
                                       ).scalars():
                names.update(part.strip() for part in listed.split(";"))
    return sorted(n for n in names if n)


def country_names(store: Store, *, statuses: Statuses = PUBLISHED) -> list[str]:
    """The countries of the stored events, sorted: the country filter's choices."""
    where = window_conditions(None, None, None, statuses=statuses)
    with store.engine.connect() as conn:
        names = conn.execute(sa.select(E.country).where(*where, E.country.is_not(None)).distinct()).scalars()
        return sorted(n for n in names if n)


EVIDENCE_PAGE = 64  # candidates read per query while looking for a zone's deadliest events inside it


def zone_evidence(store: Store, view: View, zones: pd.DataFrame, limit: int = 8, *,
                  statuses: Statuses = PUBLISHED) -> dict[str, list[dict[str, Any]]]:
    """:func:`geo.tools.zones.zone_evidence` of the view's events, asked of the database zone by zone.

    For each zone the events in its bounding box come deadliest first, a page at a time,
    until ``limit`` of them lie inside its outline; events the zone links by id follow.
    """
    from geo.tools.zones import EVIDENCE_FIELDS

    columns = [E[f] for f in EVIDENCE_FIELDS]
    out: dict[str, list[dict[str, Any]]] = {}
    with store.engine.connect() as conn:
        for zone_id, geometry, linked in zip(zones["zone_id"], zones["geometry"],
                                             zones.get("linked_events", pd.Series([()] * len(zones))), strict=True):
            west, south, east, north = geometry.bounds
            where = [*conditions(view, statuses=statuses, postgis=store.postgis),
                     E.latitude.between(south, north), E.longitude.between(west, east)]
            query = (sa.select(*columns, E.latitude, E.longitude).where(*where)
                     .order_by(E.fatalities.desc(), E.event_date.desc(), E.event_id_cnty))
            found: list[dict[str, Any]] = []
            offset = 0
            while len(found) < limit:
                rows = conn.execute(query.limit(EVIDENCE_PAGE).offset(offset)).all()
                inside = shapely.contains_xy(geometry, [r.longitude for r in rows], [r.latitude for r in rows])
                found += [_evidence(r) for r, hit in zip(rows, inside, strict=True) if hit][:limit - len(found)]
                if len(rows) < EVIDENCE_PAGE:
                    break
                offset += EVIDENCE_PAGE
            listed = {e["event_id_cnty"] for e in found}
            wanted = [i for i in dict.fromkeys(linked or ()) if i not in listed]
            if wanted:
                rows = {r.event_id_cnty: r for r in conn.execute(sa.select(*columns).where(
                    *conditions(view, statuses=statuses, postgis=store.postgis), E.event_id_cnty.in_(wanted)))}
                found += [_evidence(rows[i]) for i in wanted if i in rows]
            if found:
                out[str(zone_id)] = found
    return out


def _evidence(row: sa.Row) -> dict[str, Any]:
    from geo.tools.zones import EVIDENCE_FIELDS

    record = {f: getattr(row, f) for f in EVIDENCE_FIELDS}
    record["event_date"] = pd.Timestamp(record["event_date"])
    return record


@dataclass(frozen=True)
class MapData:
    """What the map draws for a view, read from the database.

    ``events`` holds the rows of the layers drawn as markers (each of attacks and
    abductions with at most the marker limit); a layer over the limit is in ``cells``
    instead, as its grid cells and their size in degrees. ``bounds`` and ``dense`` are
    :func:`focus_cells`'s, for fitting the map and placing the legend.
    """

    headline: Headline
    events: pd.DataFrame
    cells: dict[str, tuple[pd.DataFrame, float]]
    bounds: list[list[float]] | None
    dense: list[list[float]]


def map_data(store: Store, view: View, *, max_markers: int, cell_deg: float = 0.25, max_cells: int = 1500,
             dense: int = 200, statuses: Statuses = PUBLISHED) -> MapData:
    """The view's headline, the rows of its marker layers and the grid cells of the others (see :class:`MapData`).

    One grouped pass over the view's events gives the figures, both layers' cells, the
    bounds and the ``dense`` busiest ``cell_deg`` cells; then at most ``2 × max_markers``
    event rows are read, however many the view holds.
    """
    counts = cell_counts(store, view, cell_deg, statuses=statuses, extent=True)
    taken = counts["sub_event_type"].eq(ABDUCTION_SUB_EVENT)
    abducted = 0
    if taken.any():
        with store.engine.connect() as conn:
            abducted = int(conn.execute(_abducted(view, statuses, store.postgis)).scalar_one())
    figures = Headline(events=int(counts["events"].sum()), fatalities=int(counts["fatalities"].sum()),
                       abducted=abducted, attacks=int(counts.loc[~taken, "events"].sum()),
                       abductions=int(counts.loc[taken, "events"].sum()))
    ids: list[str] = []
    cells: dict[str, tuple[pd.DataFrame, float]] = {}
    for layer, rows, count in (("attacks", ~taken, figures.attacks), ("abductions", taken, figures.abductions)):
        if count > max_markers:
            cells[layer] = _grow(counts[rows], cell_deg, max_cells)
        elif count:
            ids += event_ids(store, view, statuses=statuses, abductions=layer == "abductions")
    return MapData(figures, store.frame(ids=ids, statuses=statuses), cells, _bounds(counts),
                   _busiest(counts, cell_deg, dense))


@dataclass(frozen=True)
class Choices:
    """What the sidebar offers: the timeline's ends (None without events), the actors and the countries."""

    bounds: tuple[date, date] | None
    actors: tuple[str, ...]
    countries: tuple[str, ...]


def choices(store: Store, *, statuses: Statuses = PUBLISHED) -> Choices:
    """The sidebar's choices for the stored events, from SQL (distinct values and the date range)."""
    return Choices(date_bounds(store, statuses=statuses), tuple(actor_names(store, statuses=statuses)),
                   tuple(country_names(store, statuses=statuses)))


def frame_choices(frame: pd.DataFrame) -> Choices:
    """:func:`choices` of an events frame (a pinned view's events, as published on its date)."""
    from geo.tools.filters import actor_options

    bounds = None if frame.empty else (frame["event_date"].min().date(), frame["event_date"].max().date())
    return Choices(bounds, tuple(actor_options(frame)), tuple(sorted(frame["country"].dropna().unique())))


def frame_map_data(frame: pd.DataFrame, view: View, *, max_markers: int, cell_deg: float = 0.25,
                   max_cells: int = 1500, dense: int = 200) -> MapData:
    """:func:`map_data` computed from an events frame in memory: for a view pinned "as of" a date, whose events
    are rebuilt from the audit trail (:meth:`~geo.storage.Store.frame`), not read by the queries above."""
    from geo.tools.briefing import people_abducted
    from geo.tools.filters import split_layers, view_events

    selected = view_events(frame, view)
    attacks, taken = split_layers(selected)
    figures = Headline(events=len(selected), fatalities=int(selected["fatalities"].sum()),
                       abducted=people_abducted(selected), attacks=len(attacks), abductions=len(taken))
    lat = selected["latitude"].astype(float)
    lon = selected["longitude"].astype(float)
    counts = (pd.DataFrame({"row": (lat / cell_deg).map(math.floor), "col": (lon / cell_deg).map(math.floor),
                            "sub_event_type": selected["sub_event_type"].astype(str),
                            "fatalities": selected["fatalities"].astype(int), "lat": lat, "lon": lon})
              .groupby(["row", "col", "sub_event_type"], as_index=False)
              .agg(events=("fatalities", "size"), fatalities=("fatalities", "sum"), south=("lat", "min"),
                   west=("lon", "min"), north=("lat", "max"), east=("lon", "max")))
    counts = counts.astype({"row": int, "col": int})
    cells: dict[str, tuple[pd.DataFrame, float]] = {}
    shown = []
    for layer, part, is_taken in (("attacks", attacks, False), ("abductions", taken, True)):
        if len(part) > max_markers:
            cells[layer] = _grow(counts[counts["sub_event_type"].eq(ABDUCTION_SUB_EVENT) == is_taken], cell_deg,
                                 max_cells)
        else:
            shown.append(part)
    events = pd.concat(shown) if shown else selected.iloc[0:0]
    return MapData(figures, events, cells, _bounds(counts), _busiest(counts, cell_deg, dense))


def _busiest(counts: pd.DataFrame, cell_deg: float, dense: int) -> list[list[float]]:
    per_cell = counts.groupby(["row", "col"], as_index=False)["events"].sum().sort_values(
        ["events", "row", "col"], ascending=[False, True, True]).head(dense)
    return [[round((r + 0.5) * cell_deg, 3), round((c + 0.5) * cell_deg, 3), int(n)]
            for r, c, n in zip(per_cell["row"], per_cell["col"], per_cell["events"], strict=True)]


ACTOR_COLUMNS = ("actor1", "inter1", "assoc_actor_1", "actor2", "inter2", "assoc_actor_2")


def actor_groups(store: Store, view: View, *, statuses: Statuses = PUBLISHED) -> pd.DataFrame:
    """The view's events grouped by week and the actors they name, with their count (``events``) and summed
    ``fatalities``: what :func:`geo.tools.trends.actor_weekly` and ``top_actors`` need, a row per group
    instead of per event (``event_date`` is the week's Monday)."""
    week = _week(store)
    columns = [E[c] for c in ACTOR_COLUMNS]
    query = (sa.select(week.label("event_date"), *columns, sa.func.count().label("events"),
                       sa.func.coalesce(sa.func.sum(E.fatalities), 0).label("fatalities"))
             .where(*conditions(view, statuses=statuses, postgis=store.postgis)).group_by(week, *columns))
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    frame = pd.DataFrame(rows, columns=["event_date", *ACTOR_COLUMNS, "events", "fatalities"])
    frame["event_date"] = pd.to_datetime(frame["event_date"]).dt.tz_localize(None).dt.normalize()
    return frame.astype({"events": int, "fatalities": int})


def _week(store: Store) -> sa.ColumnElement:
    """The Monday starting each event's week."""
    if store.postgis:
        return sa.func.date_trunc("week", E.event_date)
    return sa.func.date(E.event_date, "-6 days", "weekday 1")


def briefing_headline(store: Store, view: View, *, statuses: Statuses = PUBLISHED):  # noqa: ANN201
    """:func:`geo.tools.briefing.headline` of the view, in SQL: events, conservative fatalities, the highest
    total the killing claims support, people abducted and places attacked.

    A claim repeated on several events (same claimant, metric, source and qualifier) counts once, at its
    largest value; events without a killing claim add their coded fatalities.
    """
    from geo.storage import claims_table
    from geo.tools.briefing import Headline as BriefingHeadline

    figures = headline(store, view, statuses=statuses)
    where = conditions(view, statuses=statuses, postgis=store.postgis)
    c = claims_table.c
    killing = [c.value.is_not(None), c.metric.like("%killed")]
    has_killing = (sa.select(sa.literal(1)).where(c.event_id_cnty == E.event_id_cnty, *killing)
                   .correlate(events_table).exists())
    distinct = (sa.select(sa.func.max(c.value).label("value")).select_from(claims_table.join(events_table))
                .where(*where, *killing).group_by(c.claimant, c.metric, c.source, c.qualifier).subquery())
    with store.engine.connect() as conn:
        places = conn.execute(sa.select(sa.func.count(sa.distinct(E.location))).where(
            *conditions(view, statuses=statuses, postgis=store.postgis, abductions=False))).scalar_one()
        unclaimed = conn.execute(sa.select(sa.func.coalesce(sa.func.sum(E.fatalities), 0))
                                 .where(*where, ~has_killing)).scalar_one()
        claimed = conn.execute(sa.select(sa.func.coalesce(sa.func.sum(distinct.c.value), 0))).scalar_one()
    return BriefingHeadline(events=figures.events, fatalities=figures.fatalities,
                            fatalities_claimed_high=max(int(unclaimed) + int(claimed), figures.fatalities),
                            abducted=figures.abducted, places_attacked=int(places))


def positions(store: Store, view: View, *, statuses: Statuses = PUBLISHED) -> pd.DataFrame:
    """The view's events as ``latitude``, ``longitude`` and ``fatalities`` only: what counting them per region
    needs (:func:`geo.regions.region_counts`), about 24 bytes an event where a full events frame holds kilobytes."""
    query = sa.select(E.latitude, E.longitude, E.fatalities).where(
        *conditions(view, statuses=statuses, postgis=store.postgis))
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    frame = pd.DataFrame(rows, columns=["latitude", "longitude", "fatalities"])
    return frame.astype({"latitude": float, "longitude": float, "fatalities": int})
