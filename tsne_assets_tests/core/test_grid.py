import math

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from tsne_assets.core.grid import (
    assign_to_grid,
    auto_headroom,
    grid_shape,
    normalise_layout,
)
from tsne_assets.core.placement import place_new_images
from tsne_assets.core.quality import grid_preservation
from tsne_assets_tests.layouts import clustered_layout


def squared_cost(xy: np.ndarray, cells: np.ndarray, cols: int, rows: int) -> float:
    pos = normalise_layout(xy, cols, rows)
    centres = np.column_stack([cells % cols, cells // cols]) + 0.5
    return float(((pos - centres) ** 2).sum())


@pytest.mark.parametrize(
    "n, expected",
    [(1, (1, 1)), (2, (2, 1)), (3, (2, 2)), (4, (2, 2)), (5, (3, 2)), (7, (3, 3)), (100, (10, 10)), (101, (11, 10))],
)
def test_grid_shape_is_near_square_and_large_enough(n, expected):
    cols, rows = grid_shape(n)
    assert (cols, rows) == expected
    assert cols * rows >= n and cols * rows - n < cols


def test_grid_shape_rejects_zero():
    with pytest.raises(ValueError):
        grid_shape(0)


@pytest.mark.parametrize("headroom", [0.25, 0.5, 1.0])
@pytest.mark.parametrize("n", [1, 10, 999, 20000])
def test_grid_shape_adds_the_headroom_as_empty_cells(n, headroom):
    cols, rows = grid_shape(n, headroom)
    cells = n + math.floor(n * headroom)
    assert cols * rows >= cells and cols * rows - cells < cols
    assert cols >= rows


def test_auto_headroom_is_full_for_small_collections_and_shrinks_for_large_ones():
    assert auto_headroom(1) == auto_headroom(10_000) == 0.75
    assert auto_headroom(40_000) == 0.375 and auto_headroom(100_000) == pytest.approx(0.237, abs=1e-3)
    assert grid_shape(1, auto_headroom(1)) == (1, 1)


@pytest.mark.parametrize("headroom", [-0.1, 1.5, float("nan")])
def test_grid_shape_rejects_a_headroom_out_of_range(headroom):
    with pytest.raises(ValueError, match="headroom"):
        grid_shape(10, headroom)


def _contacts(cells: np.ndarray, group: np.ndarray, cols: int, rows: int) -> int:
    """Side-by-side cell pairs holding images of different groups (1 and 2)."""
    grid = np.zeros((rows, cols), dtype=int)
    grid.flat[cells] = group
    return int((grid[:, 1:] * grid[:, :-1] == 2).sum() + (grid[1:] * grid[:-1] == 2).sum())


@pytest.mark.parametrize("method", ["optimal", "scalable"])
def test_headroom_settles_between_the_layouts_groups(method):
    # Two groups far apart: with headroom, the empty cells fill the gap between them, so that
    # the groups touch along a much shorter border than on a grid without empty cells.
    rng = np.random.default_rng(0)
    xy = np.vstack([rng.normal((-10, 0), 1, (200, 2)), rng.normal((10, 0), 1, (200, 2))])
    group = np.repeat([1, 2], 200)
    touching = {}
    for headroom in (0.0, 0.5):
        cols, rows = grid_shape(len(xy), headroom)
        cells = assign_to_grid(xy, cols, rows, method=method, block_cells=16)
        assert len(np.unique(cells)) == len(xy)
        touching[headroom] = _contacts(cells, group, cols, rows)
    assert touching[0.0] >= 15 and touching[0.5] <= touching[0.0] / 3


@pytest.mark.parametrize("method", ["optimal", "scalable"])
@pytest.mark.parametrize("n", [1, 2, 3, 7, 100, 1000])
def test_every_point_gets_exactly_one_cell(method, n):
    xy = clustered_layout(n, seed=n)
    cols, rows = grid_shape(n)
    cells = assign_to_grid(xy, cols, rows, method=method, block_cells=16)
    assert cells.shape == (n,)
    assert np.issubdtype(cells.dtype, np.integer)
    assert len(np.unique(cells)) == n
    assert cells.min() >= 0 and cells.max() < cols * rows


@pytest.mark.parametrize("method", ["optimal", "scalable"])
@pytest.mark.parametrize(
    "xy",
    [
        np.zeros((50, 2)),  # all duplicates
        np.repeat(np.random.default_rng(1).normal(size=(10, 2)), 5, axis=0),  # 5 copies each
        np.column_stack([np.linspace(0, 1, 60), np.full(60, 3.0)]),  # horizontal line
        np.column_stack([np.full(60, -2.0), np.linspace(0, 1, 60)]),  # vertical line
        np.column_stack([np.arange(60.0), 2 * np.arange(60.0)]),  # diagonal
    ],
    ids=["duplicates", "repeated", "horizontal", "vertical", "diagonal"],
)
def test_degenerate_layouts_still_fill_distinct_cells(method, xy):
    cols, rows = grid_shape(len(xy))
    cells = assign_to_grid(xy, cols, rows, method=method, block_cells=16)
    assert len(np.unique(cells)) == len(xy)
    assert cells.max() < cols * rows


def test_collinear_points_keep_their_order():
    xy = np.column_stack([np.arange(9.0), np.zeros(9)])
    cells = assign_to_grid(xy, 9, 1, method="optimal")
    assert cells.tolist() == list(range(9))


@pytest.mark.parametrize("solver", ["scipy", "lap"])
@pytest.mark.parametrize("n", [30, 47])  # full grid, and a grid with empty cells
def test_optimal_matches_linear_sum_assignment_cost(solver, n):
    xy = clustered_layout(n, seed=3)
    cols, rows = grid_shape(n)
    cells = assign_to_grid(xy, cols, rows, method="optimal", solver=solver)

    pos = normalise_layout(xy, cols, rows)
    cc, rr = np.meshgrid(np.arange(cols) + 0.5, np.arange(rows) + 0.5)
    cost = (pos[:, 0, None] - cc.ravel()) ** 2 + (pos[:, 1, None] - rr.ravel()) ** 2
    points, chosen = linear_sum_assignment(cost)
    reference = cost[points, chosen].sum()

    assert squared_cost(xy, cells, cols, rows) == pytest.approx(reference, rel=1e-9)


def test_optimal_beats_every_swap():
    # A weaker but independent optimality check: no exchange of two points lowers the cost.
    xy = clustered_layout(40, seed=5)
    cols, rows = grid_shape(40)
    cells = assign_to_grid(xy, cols, rows, method="optimal")
    best = squared_cost(xy, cells, cols, rows)
    for i in range(40):
        for j in range(i + 1, 40):
            swapped = cells.copy()
            swapped[[i, j]] = swapped[[j, i]]
            assert squared_cost(xy, swapped, cols, rows) >= best - 1e-9


def test_scalable_quality_is_close_to_optimal_on_clustered_data():
    # Measured (seed 0): optimal 0.571, scalable 0.566 with 64-cell blocks (5 levels of
    # bisection), 0.577 with the default 256-cell blocks. Allow 0.02.
    xy = clustered_layout(2000)
    cols, rows = grid_shape(2000)
    optimal = assign_to_grid(xy, cols, rows, method="optimal")
    scalable = assign_to_grid(xy, cols, rows, method="scalable", block_cells=64)
    q_optimal = grid_preservation(xy, optimal, cols)
    q_scalable = grid_preservation(xy, scalable, cols)
    assert q_optimal > 0.5
    assert q_scalable >= q_optimal - 0.02


def test_auto_switches_at_the_optimal_limit():
    xy = clustered_layout(300, seed=2)
    cols, rows = grid_shape(300)
    optimal = assign_to_grid(xy, cols, rows, method="optimal")
    scalable = assign_to_grid(xy, cols, rows, method="scalable", block_cells=16)
    assert not np.array_equal(optimal, scalable)  # otherwise the test shows nothing
    np.testing.assert_array_equal(assign_to_grid(xy, cols, rows, optimal_limit=300), optimal)
    np.testing.assert_array_equal(
        assign_to_grid(xy, cols, rows, optimal_limit=299, block_cells=16), scalable
    )


@pytest.mark.parametrize("method", ["optimal", "scalable"])
def test_orientation_top_left_stays_top_left(method):
    # Layout y grows upwards (scatter plot); grid row 0 is the top.
    rng = np.random.default_rng(7)
    xy = rng.uniform(0, 10, size=(399, 2))
    xy = np.vstack([xy, [[-1.0, 11.0]]])  # far top-left
    cols, rows = grid_shape(400)
    cells = assign_to_grid(xy, cols, rows, method=method, block_cells=16)
    row, col = divmod(int(cells[-1]), cols)
    assert row <= 1 and col <= 1

    # And the four quadrants of the layout land in the matching quadrants of the grid.
    rows_of, cols_of = cells // cols, cells % cols
    top, left = xy[:, 1] > 5, xy[:, 0] < 5
    assert rows_of[top].mean() < rows / 2 - 3 < rows / 2 + 3 < rows_of[~top].mean()
    assert cols_of[left].mean() < cols / 2 - 3 < cols / 2 + 3 < cols_of[~left].mean()


def test_assign_rejects_bad_input():
    xy = np.zeros((5, 2))
    with pytest.raises(ValueError, match="do not fit"):
        assign_to_grid(xy, 2, 2)
    with pytest.raises(ValueError, match="method"):
        assign_to_grid(xy, 3, 2, method="greedy")
    with pytest.raises(ValueError, match="NaN"):
        assign_to_grid(np.full((5, 2), np.nan), 3, 2)
    with pytest.raises(ValueError, match=r"\(N, 2\)"):
        assign_to_grid(np.zeros((5, 3)), 3, 2)
    with pytest.raises(ValueError, match="holes_inside"):
        assign_to_grid(xy, 3, 2, holes_inside=1.5)


def _two_groups(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Two groups of 200 points far apart, labelled 1 and 2."""
    rng = np.random.default_rng(seed)
    return np.vstack([rng.normal((-10, 0), 1, (200, 2)), rng.normal((10, 0), 1, (200, 2))]), np.repeat([1, 2], 200)


def _enclosed_by_one_group(grid: np.ndarray, col: np.ndarray, row: np.ndarray, group) -> np.ndarray:
    """Whether each cell's four side neighbours all hold images of ``group`` (``grid[row, col]``:
    0 for an empty cell, the group otherwise; cells on the grid's edge are never enclosed)."""
    padded = np.pad(grid, 1, constant_values=-1)
    sides = [padded[row, col + 1], padded[row + 2, col + 1], padded[row + 1, col], padded[row + 1, col + 2]]
    return (np.stack(sides) == group).all(axis=0)


@pytest.mark.parametrize("method", ["optimal", "scalable"])
def test_holes_inside_are_enclosed_by_one_groups_images(method):
    # Without holes inside, every empty cell lies between or around the groups; with a quarter
    # of them inside (50 of 200), most of those are empty cells walled in by one group's images.
    xy, group = _two_groups(0)
    cols, rows = grid_shape(len(xy), 0.5)
    enclosed = {}
    for inside in (0.0, 0.25):
        cells = assign_to_grid(xy, cols, rows, method=method, block_cells=16, holes_inside=inside)
        assert len(np.unique(cells)) == len(xy)
        grid = np.zeros((rows, cols), dtype=int)
        grid.flat[cells] = group
        row, col = np.nonzero(grid == 0)
        enclosed[inside] = sum(_enclosed_by_one_group(grid, col, row, g).sum() for g in (1, 2))
    assert enclosed[0.0] == 0 and enclosed[0.25] >= 20


def test_images_added_later_land_inside_their_group():
    # 40 images removed, the rest snapped to a grid, the 40 placed back: with holes inside the
    # groups most land walled in by their own group, without them nearly all land on an edge.
    xy, group = _two_groups(1)
    new = np.sort(np.random.default_rng(1).choice(len(xy), 40, replace=False))
    kept = np.setdiff1d(np.arange(len(xy)), new)
    cols, rows = grid_shape(len(kept), 0.5)
    inner = {}
    for inside in (0.0, 0.25):
        cells = assign_to_grid(xy[kept], cols, rows, holes_inside=inside)
        kept_positions = np.column_stack([cells % cols, cells // cols])
        placed, cols_after, rows_after = place_new_images(xy[kept], kept_positions, xy[new], cols, rows)
        assert (cols_after, rows_after) == (cols, rows)
        grid = np.zeros((rows, cols), dtype=int)
        grid[kept_positions[:, 1], kept_positions[:, 0]] = group[kept]
        grid[placed[:, 1], placed[:, 0]] = group[new]
        inner[inside] = int(_enclosed_by_one_group(grid, placed[:, 0], placed[:, 1], group[new]).sum())
    assert inner[0.0] <= 5 and inner[0.25] >= 15
