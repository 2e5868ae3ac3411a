"""A build's layout, grid and map state from its layout plan (core/kept_map.py)."""

import numpy as np

from tsne_assets.core.grid import cell_positions, position_cells
from tsne_assets.core.kept_map import kept_grid, kept_layout, next_state
from tsne_assets.core.map_state import MapState, layout_settings, plan_document, plan_layout

SETTINGS = layout_settings("efficientnet_lite0", None, 30.0, 0, None)
IDS = ("a", "b", "c", "d")


def previous_map() -> MapState:
    """Four images in two groups, far apart in features, layout and grid: a, b left; c, d right."""
    return MapState(
        ids=IDS,
        positions=np.array([(0, 0), (0, 1), (5, 0), (5, 1)]),
        xy=np.array([(0.0, 0.0), (0.0, 1.0), (10.0, 0.0), (10.0, 1.0)]),
        cols=6,
        rows=3,
        placed=np.array([False, True, False, False]),
        added=("2026-01-01", "2026-02-01", "2026-01-01", "2026-01-01"),
        settings=SETTINGS,
        full_preservation=0.5,
    )


#: This build: "b" removed, "e" new (like c and d); features in the same order.
BUILD = ["c", "e", "a", "d"]
FEATURES = np.array([[10.0, 0.0], [10.0, 0.5], [0.0, 0.0], [10.0, 1.0]])


def plan() -> dict:
    state = previous_map()
    return plan_document(plan_layout(state, BUILD, SETTINGS, relayout_share=0.5), state, BUILD)


def test_a_kept_layout_keeps_the_kept_images_and_puts_a_new_one_among_its_kind():
    layout = kept_layout(plan(), FEATURES)
    assert layout.dtype == np.float32 and layout.shape == (4, 2)
    assert layout[[0, 2, 3]].tolist() == [[10.0, 0.0], [0.0, 0.0], [10.0, 1.0]]
    assert layout[1, 0] == 10.0  # the median of c, d and a's x


def test_a_kept_grid_keeps_every_cell_and_places_the_new_image_beside_its_kind():
    positions, cols, rows = kept_grid(plan(), FEATURES)
    assert (cols, rows) == (6, 3)
    assert positions[[0, 2, 3]].tolist() == [[5, 0], [0, 0], [5, 1]]
    assert positions[1, 0] >= 4 and len(set(position_cells(positions, cols).tolist())) == 4


def test_the_next_state_keeps_added_dates_and_marks_what_was_placed():
    document = plan()
    positions, cols, rows = kept_grid(document, FEATURES)
    state = next_state(
        document, kept_layout(document, FEATURES), positions, cols, rows,
        settings=SETTINGS, full_preservation=0.5, today="2026-03-01",
    )
    assert state.ids == tuple(BUILD)
    assert state.added == ("2026-01-01", "2026-03-01", "2026-01-01", "2026-01-01")
    assert state.placed.tolist() == [False, True, False, False]
    # A fresh layout keeps the dates but counts nothing as placed.
    fresh = dict(document, full=True)
    state = next_state(fresh, np.zeros((4, 2)), cell_positions([0, 1, 2, 3], 4), 4, 1, settings=SETTINGS,
                       full_preservation=0.6, today="2026-03-01")
    assert state.placed.tolist() == [False] * 4 and state.added[0] == "2026-01-01"


def test_cell_indices_and_positions_convert_both_ways():
    cells = np.array([0, 5, 7, 11])
    assert cell_positions(cells, 4).tolist() == [[0, 0], [1, 1], [3, 1], [3, 2]]
    assert position_cells(cell_positions(cells, 4), 4).tolist() == cells.tolist()
