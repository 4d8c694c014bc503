"""The ``python -m geo`` command line."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

import sqlalchemy.exc

from geo.io.export import to_csv, to_geojson_text
from geo.schema import ValidationError
from geo.storage import open_store


def _export(args: argparse.Namespace) -> int:
    store = open_store(args.db)
    events = store.events()
    text = to_csv(events) if args.format == "csv" else to_geojson_text(events)
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        path = Path(args.output)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        print(f"wrote {len(events)} events to {path}", file=sys.stderr)
    return 0


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
                            description="Export every stored event as ACLED-layout CSV or as GeoJSON "
                                        "(with claims, abductions and provenance). A new database is "
                                        "created and loaded with the demo events first.")
    export.add_argument("--format", choices=("csv", "geojson"), default="csv", help="output format (default csv)")
    export.add_argument("-o", "--output", default=None, help="output file (default: standard output)")
    export.set_defaults(func=_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (sqlalchemy.exc.SQLAlchemyError, ValidationError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
