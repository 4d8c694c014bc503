"""The ``python -m geo`` command line.

The command line acts as the local user (:func:`geo.access.local_user`: every role, named by
``$CONFLICTMAP_USER`` or the login name), as the app does without sign-in: whoever can run it can
open the database anyway. What it writes is in the audit trail under that name; ``ingest`` saves
drafts, like the Reports page, for an editor to review.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import sqlalchemy.exc
from geopy.exc import GeocoderQueryError

from geo.access import local_user
from geo.errors import readable
from geo.extract.text import Report, ReportError
from geo.io.acled import CHUNK_ROWS, ImportFormatError
from geo.io.export import to_csv, to_geojson_text
from geo.io.geonames import GeoNamesFormatError
from geo.schema import ValidationError
from geo.storage import open_store


def _export(args: argparse.Namespace) -> int:
    from geo.io import export

    store = open_store(args.db)
    events = store.events()
    info = export.export_info(events)
    if args.format in ("gpkg", "kml", "shp"):
        if args.output in (None, "-"):
            raise ReportError(f"--format {args.format} writes a file: give -o FILE.{args.format.replace('shp', 'zip')}")
        path = Path(args.output)
        writer = {"gpkg": export.to_geopackage, "kml": export.to_kml, "shp": export.to_shapefile_zip}[args.format]
        writer(events, path, info=info)
        print(f"wrote {len(events)} events to {args.output}", file=sys.stderr)
        return 0
    text = to_csv(events) if args.format == "csv" else to_geojson_text(events, info)
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        path = Path(args.output)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        sidecar = f" and its metadata to {export.write_sidecar(path, info, 'CSV')}" if args.format == "csv" else ""
        print(f"wrote {len(events)} events to {path}{sidecar}", file=sys.stderr)
    return 0


GEOCODE_FIELDS = ("name", "latitude", "longitude", "country", "admin1", "geo_precision", "feature", "source")


def _geocode(args: argparse.Namespace) -> int:
    from geo.geocoder import GazetteerGeocoder

    geocoder = GazetteerGeocoder(country_codes=args.country)
    results = []
    for name in args.names:
        try:
            location = geocoder.geocode(name)
        except GeocoderQueryError as exc:
            print(f"error: {name[:60]!r}: {exc}", file=sys.stderr)
            location = None
        if location is None:
            results.append({"query": name, **dict.fromkeys(GEOCODE_FIELDS), "candidates": []})
            continue
        raw = location.raw
        results.append({"query": name, **{k: raw[k] for k in GEOCODE_FIELDS}, "candidates": raw["candidates"]})
    if args.json:
        json.dump(results, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for r in results:
            if r["latitude"] is None:
                print(f"{r['query']}\tnot found")
            else:
                others = len(r["candidates"]) - 1
                more = f"\t({others} other candidates)" if others > 0 else ""
                print(f"{r['query']}\t{r['name']}, {r['country']}\t{r['latitude']:.4f}, {r['longitude']:.4f}"
                      f"\tprecision {r['geo_precision']}\t{r['feature']}{more}")
    return 0


def _gazetteer_build(args: argparse.Namespace) -> int:
    from geo.gazetteer import SHIPPED, local_index_path
    from geo.io.geonames import SAHEL_DUMPS, build_local_index, dump_files

    files = dump_files([Path(f) for f in args.files])
    if args.out:
        out = Path(args.out)
    else:
        out = local_index_path() if args.files else SHIPPED
    countries = [c.strip().upper() for c in args.countries.split(",") if c.strip()] if args.countries else []
    if not args.files and not args.countries:
        countries = list(SAHEL_DUMPS)
    count = build_local_index(files, out, countries)
    print(f"indexed {count} places from {len(files)} file(s) into {out}", file=sys.stderr)
    return 0


def _read_reports(paths: list[str]) -> list[tuple[Path, Report]]:
    from geo.extract.text import read_report

    out = []
    for name in paths:
        path = Path(name)
        if not path.is_file():
            raise ReportError(f"{name}: no such file")
        out.append((path, read_report(path.read_bytes(), path.name)))
    return out


def _published(value: str | None, path: Path | None = None, report: Report | None = None) -> date | None:
    """The --published date, else the one the report states; else None (never today), with a notice."""
    from geo.schema import parse_date

    if value:
        return parse_date(value, "--published")
    if report is not None and report.published is not None:
        return report.published
    if path is not None:
        print(f"{path.name}: no publication date in the report; relative dates are left unresolved; "
              "give --published", file=sys.stderr)
    return None


def _extract(args: argparse.Namespace) -> int:
    from geo.services import extract_report

    reports = _read_reports(args.files)
    results = [extract_report(report, path.name, published=_published(args.published, path, report),
                              source=args.source).to_json() for path, report in reports]
    if args.json:
        json.dump(results[0] if len(results) == 1 else results, sys.stdout, ensure_ascii=False, indent=1,
                  default=str)
        sys.stdout.write("\n")
    else:
        for (path, _), result in zip(reports, results, strict=True):
            print(f"{path.name}: {len(result['events'])} events, {len(result['places'])} place mentions")
            for e in result["events"]:
                print(f"  {e['event_date'] or 'undated':<10}  {e['sub_event_type']:<32} {e['location']:<40} "
                      f"fatalities {e['fatalities']}")
    return 0


def _ingest(args: argparse.Namespace) -> int:
    from geo.services import ingest_reports

    reports = _read_reports(args.files)  # every file is read and checked before anything is saved
    published = _published(args.published)
    for path, report in reports:
        _published(args.published, path, report)  # says so when a report has no date
    store = open_store(args.db)
    results, plan = ingest_reports(store, [(path.name, report) for path, report in reports], published=published,
                                   source=args.source, user=local_user())
    for (path, _), result in zip(reports, results, strict=True):
        undated = sum(1 for e in result.events if e.event_date is None)
        if undated:
            print(f"{path.name}: {undated} event(s) without a date are not saved; give --published or add them "
                  "on the Reports page", file=sys.stderr)
        if result.control and result.published is None:
            print(f"{path.name}: control claims are not saved without a publication date; give --published",
                  file=sys.stderr)
    print(f"{len(reports)} report(s): {len(plan.events)} events extracted, {plan.merged} merged with an "
          f"existing event, {plan.new} new; {len(plan.zones)} control assessment(s) added; "
          f"{store.count()} events stored; saved as drafts for review")
    for match in plan.matches:
        print(f"  merged into {match.existing}: {match.reason}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from geo.errors import ImportFailed
    from geo.services import import_file

    path = Path(args.file)
    if not path.is_file():
        raise ReportError(f"{args.file}: no such file")
    store = open_store(args.db)
    tty = sys.stderr.isatty()

    def progress(p) -> None:  # noqa: ANN001 - geo.io.load.Progress
        # a terminal sees one line updated in place; a log or a pipe one line per chunk
        print(f"\r{path.name}: {p.text()}\033[K" if tty else f"{path.name}: {p.text()}", end="" if tty else "\n",
              file=sys.stderr, flush=True)

    with contextlib.ExitStack() as stack:
        rejects = stack.enter_context(open(args.rejected, "w", encoding="utf-8", newline="")) if args.rejected else None
        stream = stack.enter_context(path.open("rb"))
        try:
            result = import_file(store, stream, args.format, progress, name=path.name, rejects=rejects,
                                 chunk_rows=args.chunk_rows)
        except ImportFailed as exc:
            if tty:
                print(file=sys.stderr)
            print(f"error: {exc}", file=sys.stderr)
            if rejects is not None:
                print(f"(the rejected rows read until then are in {args.rejected})", file=sys.stderr)
            return 1
    if tty:
        print(file=sys.stderr)
    print(f"{path.name} ({result.format}): {result.rows} rows, {result.imported} events imported, "
          f"{result.rejected_count} rows rejected in {result.seconds:.1f} s ({result.rate:,.0f} rows/s); "
          f"{store.count()} events stored")
    if result.rejected_count:
        if args.rejected:
            print(f"rejected rows and reasons written to {args.rejected}")
        for line, reason in result.rejected[:10]:
            print(f"  line {line}: {reason}")
        if result.rejected_count > 10:
            print(f"  ... {result.rejected_count - 10} more" + ("" if args.rejected else
                                                               " (use --rejected FILE for all)"))
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="python -m geo",
        description="Conflict Map: conflict events from reports, stored, mapped and exported offline.",
    )
    parser.add_argument("--db", default=None,
                        help="database path or SQLAlchemy URL (default: $CONFLICTMAP_DB, else conflictmap.sqlite)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    export = sub.add_parser("export", help="export every stored event",
                            description="Export every stored event as ACLED-layout CSV, as GeoJSON or GeoPackage "
                                        "(with claims, abductions and provenance), as KML, or as a zipped "
                                        "Shapefile. Each names its dates and sources in its metadata (CSV: in "
                                        "FILE.metadata.json beside it). A new database is created and loaded "
                                        "with the demo events first.")
    export.add_argument("--format", choices=("csv", "geojson", "gpkg", "kml", "shp"), default="csv",
                        help="output format (default csv; gpkg, kml and shp (a .zip) need -o)")
    export.add_argument("-o", "--output", default=None, help="output file (default: standard output)")
    export.set_defaults(func=_export)

    imp = sub.add_parser("import", help="import an ACLED or UCDP GED export",
                         description="Import an ACLED export (current or older layouts, monadic or dyadic, old or "
                                     "new taxonomy) or a UCDP GED CSV. Bad rows are rejected with their line and "
                                     "reason; re-importing a file adds no duplicates. The file is read in chunks "
                                     "(rows per second and time left on standard error) and saved in one "
                                     "transaction: if the import fails or is stopped, nothing is saved.")
    imp.add_argument("--format", choices=("auto", "acled", "ucdp"), default="auto", help="file format (default auto)")
    imp.add_argument("--rejected", default=None, metavar="FILE", help="write rejected rows and reasons to this CSV")
    imp.add_argument("--chunk-rows", type=_positive, default=CHUNK_ROWS, metavar="N",
                     help=f"rows read, checked and written at a time (default {CHUNK_ROWS:,}); memory grows with it")
    imp.add_argument("file", metavar="FILE")
    imp.set_defaults(func=_import)

    geocode = sub.add_parser("geocode", help="look place names up in the offline gazetteer",
                             description="Geocode place names offline. Unknown names get null coordinates.")
    geocode.add_argument("--country", default=None, help="country hint(s), ISO2, comma-separated (e.g. ML)")
    geocode.add_argument("--json", action="store_true", help="print a JSON list, one object per name, in order")
    geocode.add_argument("names", nargs="+", metavar="NAME")
    geocode.set_defaults(func=_geocode)

    gazetteer = sub.add_parser("gazetteer", help="manage the gazetteer",
                               description="Manage the offline gazetteer.")
    gsub = gazetteer.add_subparsers(dest="gazetteer_command", required=True, metavar="ACTION")
    build = gsub.add_parser("build", help="build the gazetteer's GeoNames extract or a local index",
                            description="Compile GeoNames country dumps (the standard tab-separated geoname "
                                        "table, e.g. ML.txt). With no FILE: the shipped extract "
                                        "data/geonames_sahel.tsv.gz from the ML, BF, NE, MR and SN dumps in "
                                        "../shared/reference/geonames. With FILEs (dumps, or folders of "
                                        "XX.txt dumps): the local index ($CONFLICTMAP_GAZETTEER, default "
                                        "local/gazetteer.csv). An --out ending in .csv gets the curated "
                                        "supplement's CSV layout, any other the extract's tab-separated one "
                                        "(.gz: gzipped).")
    build.add_argument("--countries", default="", help="keep only these ISO2 codes, comma-separated (e.g. ML,BF,NE; "
                                                       "default: all, or the five Sahel dumps with no FILE)")
    build.add_argument("--out", default=None, help="file to write (default: the shipped extract with no FILE, "
                                                   "else the local index)")
    build.add_argument("files", nargs="*", metavar="FILE")
    build.set_defaults(func=_gazetteer_build)

    for name, func, text in (
            ("extract", _extract, "extract events from reports and print them (nothing is saved)"),
            ("ingest", _ingest, "extract events from reports and save them, merging duplicates")):
        cmd = sub.add_parser(name, help=text, description=text[0].upper() + text[1:] +
                             ". Reports are .txt or .html files in English or French.")
        cmd.add_argument("--published", default=None, help="publication date, YYYY-MM-DD (default: the date the "
                                                            "report states, e.g. its HTML metadata, Published "
                                                            "line or dateline); relative dates resolve against "
                                                            "it and stay unresolved without it")
        cmd.add_argument("--source", default=None, help="source name for the events (default: the file name)")
        if name == "extract":
            cmd.add_argument("--json", action="store_true", help="print JSON: {places, events, control} per file")
        cmd.add_argument("files", nargs="+", metavar="FILE")
        cmd.set_defaults(func=func)

    dbcmd = sub.add_parser("db", help="the database's schema version: upgrade it, or show it",
                           description="Schema versions (Alembic migrations in geo/migrations). The app and the "
                                       "other commands upgrade a SQLite file when they open it.")
    dbsub = dbcmd.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    dbsub.add_parser("upgrade", help="upgrade the database to the newest revision (a new one is created empty)"
                     ).set_defaults(func=_db)
    dbsub.add_parser("current", help="print the database's revision ('none' before versions)").set_defaults(func=_db)
    copy = dbsub.add_parser("copy", help="copy every row of one database into a new one (SQLite <-> PostgreSQL)",
                            description="Copy events, claims, abductions, provenance, control zones, zone history "
                                        "and saved views from SRC into DST, which must be empty (it is created or "
                                        "upgraded first), in one transaction; prints the rows of each table. SRC "
                                        "and DST are SQLite paths or SQLAlchemy URLs.")
    copy.add_argument("source", metavar="SRC")
    copy.add_argument("target", metavar="DST")
    copy.set_defaults(func=_db)

    users = sub.add_parser("users", help="who may do what when sign-in is on: add, list or remove users",
                           description="Roles of signed-in users (viewer < analyst < editor). An analyst can "
                                       "ingest, import and save drafts; an editor can also review, publish, edit "
                                       "zones and manage views and users. A signed-in user not listed is a viewer. "
                                       "The command line acts as the local user (every role).")
    usub = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = usub.add_parser("add", help="give EMAIL a role (or change it)")
    add.add_argument("email", metavar="EMAIL")
    add.add_argument("--role", required=True, type=str.lower, choices=("viewer", "analyst", "editor"))
    add.set_defaults(func=_users)
    usub.add_parser("list", help="every listed user and role").set_defaults(func=_users)
    remove = usub.add_parser("remove", help="forget EMAIL's role (a viewer again)")
    remove.add_argument("email", metavar="EMAIL")
    remove.set_defaults(func=_users)

    audit = sub.add_parser("audit", help="print the audit trail: who changed what, when and why",
                           description="Print the audit trail, oldest first: time (UTC), user, action, what, the "
                                       "reason, and the fields that changed. Every write is recorded (an import as "
                                       "one entry).")
    audit.add_argument("--since", type=_since, default=None, metavar="D",
                       help="from this date (YYYY-MM-DD, UTC) or time (YYYY-MM-DDTHH:MM)")
    audit.add_argument("--user", default=None, metavar="U", help="only what this user did (email or login name)")
    audit.add_argument("--event", default=None, metavar="ID", help="only this event's changes")
    audit.add_argument("--kind", default=None, choices=("event", "zone", "view", "user", "case", "bulk"),
                       help="only changes to this kind of thing")
    audit.add_argument("--id", default=None, help="only changes to the thing with this id (with --kind)")
    audit.add_argument("--json", action="store_true", help="print JSON with the whole values before and after")
    audit.set_defaults(func=_audit)
    return parser


def _users(args: argparse.Namespace) -> int:
    from geo import services

    store = open_store(args.db)
    if args.users_command == "add":
        before = services.set_user_role(store, args.email, args.role, user=local_user())
        email = args.email.strip().lower()
        print(f"{email}: {args.role.lower()}" + (f" (was {before})" if before else " (added)"))
    elif args.users_command == "remove":
        before = services.remove_user(store, args.email, user=local_user())
        email = args.email.strip().lower()
        print(f"{email}: removed (was {before}); signed in, they are a viewer" if before else
              f"{email} was not listed (a viewer when signed in)")
    else:
        users = store.users()
        for email, role, added_by, added_at in users:
            print(f"{email}\t{role}\tadded by {added_by or 'unknown'} at {_when(added_at)}")
        if not users:
            print("no users listed: with sign-in on, everyone is a viewer; add one with "
                  "`python -m geo users add EMAIL --role editor`", file=sys.stderr)
    return 0


def _when(seconds: int | None) -> str:
    from geo.storage import when_text

    return when_text(seconds)


def _since(text: str) -> int:
    """A --since date (YYYY-MM-DD, from its start in UTC) or time (YYYY-MM-DDTHH:MM), as seconds since the epoch."""
    from datetime import UTC, datetime

    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-07-01 (or 2025-07-01T09:30)") from None
    return int((value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp())


def _audit(args: argparse.Namespace) -> int:
    store = open_store(args.db)
    kind = "event" if args.event else args.kind
    entries = store.audit(since=args.since, user=args.user, kind=kind, object_id=args.event or args.id)
    if args.json:
        json.dump([{"id": e.id, "at": _when(e.at), "user": e.user, "action": e.action, "kind": e.kind,
                    "object_id": e.object_id, "reason": e.reason, "before": e.before, "after": e.after}
                   for e in entries], sys.stdout, ensure_ascii=False, indent=1, default=str)
        sys.stdout.write("\n")
        return 0
    from geo.audit import describe

    for e in entries:
        what = f"{e.kind} {e.object_id}" if e.object_id else e.kind
        reason = f" - {e.reason}" if e.reason else ""
        print(f"{_when(e.at)}\t{e.user}\t{e.action}\t{what}{reason}")
        for line in describe(e.before, e.after):
            print(f"\t\t{line}")
    if not entries:
        print("no audit entries match", file=sys.stderr)
    return 0


def _db(args: argparse.Namespace) -> int:
    from geo import db

    if args.db_command == "copy":
        from geo.storage import copy_database

        source, target = db.database_url(args.source), db.database_url(args.target)
        counts = copy_database(source, target)
        print(f"copied {db.shown(source)} to {db.shown(target)}")
        for table, read, written in counts:
            print(f"  {table:<14} {read:>8} rows{'' if read == written else f' (target has {written}!)'}")
        return 0 if all(read == written for _, read, written in counts) else 1
    url = db.database_url(args.db)
    if args.db_command == "upgrade":
        done = db.upgrade(url)
        print(f"{db.shown(url)}: " + (f"at revision {done.after} already" if done.before == done.after else
                                      f"upgraded from revision {done.before or 'none'} to {done.after}"))
    else:
        revision = db.current(url)
        print(f"{revision or 'none'}{' (head)' if revision == db.head() else ''}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (sqlalchemy.exc.SQLAlchemyError, ValidationError, GeoNamesFormatError, ReportError, ImportFormatError,
            OSError) as exc:
        reason = readable(exc) if isinstance(exc, sqlalchemy.exc.SQLAlchemyError) else str(exc)
        print(f"error: {reason}", file=sys.stderr)
        return 1
