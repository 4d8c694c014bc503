"""serve.py: the server's startup hook loads what the first map needs, and the server serves the app."""
from __future__ import annotations

from typing import TYPE_CHECKING

from tests.conftest import FIRST_MAP, ROOT, restarted_server, run_python

if TYPE_CHECKING:
    from pathlib import Path

# a restarted server: the database and the borders file exist; the hook has run; then the first visitor's map
FIRST_VISIT = """
import gc, sys
import serve
serve.warm_up()
assert gc.get_freeze_count() > 10_000, gc.get_freeze_count()  # the loaded modules are out of the collector's way
before = set(sys.modules)
""" + FIRST_MAP + """assert at.title[0].value == 'Conflict Map · Sahel', at.title
ours = ('geo', 'pages', 'sqlalchemy', 'shapely', 'folium', 'branca', 'jinja2')  # and streamlit_folium, see serve.py
print(sorted(m for m in set(sys.modules) - before if m.split('.')[0] in ours))
"""


def test_after_the_startup_hook_the_first_map_imports_nothing_of_the_app(tmp_path: Path) -> None:
    """If a module is added to the first map and not to FIRST_MAP_MODULES, the first visitor pays for it again."""
    assert run_python(FIRST_VISIT, restarted_server(tmp_path)) == "[]"


def test_serve_is_the_app_for_streamlit_run() -> None:
    """``streamlit run serve.py`` finds its st.App (Streamlit looks for it without running the file)."""
    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(ROOT / "serve.py")
    assert found.is_asgi_app and found.app_name == "app"
