"""Compare two periods: their headline figures and change, and a map of the change by region; the URL keeps both."""
from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from geo.layers import focus
from geo.regions import MEASURES, SCALE_LABELS, SCALES, difference_layer, region_difference
from geo.schema import TAXONOMY
from geo.tools.compare import Comparison, default_comparison, figures_table, from_query, to_query
from geo.views import View
from pages.common import VIEW, choices_or_stop, current_url, get_store, load_period, render_map, require_app_navigation
from pages.sidebar import padded_bounds, sync_query_params

require_app_navigation()

A, B, MEASURE, SCALE, FILTERS = "compare_a", "compare_b", "compare_measure", "compare_scale", "compare_filters"

choices = choices_or_stop()  # the timeline's ends, actors and countries, from SQL
lo, hi = padded_bounds(choices.bounds)
st.title("Compare two periods")

if A not in st.session_state:  # a new visit to the page: the comparison the URL describes, else the defaults
    view = st.session_state.get(VIEW) or View()  # the filters set on the Map carry over
    default = default_comparison(lo, hi)
    default = Comparison(*default.a, *default.b, actors=view.actors, types=view.types, countries=view.countries)
    parsed = from_query(st.query_params.to_dict(), default, actors=list(choices.actors), types=list(TAXONOMY),
                        countries=list(choices.countries))
    for notice in parsed.notices:
        st.warning(notice, icon=":material/link_off:")
    shown = parsed.comparison
    st.session_state.update({A: shown.a, B: shown.b, MEASURE: shown.measure, SCALE: shown.scale,
                             FILTERS: (shown.actors, shown.types, shown.countries)})

# the sliders span the data, and any window the URL asked for beyond it
edges = [*st.session_state[A], *st.session_state[B]]
low, high = min(lo, *edges), max(hi, *edges)
left, right = st.columns(2)
left.slider("Period A (before)", min_value=low, max_value=high, step=timedelta(days=1), format="YYYY-MM-DD", key=A)
right.slider("Period B (after)", min_value=low, max_value=high, step=timedelta(days=1), format="YYYY-MM-DD", key=B)
left, right = st.columns(2)
left.radio("Map: change in", MEASURES, key=MEASURE, horizontal=True, format_func=str.capitalize)
right.radio("Count", SCALES, key=SCALE, horizontal=True, format_func=SCALE_LABELS.get)
actors, types, countries = st.session_state[FILTERS]
comparison = Comparison(*st.session_state[A], *st.session_state[B], measure=st.session_state[MEASURE],
                        scale=st.session_state[SCALE], actors=actors, types=types, countries=countries)
sync_query_params(to_query(comparison))  # the address bar reopens this comparison

filters = "; ".join(part for part in (", ".join(actors), ", ".join(types), ", ".join(countries)) if part)
st.caption(f"A: {comparison.a_start:%d %b %Y} – {comparison.a_end:%d %b %Y} · B: {comparison.b_start:%d %b %Y} – "
           f"{comparison.b_end:%d %b %Y} · filters: {filters or 'none (all events)'} (set on the Map's sidebar) · "
           "the address bar keeps this comparison, so the URL can be shared")

# each period's figures and its events' positions, from SQL once per data version and window (issue 15)
version = get_store(current_url()).data_version()
(a, before), (b, after) = (load_period(current_url(), version, period) for period in comparison.views())
cols = st.columns(4)
cols[0].metric("Events in B", b.events, b.events - a.events, help=f"{a.events} in A")
cols[1].metric("Fatalities in B", f"{b.fatalities:,}", b.fatalities - a.fatalities, delta_color="inverse",
               help=f"{a.fatalities} in A")
cols[2].metric("People abducted in B", b.abducted, b.abducted - a.abducted, delta_color="inverse",
               help=f"{a.abducted} in A")
cols[3].metric("Places attacked in B", b.places_attacked, b.places_attacked - a.places_attacked,
               delta_color="inverse", help=f"{a.places_attacked} in A")

difference = region_difference(before, after, measure=comparison.measure, scale=comparison.scale)
render_map([difference_layer(difference, comparison.measure, comparison.scale)], "compare_map", height=560,
           focus=focus(pd.concat([before, after])))

figures, regions = st.columns([2, 3])
figures.dataframe(figures_table(a, b), hide_index=True, width="stretch", key="compare_figures",
                  column_config={"change_pct": st.column_config.NumberColumn("change %", format="%+.1f")})
changed = difference[(difference["events_before"] + difference["events_after"]) > 0]
changed = changed.assign(size=changed["change"].abs()).sort_values(["size", "name"], ascending=[False, True])
regions.dataframe(pd.DataFrame(changed[["name", "country", "before", "after", "change"]]).rename(
                      columns={"name": "region"}),
                  hide_index=True, width="stretch", key="compare_regions",
                  column_config={c: st.column_config.NumberColumn(c, format="%.3g")
                                 for c in ("before", "after", "change")})
if before.empty and after.empty:
    st.info("Neither period has events under these filters. Move a window or clear a filter on the Map.")
