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
    assert "1 events imported, 4 rows rejected" in at.success[0].value
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
