"""Conflict Map: the app shell. Page config, navigation, and the sidebar shared by the pages that filter events.

The sidebar is drawn here (Streamlit's pattern for widgets shared across pages), and what
it shows is kept as one ``View`` in session state (``pages.common.VIEW``), set before the
page runs: the pages read that view, never the sidebar's widgets, so a filter set on the
Map still holds on Events. The widgets are drawn after the page, in places kept at the top
of the sidebar. The page files live in ``pages/``.

Sign-in (issue 13): with an ``[auth]`` section in ``.streamlit/secrets.toml`` a visitor who is not
signed in (``st.user``) gets the sign-in page and nothing else; a signed-in user gets the pages
their role allows (viewer < analyst < editor, kept in the database). Without ``[auth]`` the app
runs in local mode: one person, every role, said so in the sidebar. The services check the role
again on every write.
"""
import streamlit as st

from geo.views import View
from pages import sidebar
from pages.common import VIEW, PageStopped, choices_or_stop, run_page

# the tab's icon by its address under static/ (served with enableStaticServing): given as a file, Streamlit
# reads and re-serves it on every run, and loading the system's MIME types for it took 0.1 s on a cold start
ICON = "/app/static/favicon.png"

st.set_page_config(page_title="Conflict Map · Sahel", page_icon=ICON, layout="wide")
user = sidebar.resolve_user()
if user is None:  # sign-in is on and nobody is signed in: the sign-in page, whatever the URL
    st.navigation([st.Page(sidebar.sign_in_page, title="Sign in", icon=":material/login:")]).run()
    st.stop()
MAP = st.Page("pages/map_view.py", title="Map", icon=":material/map:", default=True)  # served at /
EVENTS = st.Page("pages/events.py", title="Events", icon=":material/table:", url_path="events")
page = st.navigation([
    MAP,
    EVENTS,
    st.Page("pages/briefing.py", title="Briefing", icon=":material/slideshow:", url_path="briefing"),
    st.Page("pages/compare.py", title="Compare", icon=":material/compare:", url_path="compare"),
    st.Page("pages/control.py", title="Control", icon=":material/layers:", url_path="control"),
    *([st.Page("pages/reports.py", title="Reports", icon=":material/article:", url_path="reports")]
      if user.can("ingest") else []),
    st.Page("pages/cases.py", title="Cases", icon=":material/person_search:", url_path="cases"),
    *([st.Page("pages/import.py", title="Import", icon=":material/upload_file:", url_path="import")]
      if user.can("import") else []),
    *([st.Page("pages/review.py", title="Review", icon=":material/fact_check:", url_path="review")]
      if user.can("review") else []),
])
# The sidebar's places are kept first and its widgets drawn after the page: the browser builds elements in
# the order they arrive, and each kind of widget waits for its own script file from the server, one after
# another, so the map comes first (docs/benchmarks.md, issue 11). The page reads the view, not the widgets.
who, controls = st.sidebar.container(), st.sidebar.container()
choices = None
try:
    if page.url_path in (MAP.url_path, EVENTS.url_path):  # the pages the timeline and filters apply to
        choices = choices_or_stop()  # the timeline's ends, actors and countries, read from SQL
        sidebar.prepare(choices)
        sidebar.show_notices()
    else:
        st.session_state.setdefault(VIEW, View())  # kept for when the user comes back to the Map
    run_page(page)  # a page that stops early (stop_page) returns, so the sidebar is still drawn
except PageStopped:  # the timeline's choices could not be read: the error is shown instead of the page
    pass
with who:
    sidebar.user_box(user)
if choices is not None:
    with controls:
        sidebar.draw(choices)
