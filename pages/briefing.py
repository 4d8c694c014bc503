"""Briefing page: a full-width map for a shared screen, headline figures, trend, slides and exports."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from html import escape

import streamlit as st

from geo.io.export import frame_to_csv
from geo.io.standalone import SnapshotUnavailable, render_png, snapshot_problem, standalone_html
from geo.layers import layers_for, map_focus
from geo.tools.briefing import headline, previous_window, weekly, weekly_table
from geo.tools.filters import view_events, view_zones
from geo.tools.trends import actor_trend_chart, actor_weekly
from geo.views import View, pinned_cutoff
from pages.common import (
    choices_or_stop,
    current_cases,
    current_url,
    get_store,
    load_briefing,
    load_countries,
    load_frames,
    map_inputs,
    render_map,
    require_app_navigation,
    weekly_chart,
    window_events,
)
from pages.sidebar import padded_bounds, window_label

require_app_navigation()


# One 1920x1080 screen holds the title, the headline figures, the map, the trend and the actors' trends without
# scrolling (tests/test_browser.py and test_browser_analysis.py check the bounding boxes): the map on the left, the
# trends beside it.
MAP_HEIGHT = 640
TREND_HEIGHT = 210
ACTORS = 3  # the actors followed when the slide selects none: the three named in most events
ACTOR_PANEL_HEIGHT = 42
ACTOR_PANEL_WIDTH = 190
STYLE = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none; }
.block-container { padding-top: 1.2rem; padding-bottom: 1rem; max-width: 100%; }
h1 { font-size: 2.4rem !important; padding: 0 !important; }
[data-testid="stMetricValue"] { font-size: 2.4rem; font-weight: 700; }
[data-testid="stMetricLabel"] p { font-size: 1.1rem; }
.cm-notes { font-size: 1.25rem; line-height: 1.45; background: #fff8e1; padding: .6rem 1rem;
            border-left: 6px solid #d7301f; }
@media print {
  header, [data-testid="stToolbar"], [data-testid="stSidebar"], .stButton, .stDownloadButton,
  [data-testid="stElementToolbar"] { display: none !important; }
  h1 { font-size: 22pt !important; } .block-container { padding: 0; }
}
</style>
"""
KEYS_JS = """
<script>
const doc = window.parent.document;
if (doc.__cmKeyHandler) { doc.removeEventListener('keydown', doc.__cmKeyHandler); }
doc.__cmKeyHandler = (e) => {
  const tag = (e.target && e.target.tagName) || '';
  if (['INPUT', 'TEXTAREA', 'SELECT'].includes(tag)) { return; }
  const label = e.key === 'ArrowRight' ? 'Next ▶' : e.key === 'ArrowLeft' ? '◀ Previous' : null;
  if (!label) { return; }
  const button = [...doc.querySelectorAll('button')].find((b) => b.innerText.trim() === label);
  if (button && !button.disabled) { button.click(); e.preventDefault(); }
};
doc.addEventListener('keydown', doc.__cmKeyHandler);
</script>
"""

st.markdown(STYLE, unsafe_allow_html=True)
lo, hi = padded_bounds(choices_or_stop().bounds)
slides = get_store(current_url()).views() or [View(start=lo, end=hi, title="All events")]
index = min(max(st.session_state.get("briefing_slide", 0), 0), len(slides) - 1)
view = slides[index]
view = replace(view, start=view.start or lo, end=view.end or hi)
before_start, before_end = previous_window(view.start, view.end)
if view.as_of is not None:  # issue 13: a slide pinned to a date shows what was published then (from the audit)
    frame = load_frames(current_url(), get_store(current_url()).data_version(), False, pinned_cutoff(view))[0]
    selected = view_events(frame, view)
    now, then = headline(selected), headline(view_events(frame, replace(view, start=before_start, end=before_end)))
    trend = weekly(selected, view.start, view.end)
    groups = selected
else:  # the figures and trends from SQL, once per data version and slide (issue 15)
    now, then, counts, groups = load_briefing(current_url(), get_store(current_url()).data_version(), view)
    trend = weekly_table(counts, view.start, view.end)  # every week of the window, quiet ones as 0
data, zones, evidence, _choices = map_inputs(view, drafts=False)  # the briefing shows what is published

heading, back, forward = st.columns([10, 1, 1], vertical_alignment="bottom")
heading.title(view.title or view.name or "Briefing")
if back.button("◀ Previous", key="briefing_prev", disabled=index == 0, width="stretch"):
    st.session_state["briefing_slide"] = index - 1
    st.rerun()
if forward.button("Next ▶", key="briefing_next", disabled=index >= len(slides) - 1, width="stretch"):
    st.session_state["briefing_slide"] = index + 1
    st.rerun()
st.iframe(KEYS_JS, height=1)  # our own script, no user content: arrow keys click Previous/Next
pinned = f" · data as of {view.as_of:%d %b %Y}" if view.as_of else ""
st.markdown(f"**{window_label(view.start, view.end)}**{pinned} · changes compare with the "
            f"{(view.end - view.start).days + 1} days before ({before_start:%d %b} – {before_end:%d %b %Y}) · "
            f"slide {index + 1} of {len(slides)}; the arrow keys step through the saved views")

cols = st.columns(4)
cols[0].metric("Events", now.events, now.events - then.events)
claimed = f" (claims up to {now.fatalities_claimed_high:,})" if now.fatalities_claimed_high > now.fatalities else ""
cols[1].metric(f"Fatalities{claimed}", f"{now.fatalities:,}", now.fatalities - then.fatalities, delta_color="inverse")
cols[2].metric("People abducted", now.abducted, now.abducted - then.abducted, delta_color="inverse")
cols[3].metric("Places attacked", now.places_attacked, now.places_attacked - then.places_attacked,
               delta_color="inverse")

left, right = st.columns([5, 2])
with left:
    shown = view_zones(zones, view)
    cases, today = current_cases(), date.today()  # abductions coloured by their case's status, with days held
    render_map(lambda: layers_for(view.layers, data.events, shown, evidence, cases=cases, today=today,
                                  cells=data.cells),
               "briefing_map", height=MAP_HEIGHT, focus=map_focus(data), center=view.center, zoom=view.zoom,
               reuse=(data.events, (view, today)))
with right:
    if view.notes:
        st.markdown(f'<div class="cm-notes">{escape(view.notes)}</div>', unsafe_allow_html=True)
    st.altair_chart(weekly_chart(trend, height=TREND_HEIGHT), width="stretch", key="briefing_trend")
    actors = actor_weekly(groups, view.actors, view.start, view.end, top=ACTORS)
    if not actors.empty:
        st.altair_chart(actor_trend_chart(actors, panel_height=ACTOR_PANEL_HEIGHT, panel_width=ACTOR_PANEL_WIDTH),
                        key="briefing_actor_trends")
        st.caption("Per actor and week, events (blue) and fatalities (red): an event counts for each actor it names, "
                   "so the rows do not add up.")


def _html() -> str:
    every = window_events(view, drafts=False)  # read when the export is asked for
    return standalone_html(every, view_zones(zones, view), load_countries(),
                           title=view.title or "Conflict Map", start=view.start, end=view.end,
                           sources=list(every["source"]), layers=view.layers)


slug = (view.name or "briefing").replace(" ", "_")
exports = st.columns(3)
exports[0].download_button("Standalone HTML map", data=_html, file_name=f"{slug}.html", mime="text/html",
                           key="download_html", width="stretch",
                           help="One file with the map, legend, title and sources; opens offline.")
problem = snapshot_problem()
if problem:
    exports[1].button("PNG image (unavailable)", disabled=True, key="download_png", width="stretch",
                      help=problem)
    exports[1].caption(problem)
else:
    def _png() -> bytes:
        try:
            return render_png(_html())
        except SnapshotUnavailable as exc:
            st.error(str(exc))
            return b""

    exports[1].download_button("PNG image", data=_png, file_name=f"{slug}.png", mime="image/png",
                               key="download_png", width="stretch")
exports[2].download_button("CSV of these events", data=lambda: frame_to_csv(window_events(view, drafts=False)),
                           file_name=f"{slug}.csv", mime="text/csv", key="briefing_csv", width="stretch")
