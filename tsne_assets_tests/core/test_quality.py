import numpy as np
import pytest

from sklearn.datasets import load_digits

from tsne_assets.core.grid import assign_to_grid, auto_headroom, grid_shape, snap_to_grid
from tsne_assets.core.layout import tsne_layout
from tsne_assets.core.quality import (
    grid_label_purity,
    grid_preservation,
    label_purity,
    layout_preservation,
)
from tsne_assets.core.reduce import pca_reduce
from tsne_assets_tests.layouts import clustered_layout


def test_grid_preservation_of_a_grid_layout_is_high_and_of_a_shuffle_low():
    cols, rows = 30, 30
    cells = np.arange(cols * rows)
    xy = np.column_stack([cells % cols, -(cells // cols)]).astype(float)
    xy += np.random.default_rng(0).normal(scale=0.01, size=xy.shape)  # break layout ties
    assert grid_preservation(xy, cells, cols, k=8) > 0.95
    shuffled = np.random.default_rng(1).permutation(cells)
    assert grid_preservation(xy, shuffled, cols, k=8) < 0.05


def test_grid_preservation_does_not_depend_on_point_order():
    xy = clustered_layout(500, seed=4)
    cols, rows = grid_shape(500)
    cells = assign_to_grid(xy, cols, rows, method="optimal")
    order = np.random.default_rng(2).permutation(500)
    assert grid_preservation(xy, cells, cols) == pytest.approx(
        grid_preservation(xy[order], cells[order], cols), abs=1e-12
    )


def test_grid_preservation_shares_tied_grid_places():
    # On a 2x2 grid with k=1 every cell has two grid neighbours at distance 1, each counting
    # 1/2, and every point's layout neighbour is one of them.
    xy = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, -1.1], [5.0, -5.0]])
    cells = np.array([0, 1, 2, 3])
    # Layout nearest neighbours: 0->1, 1->0, 2->0, 3->2.
    # Grid: 0: {1, 2}; 1: {0, 3}; 2: {0, 3}; 3: {1, 2}.
    assert grid_preservation(xy, cells, 2, k=1) == pytest.approx(0.5)


def test_grid_preservation_small_inputs():
    assert grid_preservation(np.zeros((1, 2)), np.array([0]), 1) == 1.0
    assert grid_preservation(np.array([[0.0, 0], [1, 0]]), np.array([0, 1]), 2) == 1.0


def test_layout_preservation_is_one_for_the_same_layout_and_low_for_a_shuffle():
    features = np.random.default_rng(0).normal(size=(400, 2))
    assert layout_preservation(features, features) == pytest.approx(1.0)
    shuffled = np.random.default_rng(1).permutation(features)
    assert layout_preservation(features, shuffled) < 0.1


def test_layout_preservation_of_high_dimensional_features_sees_their_neighbours():
    # Clusters in 50-D laid out as the same clusters in 2-D keep most neighbourhoods; the same
    # layout with its points swapped between clusters keeps almost none.
    rng = np.random.default_rng(2)
    labels = np.repeat(np.arange(20), 20)
    features = rng.normal(size=(20, 50))[labels] * 10 + rng.normal(size=(400, 50))
    layout = rng.normal(size=(20, 2))[labels] * 100 + rng.normal(size=(400, 2))
    assert layout_preservation(features, layout) > 0.4
    assert layout_preservation(features, layout[rng.permutation(400)]) < 0.05


def test_a_sampled_measure_estimates_the_full_one():
    xy = clustered_layout(3000, seed=5)
    cols, rows = grid_shape(3000)
    cells = assign_to_grid(xy, cols, rows)
    full = grid_preservation(xy, cells, cols)
    sampled = grid_preservation(xy, cells, cols, sample=1000, seed=1)
    assert sampled != full and sampled == pytest.approx(full, abs=0.02)
    assert grid_preservation(xy, cells, cols, sample=1000, seed=1) == sampled  # seeded


def test_quality_rejects_bad_input():
    with pytest.raises(ValueError, match="reference"):
        layout_preservation(np.zeros((5, 3)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match="NaN"):
        layout_preservation(np.full((5, 3), np.nan), np.zeros((5, 2)))
    with pytest.raises(ValueError, match="sample"):
        grid_preservation(np.zeros((5, 2)), np.arange(5), 3, sample=0)
    with pytest.raises(ValueError, match="distinct"):
        grid_preservation(np.zeros((3, 2)), np.array([0, 0, 1]), 2)


def test_the_default_grid_keeps_classes_together_at_least_as_well_as_the_optimal_assignment():
    # scikit-learn's bundled digits (no download): the pipeline's default grid (turned, of the
    # layout's proportions, auto method, default headroom) against the exact assignment to a
    # near-square grid without empty cells.
    digits = load_digits()
    features, labels = pca_reduce(digits.data[:600]), digits.target[:600]
    xy = tsne_layout(features, seed=0)
    cells, cols, _ = snap_to_grid(xy, auto_headroom(600))
    default = grid_label_purity(cells, cols, labels)
    cols0, rows0 = grid_shape(600)
    optimal = grid_label_purity(assign_to_grid(xy, cols0, rows0, method="optimal"), cols0, labels)
    assert default >= optimal


def test_label_purity_counts_neighbours_sharing_a_label():
    xy = np.array([[0.0, 0], [0, 1], [10, 0], [10, 1]])
    assert label_purity(xy, np.array([0, 0, 1, 1]), k=1) == 1.0
    assert label_purity(xy, np.array([0, 1, 0, 1]), k=1) == 0.0
    # A 2x2 grid with k=1: each cell's two side neighbours share its one place.
    assert grid_label_purity(np.arange(4), 2, np.array([0, 0, 1, 1]), k=1) == pytest.approx(0.5)
