"""Workflows shared by the pages and the command line: ingest reports, import a file, save a zone, save a view.

Plain functions over a :class:`~geo.storage.Store`; no Streamlit. A page shows what
they return, the CLI prints it, so both save the same way: one deduplication window,
one way to number a drawn zone, one way to place a saved view among the slides.
"""
from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from geo.io.acled import CHUNK_ROWS
from geo.io.load import ImportSummary, Progress, load_export
from geo.schema import ControlZone, Event, ValidationError, validate_zone
from geo.storage import Store
from geo.tools.dedup import Match, deduplicate
from geo.views import View
from geo.vocab import DEDUP_WINDOW_DAYS

if TYPE_CHECKING:  # the extraction package loads slowly; the map page never needs it
    from geo.extract.pipeline import Extraction
    from geo.extract.text import Report

# Two reports of one incident are at most this far apart in time (the vaguest date precision's window),
# so only stored events this close to a new event's date are compared with it, on the page and in the CLI.
DEDUP_WINDOW = timedelta(days=DEDUP_WINDOW_DAYS)


# -- reports -------------------------------------------------------------------------------------------------
def extract_report(report: Report, name: str, *, published: date | None = None, source: str | None = None,
                   countries: Sequence[str] | None = None) -> Extraction:
    """Events, places and control claims in one report.

    ``published`` (typed by the user) wins over the date the report states; ``source``
    defaults to the report's name; ``countries`` overrides the countries read from the text.
    """
    from geo.extract.pipeline import extract

    return extract(report.text, published=published or report.published, source=source or name, report=name,
                   country_codes=list(countries) if countries else None)


@dataclass(frozen=True)
class IngestPlan:
    """What saving new events would do: the events to write (new, or stored ones merged) and the matches."""

    events: tuple[Event, ...]
    to_save: tuple[Event, ...]
    matches: tuple[Match, ...]
    zones: tuple[ControlZone, ...] = ()
    undated: tuple[Event, ...] = field(default=())

    @property
    def merged(self) -> int:
        """How many new events are another report of a stored (or earlier new) event."""
        return len(self.matches)

    @property
    def new(self) -> int:
        """How many new events are new incidents."""
        return len(self.events) - len(self.matches)


def stored_neighbours(store: Store, events: Sequence[Event]) -> list[Event]:
    """The stored events that could be the same incident as one of ``events``: within :data:`DEDUP_WINDOW`."""
    dates = [e.event_date for e in events if e.event_date is not None]
    if not dates:
        return []
    return store.events(start=min(dates) - DEDUP_WINDOW, end=max(dates) + DEDUP_WINDOW)


def plan_ingest(store: Store, events: Iterable[Event], zones: Iterable[ControlZone] = ()) -> IngestPlan:
    """Deduplicate ``events`` against the stored events (and each other) without saving anything.

    Events without a date cannot be placed in time or matched: they are set aside in ``undated``.
    """
    events = list(events)
    dated = [e for e in events if e.event_date is not None]
    to_save, matches = deduplicate(dated, stored_neighbours(store, dated))
    return IngestPlan(events=tuple(dated), to_save=tuple(to_save), matches=tuple(matches), zones=tuple(zones),
                      undated=tuple(e for e in events if e.event_date is None))


def save_plan(store: Store, plan: IngestPlan) -> IngestPlan:
    """Write a plan's events and control zones in one transaction."""
    store.save(events=plan.to_save, zones=plan.zones)
    return plan


def ingest(store: Store, events: Iterable[Event], zones: Iterable[ControlZone] = ()) -> IngestPlan:
    """Deduplicate ``events`` against the stored events and save them with ``zones``, in one transaction."""
    return save_plan(store, plan_ingest(store, events, zones))


def ingest_reports(store: Store, reports: Sequence[tuple[str, Report]], *, published: date | None = None,
                   source: str | None = None) -> tuple[list[Extraction], IngestPlan]:
    """Extract every report, then save their dated events (merged with stored duplicates) and control claims.

    Returns each report's extraction (in order) and what was saved. Undated events
    are not saved (``plan.undated``); an undated report's control claims neither.
    """
    results = [extract_report(report, name, published=published, source=source) for name, report in reports]
    sources = [source or name for name, _ in reports]
    events = [e for result in results for e in result.events]
    zones = [z for result, src in zip(results, sources, strict=True) for z in result.zones(src)]
    return results, ingest(store, events, zones)


# -- imports -------------------------------------------------------------------------------------------------
def import_file(store: Store, data: bytes | BinaryIO, fmt: str = "auto",
                progress: Callable[[Progress], None] | None = None, *, name: str = "upload.csv",
                rejects: TextIO | None = None, chunk_rows: int = CHUNK_ROWS, user: str | None = None) -> ImportSummary:
    """Read an ACLED or UCDP export and save its valid rows (replacing events with the same ids), all or nothing.

    ``data`` is the file's bytes or a binary stream (read in chunks of ``chunk_rows`` rows, so a
    million-row file needs no more memory than a small one); ``name`` is the file's name as the user
    knows it.  Every rejected row (line, reason) is written to ``rejects`` as a CSV as the file is
    read; the summary keeps the first ones.  ``progress`` gets rows done, rows/s and time left after
    each chunk.  The import is recorded in the ``imports`` table (file name, SHA-256, counts, ``user``).

    Raises :class:`~geo.io.acled.ImportFormatError` for a file that is not an export (nothing read),
    :class:`~geo.errors.ImportFailed` when reading or saving fails part-way: nothing is saved.
    """
    stream = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    return load_export(store, stream, file_name=name, fmt=fmt, progress=progress, rejects=rejects,
                       chunk_rows=chunk_rows, user=user)


# -- control zones -------------------------------------------------------------------------------------------
def new_zone_id(taken: Iterable[str], now: datetime | None = None) -> str:
    """An id for a drawn zone: ``D`` and the UTC time to the second, with a suffix if that id is taken."""
    base = "D" + (now or datetime.now(UTC)).strftime("%Y%m%d%H%M%S")
    taken = set(taken)
    zone_id, n = base, 1
    while zone_id in taken:
        n += 1
        zone_id = f"{base}-{n}"
    return zone_id


def save_zone(store: Store, fields: Mapping[str, Any], *, zone_id: str | None = None, note: str = "",
              now: datetime | None = None, opened_version: int | None = None,
              author: str | None = None) -> ControlZone:
    """Validate and save a control assessment; a new one (no ``zone_id``) gets an id of its own.

    ``fields`` are :func:`~geo.schema.validate_zone`'s (area, status, actor, valid_from,
    valid_to, geometry, source, claimant, notes, linked_events, kind). The version is
    kept in the zone's history with ``note`` (default: "drawn" or "edited") and ``author``.
    ``opened_version`` is the version the edit started from: if someone saved the zone since,
    nothing is saved and :class:`~geo.storage.ZoneConflict` says who and when (two analysts
    editing one zone never overwrite each other).
    Raises :class:`~geo.schema.ValidationError` naming the bad field.
    """
    if fields.get("geometry") is None:
        raise ValidationError("geometry", "draw the zone on the map first")
    expected = None if opened_version is None else {zone_id: opened_version}
    if zone_id is None:
        zone_id = new_zone_id((z.zone_id for z in store.zones()), now)
        note = note or "drawn"
        expected = {zone_id: 0}  # new: refused if the id was taken in the meantime
    zone = validate_zone({**fields, "zone_id": zone_id})
    store.save(zones=[zone], note=note or "edited", expected=expected, author=author)
    return zone


# -- saved views ---------------------------------------------------------------------------------------------
def save_view(store: Store, view: View, *, name: str | None, title: str | None = None, notes: str | None = None,
              as_of: date | None = None) -> View:
    """Save ``view`` under ``name`` (replacing a view of that name, in its place among the slides).

    A new name goes after the other slides; the title defaults to the name.
    Raises :class:`~geo.schema.ValidationError` without a name.
    """
    name = (name or "").strip()
    if not name:
        raise ValidationError("name", "a saved view needs a name")
    existing = {v.name: v for v in store.views()}
    position = existing[name].position if name in existing else len(existing)
    saved = replace(view, name=name, title=(title or "").strip() or name, notes=(notes or "").strip(), as_of=as_of,
                    position=position)
    store.save_view(saved)
    return saved
