"""Workflows shared by the pages and the command line: ingest reports, import a file, save a zone, save a view,
review drafts (publish, edit and publish, retract), manage users.

Plain functions over a :class:`~geo.storage.Store`; no Streamlit. A page shows what
they return, the CLI prints it, so both save the same way: one deduplication window,
one way to number a drawn zone, one way to place a saved view among the slides.

Every function that writes takes the acting ``user`` (:class:`geo.access.User`) and checks
their role first (:func:`geo.access.require`), so a crafted request cannot do what a page
hides: :class:`~geo.access.PermissionDenied` says who may.  Reports ingested by analysts
are saved as drafts; an editor publishes them.  Every write is in the audit trail.
"""
from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from geo import access
from geo.access import User
from geo.schema import ControlZone, Event, ValidationError, validate_zone
from geo.storage import AuditEntry, ReviewState, Store
from geo.views import View
from geo.vocab import DEDUP_WINDOW_DAYS

if TYPE_CHECKING:  # imported where used: the map's first run (via the sidebar's saved views) needs none of them
    from geo.extract.pipeline import Extraction  # the extraction package loads slowly
    from geo.extract.text import Report
    from geo.io.load import ImportSummary, Progress
    from geo.tools.dedup import Match

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
    # every status: a second report of a draft (or of a retracted event) merges into it rather than duplicating it
    return store.events(start=min(dates) - DEDUP_WINDOW, end=max(dates) + DEDUP_WINDOW, statuses=None)


def plan_ingest(store: Store, events: Iterable[Event], zones: Iterable[ControlZone] = ()) -> IngestPlan:
    """Deduplicate ``events`` against the stored events (and each other) without saving anything.

    Events without a date cannot be placed in time or matched: they are set aside in ``undated``.
    """
    from geo.tools.dedup import deduplicate

    events = list(events)
    dated = [e for e in events if e.event_date is not None]
    to_save, matches = deduplicate(dated, stored_neighbours(store, dated))
    return IngestPlan(events=tuple(dated), to_save=tuple(to_save), matches=tuple(matches), zones=tuple(zones),
                      undated=tuple(e for e in events if e.event_date is None))


def save_plan(store: Store, plan: IngestPlan, *, user: User) -> IngestPlan:
    """Write a plan's events and control zones as drafts, in one transaction (an analyst or editor may).

    A stored event a new report merges into becomes a draft again: its figures changed and wait for review.
    """
    access.require(user, "ingest")
    store.save(events=plan.to_save, zones=plan.zones, status="draft", author=user.who, action="ingest")
    return plan


def ingest(store: Store, events: Iterable[Event], zones: Iterable[ControlZone] = (), *, user: User) -> IngestPlan:
    """Deduplicate ``events`` against the stored events and save them with ``zones`` as drafts, in one transaction."""
    access.require(user, "ingest")
    return save_plan(store, plan_ingest(store, events, zones), user=user)


def ingest_reports(store: Store, reports: Sequence[tuple[str, Report]], *, user: User, published: date | None = None,
                   source: str | None = None) -> tuple[list[Extraction], IngestPlan]:
    """Extract every report, then save their dated events (merged with stored duplicates) and control claims.

    Returns each report's extraction (in order) and what was saved (as drafts). Undated events
    are not saved (``plan.undated``); an undated report's control claims neither.
    """
    access.require(user, "ingest")
    results = [extract_report(report, name, published=published, source=source) for name, report in reports]
    sources = [source or name for name, _ in reports]
    events = [e for result in results for e in result.events]
    zones = [z for result, src in zip(results, sources, strict=True) for z in result.zones(src)]
    return results, ingest(store, events, zones, user=user)


# -- imports -------------------------------------------------------------------------------------------------
def import_file(store: Store, data: bytes | BinaryIO, fmt: str = "auto",
                progress: Callable[[Progress], None] | None = None, *, name: str = "upload.csv",
                rejects: TextIO | None = None, chunk_rows: int | None = None,
                user: User | None = None) -> ImportSummary:
    """Read an ACLED or UCDP export and save its valid rows (replacing events with the same ids), all or nothing.

    ``data`` is the file's bytes or a binary stream (read in chunks of ``chunk_rows`` rows, by default
    :data:`geo.io.acled.CHUNK_ROWS`, so a million-row file needs no more memory than a small one);
    ``name`` is the file's name as the user knows it.  Every rejected row (line, reason) is written to
    ``rejects`` as a CSV as the file is read; the summary keeps the first ones.  ``progress`` gets rows
    done, rows/s and time left after each chunk.  The import is recorded in the ``imports`` table (file
    name, SHA-256, counts, ``user``).

    Raises :class:`~geo.io.acled.ImportFormatError` for a file that is not an export (nothing read),
    :class:`~geo.errors.ImportFailed` when reading or saving fails part-way: nothing is saved.
    """
    from geo.io.acled import CHUNK_ROWS
    from geo.io.load import load_export

    user = access.require(user if user is not None else access.local_user(), "import")  # issue 13: role check
    stream = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    summary = load_export(store, stream, file_name=name, fmt=fmt, progress=progress, rejects=rejects,
                          chunk_rows=CHUNK_ROWS if chunk_rows is None else chunk_rows, user=user.who)
    store.analyze()  # the planner's statistics, for the map's reads of what was imported (geo.query)
    return summary


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


def zone_save_status(store: Store, user: User, zone_id: str | None) -> tuple[str, str]:
    """(the action :func:`save_zone` needs, the review status it saves) for ``user`` saving zone ``zone_id``.

    An editor's zones are published; an analyst may draw new zones and edit drafts, saved as drafts.
    """
    if user.can("edit_zone"):
        return "edit_zone", "published"
    state = store.zone_states([zone_id]).get(zone_id) if zone_id is not None else None
    return ("draft" if state is None or state.status == "draft" else "edit_zone"), "draft"


def save_zone(store: Store, fields: Mapping[str, Any], *, user: User, zone_id: str | None = None, note: str = "",
              now: datetime | None = None, opened_version: int | None = None) -> ControlZone:
    """Validate and save a control assessment; a new one (no ``zone_id``) gets an id of its own.

    ``fields`` are :func:`~geo.schema.validate_zone`'s (area, status, actor, valid_from,
    valid_to, geometry, source, claimant, notes, linked_events, kind). The version is
    kept in the zone's history with ``note`` (default: "drawn" or "edited") and the user.
    An editor's save is published; an analyst's new zone, or edit of a draft, is a draft
    (:func:`zone_save_status`); an analyst cannot change a published zone.
    ``opened_version`` is the version the edit started from: if someone saved the zone since,
    nothing is saved and :class:`~geo.storage.ZoneConflict` says who and when (two analysts
    editing one zone never overwrite each other).
    Raises :class:`~geo.schema.ValidationError` naming the bad field, or
    :class:`~geo.access.PermissionDenied`.
    """
    action, status = zone_save_status(store, user, zone_id)
    access.require(user, action)
    if fields.get("geometry") is None:
        raise ValidationError("geometry", "draw the zone on the map first")
    expected = None if opened_version is None else {zone_id: opened_version}
    if zone_id is None:
        zone_id = new_zone_id((z.zone_id for z in store.zones(statuses=None)), now)
        note = note or "drawn"
        expected = {zone_id: 0}  # new: refused if the id was taken in the meantime
    zone = validate_zone({**fields, "zone_id": zone_id})
    store.save(zones=[zone], note=note or "edited", expected=expected, author=user.who, status=status,
               action="edit_zone" if status == "published" else "draft", reason=note, reviewed=status == "published")
    return zone


# -- saved views ---------------------------------------------------------------------------------------------
def save_view(store: Store, view: View, *, user: User, name: str | None, title: str | None = None,
              notes: str | None = None, as_of: date | None = None) -> View:
    """Save ``view`` under ``name`` (replacing a view of that name, in its place among the slides).

    A new name goes after the other slides; the title defaults to the name. An analyst may save
    a new view; replacing one needs an editor.
    Raises :class:`~geo.schema.ValidationError` without a name, :class:`~geo.access.PermissionDenied`.
    """
    access.require(user, "save_view")
    name = (name or "").strip()
    if not name:
        raise ValidationError("name", "a saved view needs a name")
    existing = {v.name: v for v in store.views()}
    if name in existing:
        access.require(user, "manage_views")
    position = existing[name].position if name in existing else len(existing)
    saved = replace(view, name=name, title=(title or "").strip() or name, notes=(notes or "").strip(), as_of=as_of,
                    position=position)
    store.save_view(saved, author=user.who)
    return saved


def delete_view(store: Store, name: str, *, user: User) -> None:
    """Delete a saved view (an editor may)."""
    access.require(user, "manage_views")
    store.delete_view(name, author=user.who)


# -- hostage cases -------------------------------------------------------------------------------------------
def save_case(store: Store, case: Any, *, user: User) -> None:  # noqa: ANN401 - geo.cases.Case (imported lazily)
    """Save a hostage case with its history, e.g. after linking a report's hostage news to it (an analyst may)."""
    access.require(user, "ingest")
    store.save_case(case, author=user.who)


# -- review: drafts, publish, edit and publish, retract ------------------------------------------------------
@dataclass(frozen=True)
class QueueItem:
    """A draft waiting for review: the event (or zone), its state, and the audit row that last saved it."""

    kind: str
    item: Event | ControlZone
    state: ReviewState
    saved: AuditEntry | None


def review_queue(store: Store) -> list[QueueItem]:
    """The drafts (events, then zones), oldest saved first, each with the audit row of its last save."""
    items = [QueueItem("event", e, s, None) for e, s in store.events_with_state(statuses=("draft",))]
    items += [QueueItem("zone", z, s, None) for z, s in store.zones_with_state(statuses=("draft",))]
    last = {kind: store.last_changes(kind, [_id(i) for i in items if i.kind == kind]) for kind in ("event", "zone")}
    out = [replace(i, saved=last[i.kind].get(_id(i))) for i in items]
    return sorted(out, key=lambda i: (i.state.saved_at or 0, i.kind, _id(i)))


def _id(item: QueueItem) -> str:
    return item.item.event_id_cnty if isinstance(item.item, Event) else item.item.zone_id


def publish(store: Store, kind: str, ids: Sequence[str], *, user: User, expected: Mapping[str, int] | None = None,
            reason: str = "") -> int:
    """Publish drafts (or put back a retracted item): ``kind`` "event" or "zone". An editor may.

    ``expected``: the versions the editor reviewed; if someone saved one since, nothing is published and
    :class:`~geo.storage.EditConflict` says who and when.
    """
    access.require(user, "publish")
    return store.set_status(kind, ids, "published", author=user.who, action="publish", reason=reason.strip(),
                            expected=expected)


def retract(store: Store, kind: str, ids: Sequence[str], *, user: User, reason: str,
            expected: Mapping[str, int] | None = None) -> int:
    """Retract events or zones (drafts or published): they leave the map but stay in the audit trail. An editor
    may, and must say why."""
    access.require(user, "retract")
    if not (reason or "").strip():
        raise ValidationError("reason", "say why it is retracted (kept in the audit trail)")
    return store.set_status(kind, ids, "retracted", author=user.who, action="retract", reason=reason.strip(),
                            expected=expected)


def edit_and_publish(store: Store, event: Event, *, user: User, opened_version: int, reason: str = "") -> Event:
    """Save an editor's corrected version of a stored event and publish it, in one transaction.

    ``opened_version`` is the version the editor opened; if someone saved the event since, nothing is
    saved and :class:`~geo.storage.EventConflict` names who and when.
    """
    access.require(user, "publish")
    store.save(events=[event], status="published", author=user.who, action="edit_publish", reason=reason.strip(),
               reviewed=True, expected_events={event.event_id_cnty: opened_version})
    return event


def history(store: Store, kind: str, object_id: str) -> list[AuditEntry]:
    """Every audited change to one event or zone, oldest first."""
    return store.audit(kind=kind, object_id=object_id)


# -- users ---------------------------------------------------------------------------------------------------
def user_for(store: Store, email: str, name: str | None = None) -> User:
    """The signed-in user ``email`` with the role the store keeps for them (a viewer when it names none)."""
    return access.signed_in_user(email, name, store.user_role(access.normalise_email(email)))


def set_user_role(store: Store, email: str, role: str, *, user: User) -> str | None:
    """Give ``email`` a role (viewer, analyst, editor); returns the role before (None: a new user). An editor may."""
    access.require(user, "manage_users")
    return store.set_user(access.normalise_email(email), access.parse_role(role).label, author=user.who)


def remove_user(store: Store, email: str, *, user: User) -> str | None:
    """Forget ``email``'s role (they are a viewer again); returns the role they had. An editor may."""
    access.require(user, "manage_users")
    return store.remove_user(access.normalise_email(email), author=user.who)
