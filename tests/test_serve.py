"""serve.py: the server's startup hook loads what the first map needs, and the server serves the app."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# a restarted server: the database and the borders file exist; the hook has run; then the first visitor's map
FIRST_VISIT = """
import gc, sys
import serve
serve.warm_up()
assert gc.get_freeze_count() > 10_000, gc.get_freeze_count()  # the loaded modules are out of the collector's way
before = set(sys.modules)
from streamlit.testing.v1 import AppTest
at = AppTest.from_file('app.py', default_timeout=60).run()
assert not at.exception, at.exception
assert at.title[0].value == 'Conflict Map · Sahel', at.title
ours = ('geo', 'pages', 'sqlalchemy', 'shapely', 'folium', 'branca', 'jinja2')  # and streamlit_folium, see serve.py
print(sorted(m for m in set(sys.modules) - before if m.split('.')[0] in ours))
"""


def test_after_the_startup_hook_the_first_map_imports_nothing_of_the_app(tmp_path: Path) -> None:
    """If a module is added to the first map and not to FIRST_MAP_MODULES, the first visitor pays for it again."""
    env = {**os.environ, "CONFLICTMAP_DB": str(tmp_path / "serve.sqlite")}
    first = subprocess.run([sys.executable, "-c", "from streamlit.testing.v1 import AppTest\n"
                            "assert not AppTest.from_file('app.py', default_timeout=60).run().exception"],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert first.returncode == 0, first.stderr[-2000:]  # created and seeded the database, wrote the borders file
    visit = subprocess.run([sys.executable, "-c", FIRST_VISIT], cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=180)
    assert visit.returncode == 0, visit.stderr[-2000:]
    assert visit.stdout.strip().splitlines()[-1] == "[]"


def test_serve_is_the_app_for_streamlit_run() -> None:
    """``streamlit run serve.py`` finds its st.App (Streamlit looks for it without running the file)."""
    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(ROOT / "serve.py")
    assert found.is_asgi_app and found.app_name == "app"
