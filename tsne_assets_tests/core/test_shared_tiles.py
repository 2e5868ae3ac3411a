"""New images placed to share the pyramid's tiles (core/shared_tiles.py)."""

import numpy as np
import pytest

from tsne_assets.core.placement import place_new_images
from tsne_assets.core.shared_tiles import cells_per_tile, tile_keys, unshared_levels


def test_tile_keys_match_exactly_the_cells_in_one_tile_of_one_level():
    keys = tile_keys(np.array([[0, 0], [1, 1], [2, 0], [4, 4]]), (2, 2), levels=3)
    assert keys.shape == (4, 3)
    assert keys[0, 0] == keys[1, 0] != keys[2, 0]  # 2x2 cells per deepest tile
    assert keys[0, 1] == keys[2, 1] != keys[3, 1]  # 4x4 cells a level up
    assert keys[0, 2] == keys[3, 2]  # 8x8 two levels up
    assert len(set(keys[0].tolist())) == 3  # the same tile position on another level is another tile


def test_cells_per_tile_is_the_tile_size_over_the_cell_size():
    assert cells_per_tile(256, (128, 64)) == (2.0, 4.0)
    with pytest.raises(ValueError, match="positive"):
        cells_per_tile(0, (128, 128))


def test_a_cell_beside_another_new_image_opens_fewer_levels():
    # Image 0 is surest of (0, 0); image 1 is a little happier at (3, 3) than at (1, 0), but
    # (3, 3) would change a deepest tile of its own while (1, 0) shares image 0's.
    cells = np.array([[[0, 0], [5, 5]], [[3, 3], [1, 0]]])
    weights = np.array([[0.0, 1.0], [0.1, 0.5]])
    unshared = unshared_levels(cells, weights, (2, 2), levels=3)
    assert unshared.tolist() == [[0.0, 2.0], [1.0, 0.0]]


def test_a_candidate_taken_earlier_is_not_taken_again():
    cells = np.array([[[0, 0]], [[0, 0]]])
    assert unshared_levels(cells, np.zeros((2, 1)), (2, 2), levels=2).tolist() == [[0.0], [0.0]]


def _row_of_holes() -> tuple[np.ndarray, np.ndarray]:
    """An 8x4 grid full but for (0..3, 0), each kept image's features its own cell."""
    cells = np.array([(col, row) for row in range(4) for col in range(8) if not (row == 0 and col < 4)])
    return cells.astype(float), cells


def test_new_images_share_a_tile_when_asked_and_not_otherwise():
    features, positions = _row_of_holes()
    new = np.array([[1.0, 0.0], [2.0, 0.0]])  # each most like the images around its own hole
    alone, *_ = place_new_images(features, positions, new, 8, 4)
    shared, *_ = place_new_images(features, positions, new, 8, 4, tile_cells=(2, 2))
    assert alone.tolist() == [[1, 0], [2, 0]]  # two deepest tiles
    deepest = tile_keys(shared, (2, 2), levels=1)[:, 0]
    assert deepest[0] == deepest[1]  # one deepest tile
    assert len({tuple(cell) for cell in shared.tolist()}) == 2
