"""The grid's two assignment methods on their own (core/grid_solvers.py)."""

import itertools

import numpy as np
import pytest

from tsne_assets.core.grid_solvers import solve_optimal, solve_scalable


def total_cost(pos: np.ndarray, col: np.ndarray, row: np.ndarray) -> float:
    return float(((pos[:, 0] - col - 0.5) ** 2 + (pos[:, 1] - row - 0.5) ** 2).sum())


def test_solve_optimal_finds_the_cheapest_assignment_of_a_block():
    pos = np.random.default_rng(3).uniform([2, 1], [5, 3], size=(5, 2))
    col, row = solve_optimal(pos, 2, 5, 1, 3)
    cells = [(c, r) for r in range(1, 3) for c in range(2, 5)]
    best = min(
        sum((p[0] - c - 0.5) ** 2 + (p[1] - r - 0.5) ** 2 for p, (c, r) in zip(pos, chosen))
        for chosen in itertools.permutations(cells, len(pos))
    )
    assert total_cost(pos, col, row) == pytest.approx(best)
    assert len(set(zip(col.tolist(), row.tolist()))) == 5
    assert col.min() >= 2 and col.max() < 5 and row.min() >= 1 and row.max() < 3


def test_solve_scalable_gives_each_point_its_own_cell_and_keeps_order_along_a_split():
    rng = np.random.default_rng(0)
    pos = rng.uniform(0, [16, 12], size=(150, 2))
    col, row = solve_scalable(pos, 16, 12, block_cells=16)
    assert len(set(zip(col.tolist(), row.tolist()))) == 150
    assert col.min() >= 0 and col.max() < 16 and row.min() >= 0 and row.max() < 12
    # The first split halves the 16 columns: points left of the middle stay left where room allows.
    left = pos[:, 0] < 8
    assert ((col < 8) == left).mean() > 0.95


def test_solve_scalable_with_one_block_is_the_optimal_assignment():
    pos = np.random.default_rng(1).uniform(0, [4, 3], size=(10, 2))
    scalable = solve_scalable(pos, 4, 3, block_cells=12)
    optimal = solve_optimal(pos, 0, 4, 0, 3)
    assert total_cost(pos, *scalable) == pytest.approx(total_cost(pos, *optimal))


def test_the_solvers_refuse_more_points_than_cells_tiny_blocks_and_unknown_solvers():
    pos = np.zeros((5, 2))
    with pytest.raises(ValueError, match="do not fit in a block of 4 cells"):
        solve_optimal(pos, 0, 2, 0, 2)
    with pytest.raises(ValueError, match="do not fit in a 2x2 grid"):
        solve_scalable(pos, 2, 2, block_cells=4)
    with pytest.raises(ValueError, match="block_cells must be at least 4"):
        solve_scalable(pos[:1], 2, 2, block_cells=3)
    with pytest.raises(ValueError, match="solver must be 'scipy' or 'lap', got 'lapx'"):
        solve_scalable(pos[:1], 2, 2, block_cells=4, solver="lapx")
