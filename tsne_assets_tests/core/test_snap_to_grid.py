"""The pipeline's grid: the layout turned to its principal axes, on a grid of its proportions."""

import math

import numpy as np
import pytest

from tsne_assets.core.grid import MAX_ASPECT, assign_to_grid, grid_shape, snap_to_grid, turn_to_principal_axes
from tsne_assets.core.placement import place_new_images
from tsne_assets.core.quality import grid_label_purity, grid_preservation


def _tilted_band(seed: int, angle: float = 60.0) -> tuple[np.ndarray, np.ndarray]:
    """8 groups of 30 points in a row along a line at ``angle`` degrees (about 5 times as long
    as wide), labelled by group."""
    rng = np.random.default_rng(seed)
    turn = np.deg2rad(angle)
    centres = np.outer(np.arange(8) * 4.0, [np.cos(turn), np.sin(turn)])
    return np.repeat(centres, 30, axis=0) + rng.normal(size=(240, 2)), np.repeat(np.arange(8), 30)


@pytest.mark.parametrize(
    "n, headroom, aspect, expected",
    [(100, 0.0, 1.0, (10, 10)), (100, 0.0, 4.0, (20, 5)), (74, 0.75, 1.42, (14, 10)), (5, 0.5, math.inf, (7, 1))],
)
def test_grid_shape_follows_the_aspect_and_is_never_taller_than_wide(n, headroom, aspect, expected):
    cols, rows = grid_shape(n, headroom, aspect)
    assert (cols, rows) == expected
    assert cols >= rows and cols * rows >= n + math.floor(n * headroom)


@pytest.mark.parametrize("aspect", [0.5, 0.0, float("nan")])
def test_grid_shape_rejects_an_aspect_below_one(aspect):
    with pytest.raises(ValueError, match="aspect"):
        grid_shape(10, 0.0, aspect)


@pytest.mark.parametrize("angle", [60.0, -60.0, 120.0, 0.0])
def test_turn_to_principal_axes_lays_the_long_axis_horizontal_without_mirroring(angle):
    xy, _ = _tilted_band(0, angle)
    turned = turn_to_principal_axes(xy)
    width, height = np.ptp(turned, axis=0)
    assert width > 3 * height
    # The turned layout is the centred one times a rotation (det +1, not a mirror), by at most
    # 90 degrees: its x axis points into the right half-plane.
    centred = xy - xy.mean(axis=0)
    turn, *_ = np.linalg.lstsq(centred, turned, rcond=None)
    np.testing.assert_allclose(turn.T @ turn, np.eye(2), atol=1e-9)
    assert np.linalg.det(turn) == pytest.approx(1.0)
    assert turn[0, 0] >= 0


def test_turn_to_principal_axes_leaves_a_layout_without_a_long_axis_as_drawn():
    square = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0], [2.0, 2.0]])
    np.testing.assert_array_equal(turn_to_principal_axes(square), square - 1.0)
    np.testing.assert_array_equal(turn_to_principal_axes(np.array([[3.0, 4.0]])), [[0.0, 0.0]])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_snap_to_grid_keeps_an_elongated_layouts_groups_apart(seed):
    # A tilted band of groups on a near-square grid is stretched across its width and crowded
    # along its length; turned and on a grid of its proportions (at most 4:1, for this 5:1 band)
    # it keeps its groups and its neighbours (measured: label purity 0.78-0.81 against
    # 0.66-0.68, layout neighbours kept 0.69-0.70 against 0.50-0.51).
    xy, group = _tilted_band(seed)
    cells, cols, rows = snap_to_grid(xy, 0.5)
    assert 3 * rows < cols <= MAX_ASPECT * rows + 1 and len(np.unique(cells)) == len(xy) and cells.max() < cols * rows
    square_cols, square_rows = grid_shape(len(xy), 0.5)
    square = assign_to_grid(xy, square_cols, square_rows)
    assert grid_label_purity(cells, cols, group) > grid_label_purity(square, square_cols, group) + 0.1
    assert grid_preservation(xy, cells, cols) > grid_preservation(xy, square, square_cols) + 0.1


@pytest.mark.parametrize(
    "xy",
    [
        np.zeros((1, 2)),
        np.zeros((20, 2)),  # all duplicates
        np.column_stack([np.full(30, -2.0), np.linspace(0, 1, 30)]),  # vertical line
        np.random.default_rng(3).normal(size=(50, 2)) * [1.0, 6.0],  # tall
        np.vstack([np.random.default_rng(5).normal(size=(60, 2)), [[400.0, 0.0]]]),  # one far outlier
    ],
    ids=["single", "duplicates", "vertical", "tall", "outlier"],
)
def test_snap_to_grid_places_every_point_once_on_a_grid_never_taller_than_wide(xy):
    cells, cols, rows = snap_to_grid(xy, 0.75)
    assert len(np.unique(cells)) == len(xy) and cells.min() >= 0 and cells.max() < cols * rows
    assert rows <= cols <= MAX_ASPECT * rows + 1
    np.testing.assert_array_equal(snap_to_grid(xy, 0.75)[0], cells)  # deterministic


def test_a_wide_grid_grows_without_moving_its_images():
    # A map that grows keeps every image's cell; a grid wider than tall grows at the bottom
    # until it is square, and never becomes taller than wide.
    xy, _ = _tilted_band(4)
    kept, new = xy[:200], xy[200:]
    cells, cols, rows = snap_to_grid(kept, 0.0)
    assert cols > 2 * rows
    positions = np.column_stack([cells % cols, cells // cols])
    placed, grown_cols, grown_rows = place_new_images(kept, positions, new, cols, rows)
    assert grown_cols == cols and rows < grown_rows <= grown_cols
    everything = np.vstack([positions, placed])
    assert len(np.unique(everything, axis=0)) == len(xy)
    assert everything[:, 0].max() < grown_cols and everything[:, 1].max() < grown_rows
