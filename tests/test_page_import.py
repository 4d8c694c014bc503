"""AppTest for the Import page: a real upload through AppTest's file_uploader, saved, with the rejected rows listed."""
from __future__ import annotations

from geo.storage import open_store
from tests.conftest import ROOT, open_page

FIXTURES = ROOT / "tests" / "fixtures" / "acled"


def test_import_page_renders_and_asks_for_a_file(db_url: str) -> None:
    at = open_page("pages/import.py")
    assert at.title[0].value == "Import"
    next(b for b in at.button if b.label == "Import").click().run()
    assert "Choose a CSV export" in at.error[0].value


def test_import_reads_saves_and_lists_rejections(db_url: str) -> None:
    at = open_page("pages/import.py")
    at.file_uploader(key="import_file").set_value(("bad_rows.csv", (FIXTURES / "bad_rows.csv").read_bytes(),
                                                   "text/csv"))
    next(b for b in at.button if b.label == "Import").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "1 events imported, 4 rows rejected" in at.success[0].value and " rows/s)." in at.success[0].value
    [bar] = at.get("progress")  # the bar ends on the import's rate
    assert bar.proto.value == 100 and bar.proto.text.startswith("bad_rows.csv: 5 rows in ")
    assert bar.proto.text.endswith(" rows/s")
    rejected = at.dataframe[0].value
    assert list(rejected["line"]) == [2, 3, 4, 5]
    assert open_store(db_url).count() == 11


def test_a_file_that_is_not_an_export_is_refused_and_nothing_is_saved(db_url: str) -> None:
    at = open_page("pages/import.py")
    at.file_uploader(key="import_file").set_value(("notes.csv", b"just,some\nwords,here\n", "text/csv"))
    next(b for b in at.button if b.label == "Import").click().run()
    assert not at.exception
    assert at.error and at.error[0].value.startswith("notes.csv:")
    assert not at.success and open_store(db_url).count() == 10


def test_a_file_that_breaks_part_way_says_where_and_that_nothing_was_saved(db_url: str) -> None:
    at = open_page("pages/import.py")
    data = (FIXTURES / "current_31.csv").read_bytes() + b"TST9," + b"x" * 140_000 + b"\n"  # beyond the CSV field limit
    at.file_uploader(key="import_file").set_value(("broken.csv", data, "text/csv"))
    next(b for b in at.button if b.label == "Import").click().run()
    assert not at.exception and not at.success
    [error] = at.error
    assert error.value.startswith("broken.csv: reading lines 2-4 failed: line 4: the CSV cannot be read")
    assert "Nothing was saved" in error.value and len(error.value) < 300
    assert open_store(db_url).count() == 10
