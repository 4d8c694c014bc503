from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo.schema import ACLED_COLUMNS
from tests.conftest import ROOT


def run(*args: str, env_db: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if env_db:
        env["CONFLICTMAP_DB"] = env_db
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=120)


@pytest.mark.parametrize("args", [["--help"], ["export", "--help"]])
def test_help(args: list[str]) -> None:
    out = run(*args)
    assert out.returncode == 0 and "usage: python -m geo" in out.stdout


def test_export_csv_to_stdout_creates_and_seeds_db(db_url: str) -> None:
    out = run("export", "--format", "csv", env_db=db_url)
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert list(rows[0]) == list(ACLED_COLUMNS)
    assert len(rows) == 10
    assert Path(db_url).exists()


def test_export_geojson_to_file(db_url: str, tmp_path: Path) -> None:
    target = tmp_path / "out.geojson"
    out = run("export", "--format", "geojson", "-o", str(target), env_db=db_url)
    assert out.returncode == 0, out.stderr
    data = json.loads(target.read_text(encoding="utf-8"))
    assert len(data["features"]) == 10
    assert any(f["properties"]["abduction"] for f in data["features"])


def test_bad_database_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    out = run("--db", str(tmp_path / "no" / "such" / "dir.sqlite"), "export")
    assert out.returncode == 1
    assert out.stderr.startswith("error:") and "Traceback" not in out.stderr


def test_unknown_format_is_rejected() -> None:
    out = run("export", "--format", "xlsx")
    assert out.returncode == 2 and "invalid choice" in out.stderr


def test_geocode_json_one_object_per_name_in_order() -> None:
    out = run("geocode", "--json", "Kayes", "Qzxwvut Pqrsmnl", "Mali–Senegal border")
    assert out.returncode == 0, out.stderr
    results = json.loads(out.stdout)
    assert [r["query"] for r in results] == ["Kayes", "Qzxwvut Pqrsmnl", "Mali–Senegal border"]
    keys = {"query", "name", "latitude", "longitude", "country", "admin1", "geo_precision", "feature", "source",
            "candidates"}
    assert all(set(r) == keys for r in results)
    assert results[0]["country"] == "ML" and results[0]["geo_precision"] == 1
    assert results[1]["latitude"] is None and results[1]["longitude"] is None and results[1]["candidates"] == []
    assert results[2]["geo_precision"] == 3


def test_geocode_country_hint_and_garbage() -> None:
    out = run("geocode", "--json", "--country", "SN", "Nioro", "x" * 10_000)
    assert out.returncode == 0
    results = json.loads(out.stdout)
    assert results[0]["country"] == "SN"
    assert results[1]["latitude"] is None
    assert "at most 300" in out.stderr and "Traceback" not in out.stderr


def test_gazetteer_build_from_geonames_dump(tmp_path: Path) -> None:
    fixture = ROOT / "tests" / "fixtures" / "geonames_small.txt"
    index = tmp_path / "index.csv"
    out = run("gazetteer", "build", "--countries", "ML,BF", "--out", str(index), str(fixture))
    assert out.returncode == 0, out.stderr
    assert "indexed 4 places" in out.stderr
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01 not geonames\n")
    out = run("gazetteer", "build", "--out", str(index), str(bad))
    assert out.returncode == 1 and out.stderr.startswith("error:") and "Traceback" not in out.stderr
    bad.write_bytes(b"\xff\xfe\x00binary")
    out = run("gazetteer", "build", "--out", str(index), str(bad))
    assert out.returncode == 1 and "not UTF-8" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize("args", [["geocode", "--help"], ["gazetteer", "build", "--help"]])
def test_more_help(args: list[str]) -> None:
    out = run(*args)
    assert out.returncode == 0 and "usage:" in out.stdout


REPORTS = ROOT / "data" / "reports"


def test_extract_json_for_one_file() -> None:
    out = run("extract", "--json", "--published", "2025-07-01",
              str(REPORTS / "2025-07-01_western_mali_offensive_en.txt"))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) >= {"places", "events"}
    assert any(e["location"] == "Kayes" and e["fatalities"] == 80 for e in data["events"])
    assert all({"claims", "abducted", "evidence"} <= set(e) for e in data["events"])


def test_ingest_merges_duplicates_and_prints_a_summary(db_url: str) -> None:
    en = str(REPORTS / "2025-07-01_western_mali_offensive_en.txt")
    fr = str(REPORTS / "2025-07-02_mali_attaques_coordonnees_fr.txt")
    first = run("ingest", en, env_db=db_url)
    assert first.returncode == 0, first.stderr
    second = run("ingest", fr, env_db=db_url)
    assert second.returncode == 0, second.stderr
    assert "merged with an existing event" in second.stdout and "merged into" in second.stdout


def test_ingesting_the_same_report_again_adds_nothing(db_url: str) -> None:
    report = str(REPORTS / "2025-09-05_kayes_nioro_blockade_en.txt")
    first = run("ingest", report, env_db=db_url)
    assert first.returncode == 0, first.stderr
    assert "2 events extracted, 0 merged with an existing event, 2 new" in first.stdout
    assert "12 events stored" in first.stdout
    second = run("ingest", report, env_db=db_url)
    assert second.returncode == 0, second.stderr
    assert "2 events extracted, 2 merged with an existing event, 0 new" in second.stdout
    assert "12 events stored" in second.stdout


UNDATED_REPORT = ("Gunmen burn a health post near Gao\n\nArmed men on motorbikes burned the health post of a "
                  "village near Gao on Friday, residents said. Two nurses were killed.\n")


def test_extract_takes_the_date_the_report_states(tmp_path: Path) -> None:
    report = tmp_path / "gao.txt"
    report.write_text("Gunmen burn a health post near Gao\nPublished 7 March 2025\n\n"
                      + UNDATED_REPORT.split("\n\n", 1)[1], encoding="utf-8")
    out = run("extract", "--json", str(report))
    assert out.returncode == 0, out.stderr
    assert "no publication date" not in out.stderr
    dates = {e["event_date"] for e in json.loads(out.stdout)["events"]}
    assert dates <= {"2025-03-07"}  # "on Friday" of a report published on Friday 7 March 2025
    given = json.loads(run("extract", "--json", "--published", "2025-03-14", str(report)).stdout)
    assert {e["event_date"] for e in given["events"]} <= {"2025-03-14"}  # --published wins


def test_extract_without_a_publication_date_says_so_and_never_uses_today(tmp_path: Path) -> None:
    report = tmp_path / "undated.txt"
    report.write_text(UNDATED_REPORT, encoding="utf-8")
    out = run("extract", "--json", str(report))
    assert out.returncode == 0, out.stderr
    assert ("undated.txt: no publication date in the report; relative dates are left unresolved; give --published"
            in out.stderr)
    data = json.loads(out.stdout)
    assert set(data) >= {"places", "events"}
    with_date = run("extract", "--json", "--published", "2025-03-10", str(report))
    assert "no publication date" not in with_date.stderr


def test_undated_events_are_not_ingested(db_url: str, tmp_path: Path) -> None:
    from datetime import date

    report = tmp_path / "undated.txt"
    report.write_text(UNDATED_REPORT, encoding="utf-8")
    out = run("ingest", str(report), env_db=db_url)
    assert out.returncode == 0, out.stderr
    assert "no publication date" in out.stderr and "without a date are not saved" in out.stderr
    from geo.storage import open_store

    assert all(e.event_date != date.today() for e in open_store(db_url).events())


BAD_REPORTS = {"empty": (b"", "empty"), "binary": (b"\x00\x01\x02\x03" * 100, "binary"),
               "oversized": (b"a" * 2_000_001, "limit")}


@pytest.mark.parametrize("kind", sorted(BAD_REPORTS))
def test_bad_report_files_fail_cleanly_and_save_nothing(db_url: str, tmp_path: Path, kind: str) -> None:
    content, message = BAD_REPORTS[kind]
    run("export", env_db=db_url)  # creates and seeds the database
    good = REPORTS / "2025-06-03_timbuktu_boulkessi_en.html"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    out = run("ingest", str(good), str(bad), env_db=db_url)
    assert out.returncode == 1 and message in out.stderr and "Traceback" not in out.stderr
    assert run("export", env_db=db_url).stdout.count("\n") == 11  # still the 10 demo events


def test_missing_report_file() -> None:
    out = run("extract", "/no/such/report.txt")
    assert out.returncode == 1 and "no such file" in out.stderr


@pytest.mark.parametrize("args", [["extract", "--help"], ["ingest", "--help"]])
def test_extract_help(args: list[str]) -> None:
    out = run(*args)
    assert out.returncode == 0 and "usage:" in out.stdout


def test_import_cli_reports_rejections_and_is_idempotent(db_url: str, tmp_path: Path) -> None:
    bad = ROOT / "tests" / "fixtures" / "acled" / "bad_rows.csv"
    rejected = tmp_path / "rejected.csv"
    out = run("import", "--rejected", str(rejected), str(bad), env_db=db_url)
    assert out.returncode == 0, out.stderr
    assert "1 events imported, 4 rows rejected" in out.stdout and "line 2: event_date" in out.stdout
    assert rejected.read_text(encoding="utf-8").count("\n") == 5
    again = run("import", str(bad), env_db=db_url)
    assert "11 events stored" in again.stdout  # 10 demo events + 1, not 12


def test_import_rejects_a_non_export() -> None:
    out = run("import", str(ROOT / "README.md"))
    assert out.returncode == 1 and "not an ACLED or UCDP" in out.stderr and "Traceback" not in out.stderr


def test_export_geopackage(db_url: str, tmp_path: Path) -> None:
    target = tmp_path / "events.gpkg"
    out = run("export", "--format", "gpkg", "-o", str(target), env_db=db_url)
    assert out.returncode == 0, out.stderr
    assert target.stat().st_size > 0
    assert run("export", "--format", "gpkg", env_db=db_url).returncode == 1


def test_export_kml_shapefile_and_csv_sidecar(db_url: str, tmp_path: Path) -> None:
    import zipfile

    import pyogrio

    assert run("export", "--format", "kml", "-o", str(tmp_path / "e.kml"), env_db=db_url).returncode == 0
    assert pyogrio.read_info(tmp_path / "e.kml")["features"] == 10
    assert run("export", "--format", "shp", "-o", str(tmp_path / "e.zip"), env_db=db_url).returncode == 0
    assert "Window: all dates" in zipfile.ZipFile(tmp_path / "e.zip").read("README.txt").decode("utf-8")
    out = run("export", "--format", "csv", "-o", str(tmp_path / "e.csv"), env_db=db_url)
    assert out.returncode == 0 and "e.csv.metadata.json" in out.stderr
    assert json.loads((tmp_path / "e.csv.metadata.json").read_text(encoding="utf-8"))["events"] == 10
    assert "-o FILE.zip" in run("export", "--format", "shp", env_db=db_url).stderr


# -- issue 13: users and the audit trail ----------------------------------------------------------------------
def test_users_add_list_and_remove_as_the_local_user(db_url: str) -> None:
    env = {"CONFLICTMAP_USER": "fatou"}
    os.environ.update(env)
    try:
        added = run("users", "add", "Ed@Example.org", "--role", "Editor", env_db=db_url)
        assert added.returncode == 0, added.stderr
        assert added.stdout == "ed@example.org: editor (added)\n"
        assert run("users", "add", "ed@example.org", "--role", "analyst", env_db=db_url).stdout == (
            "ed@example.org: analyst (was editor)\n")
        listed = run("users", "list", env_db=db_url)
        assert listed.stdout.startswith("ed@example.org\tanalyst\tadded by fatou at 20")
        bad = run("users", "add", "not-an-email", "--role", "editor", env_db=db_url)
        assert bad.returncode == 1 and bad.stderr == "error: email: “not-an-email” is not an email address\n"
        removed = run("users", "remove", "ed@example.org", env_db=db_url)
        assert removed.stdout == "ed@example.org: removed (was analyst); signed in, they are a viewer\n"
        assert run("users", "list", env_db=db_url).stdout == ""
        trail = run("audit", "--user", "fatou", "--kind", "user", env_db=db_url)
        lines = [line for line in trail.stdout.splitlines() if not line.startswith("\t")]
        assert [line.split("\t")[1:4] for line in lines] == [["fatou", "user_role", "user ed@example.org"]] * 2 + [
            ["fatou", "user_remove", "user ed@example.org"]]
        assert "\t\trole: editor -> analyst" in trail.stdout
    finally:
        for key in env:
            os.environ.pop(key)


def test_ingest_saves_drafts_and_audit_prints_an_events_record(db_url: str) -> None:
    report = str(REPORTS / "2025-09-05_kayes_nioro_blockade_en.txt")
    out = run("ingest", report, env_db=db_url)
    assert out.returncode == 0 and "saved as drafts for review" in out.stdout
    exported = run("export", "--format", "csv", env_db=db_url)
    assert len(list(csv.DictReader(io.StringIO(exported.stdout)))) == 10  # drafts are not exported
    trail = json.loads(run("audit", "--json", "--since", "2000-01-01", env_db=db_url).stdout)
    ingested = [e for e in trail if e["action"] == "ingest" and e["kind"] == "event"]
    assert len(ingested) == 2 and {e["after"]["review_status"] for e in ingested} == {"draft"}
    one = ingested[0]["object_id"]
    only = run("audit", "--event", one, env_db=db_url)
    assert only.returncode == 0 and only.stdout.count("\tingest\tevent " + one) == 1
    assert "\t\tcreated (draft)" in only.stdout
    assert run("audit", "--since", "31-12-2025", env_db=db_url).returncode == 2  # not a date: argparse refuses
