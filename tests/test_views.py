from __future__ import annotations

from datetime import date

import pytest

from geo.views import DEFAULT_LAYERS, View, from_query, pinned_cutoff, to_query

BOUNDS = (date(2025, 5, 25), date(2025, 7, 8))


def test_round_trip_through_query_parameters() -> None:
    view = View(start=date(2025, 6, 1), end=date(2025, 6, 30), layers=("attacks",), actors=("JNIM",),
                types=("Battles",), countries=("Mali",), name="june")
    parsed = from_query(to_query(view), actors=["JNIM"], countries=["Mali"], bounds=BOUNDS)
    assert parsed.notices == []
    assert parsed.view == view


def test_defaults_are_left_out_of_the_url() -> None:
    assert to_query(View()) == {}
    assert from_query({}).view == View()


@pytest.mark.parametrize(("params", "expected_layers"), [
    ({"layers": "control"}, ("control",)),
    ({"layers": "attacks,nope"}, ("attacks",)),
    ({"layers": "nope"}, DEFAULT_LAYERS),
    ({"layers": "attacks,inferred"}, ("attacks", "inferred")),
    ({"layers": ""}, ()),
])
def test_layers(params: dict, expected_layers: tuple) -> None:
    assert from_query(params).view.layers == expected_layers


def test_json_round_trip() -> None:
    view = View(start=date(2025, 6, 1), end=date(2025, 6, 30), center=(14.0, -5.0), zoom=6, name="x",
                as_of=date(2025, 7, 1), notes="Talk about <Kayes>")
    assert View.from_json(view.to_json()) == view


def test_views_saved_before_centre_and_zoom_still_load() -> None:
    old = ('{"start": "2025-06-01", "end": "2025-06-30", "layers": ["attacks"], "actors": [], "types": [], '
           '"countries": [], "name": "old", "title": "Old", "notes": "", "as_of": null, "position": 0}')
    view = View.from_json(old)
    assert (view.name, view.center, view.zoom) == ("old", None, None)
    framed = View(name="framed", center=(14.45, -11.44), zoom=8)
    assert View.from_json(framed.to_json()).center == (14.45, -11.44)


def test_pinned_cutoff_is_end_of_day_utc() -> None:
    assert pinned_cutoff(View(as_of=date(2025, 7, 1))) == 1751414399
    assert pinned_cutoff(View()) is None


def test_window_edges_at_the_data_bounds_stay_out_of_the_url() -> None:
    view = View(start=BOUNDS[0], end=date(2025, 6, 30))
    assert to_query(view, BOUNDS) == {"end": "2025-06-30"}
    assert to_query(View(start=BOUNDS[0], end=BOUNDS[1]), BOUNDS) == {}
