"""Placing new images on a grid whose images stay put (core/placement.py)."""

import numpy as np
import pytest

from tsne_assets.core.placement import (
    assign_free_cells,
    free_cells,
    grown_shape,
    neighbour_targets,
    place_new_images,
)


def two_groups(rng, per_group=20, cols=10, rows=6):
    """Two groups of images in feature space, on the left and right halves of a grid whose
    middle columns are empty."""
    left = [(c, r) for r in range(rows) for c in range(0, 4)][:per_group]
    right = [(c, r) for r in range(rows) for c in range(6, 10)][:per_group]
    features = np.concatenate([rng.normal(0, 1, (per_group, 8)), rng.normal(20, 1, (per_group, 8))])
    return features, np.array(left + right), cols, rows


def test_new_images_go_next_to_their_most_similar_images():
    rng = np.random.default_rng(0)
    features, positions, cols, rows = two_groups(rng)
    new = np.concatenate([rng.normal(0, 1, (3, 8)), rng.normal(20, 1, (3, 8))])
    placed, out_cols, out_rows = place_new_images(features, positions, new, cols, rows)
    assert (out_cols, out_rows) == (cols, rows)
    assert (placed[:3, 0] <= 5).all() and (placed[3:, 0] >= 4).all()
    assert placed[:3, 0].mean() < placed[3:, 0].mean()
    taken = {tuple(p) for p in positions}
    assert not taken & {tuple(p) for p in placed}
    assert len({tuple(p) for p in placed}) == 6


def test_the_grid_grows_on_the_right_and_bottom_when_full():
    rng = np.random.default_rng(1)
    positions = np.array([(c, r) for r in range(3) for c in range(3)])
    features = rng.normal(size=(9, 4))
    placed, cols, rows = place_new_images(features, positions, rng.normal(size=(4, 4)), 3, 3)
    assert cols * rows >= 13 + 2  # and the reserve of 10 %
    assert cols >= rows >= 3
    cells = {tuple(p) for p in positions} | {tuple(p) for p in placed}
    assert len(cells) == 13 and all(0 <= c < cols and 0 <= r < rows for c, r in cells)


def test_grown_shape_adds_columns_and_rows_alternately():
    assert grown_shape(3, 3, 9) == (3, 3)
    assert grown_shape(3, 3, 10) == (4, 3)
    assert grown_shape(3, 3, 13) == (4, 4)
    assert grown_shape(3, 3, 17) == (5, 4)


def test_neighbour_targets_take_the_median_of_the_nearest_positions():
    kept = np.array([[0.0], [1.0], [2.0], [100.0]])
    positions = np.array([[0, 0], [4, 0], [8, 0], [50, 50]])
    target = neighbour_targets(kept, positions, np.array([[1.1]]), k=3)
    assert target.tolist() == [[4.0, 0.0]]


def test_assignment_is_optimal_and_widens_its_candidates():
    occupied = np.empty((0, 2), dtype=np.int64)
    # 30 images all aiming at one cell: far more than the first candidates around it.
    targets = np.zeros((30, 2))
    cells = assign_free_cells(occupied, 8, 8, targets)
    assert len({tuple(c) for c in cells}) == 30
    distances = np.sort((cells**2).sum(axis=1))
    everything = np.sort((free_cells(occupied, 8, 8) ** 2).sum(axis=1))[:30]
    assert distances.tolist() == everything.tolist()  # the 30 nearest cells, nothing farther


def test_too_few_free_cells_and_bad_cells_are_refused():
    with pytest.raises(ValueError, match="do not fit"):
        assign_free_cells(np.array([[0, 0]]), 1, 2, np.zeros((2, 2)))
    with pytest.raises(ValueError, match="inside"):
        free_cells(np.array([[2, 0]]), 2, 2)
    with pytest.raises(ValueError, match="distinct"):
        free_cells(np.array([[1, 1], [1, 1]]), 2, 2)
