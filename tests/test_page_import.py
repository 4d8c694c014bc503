"""AppTest for the Import page.

AppTest cannot fill a file_uploader, so the page is driven with a stand-in
upload object placed where the uploader's value would be.
"""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo.storage import open_store
from tests.conftest import APP_TIMEOUT, ROOT, open_page

FIXTURES = ROOT / "tests" / "fixtures" / "acled"


def test_import_page_renders_and_asks_for_a_file(db_url: str) -> None:
    at = open_page("pages/import.py")
    assert at.title[0].value == "Import"
    next(b for b in at.button if b.label == "Import").click().run()
    assert "Choose a CSV export" in at.error[0].value


def test_import_reads_saves_and_lists_rejections(db_url: str, tmp_path: Path) -> None:
    script = tmp_path / "import_page.py"
    script.write_text(
        "import streamlit as st\n"
        "class Upload:\n"
        f"    name = 'bad_rows.csv'\n"
        f"    def getvalue(self): return open({str(FIXTURES / 'bad_rows.csv')!r}, 'rb').read()\n"
        "original = (st.file_uploader, st.form_submit_button)\n"
        "st.file_uploader = lambda *a, **k: Upload()\n"
        "st.form_submit_button = lambda *a, **k: True\n"
        "try:\n"
        f"    exec(open({str(ROOT / 'pages' / 'import.py')!r}).read())\n"
        "finally:\n"
        "    st.file_uploader, st.form_submit_button = original\n", encoding="utf-8")
    import sys
    sys.path.insert(0, str(ROOT))
    at = AppTest.from_file(str(script), default_timeout=APP_TIMEOUT).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "1 events imported, 4 rows rejected" in at.success[0].value
    rejected = at.dataframe[0].value
    assert list(rejected["line"]) == [2, 3, 4, 5]
    assert open_store(db_url).count() == 11
