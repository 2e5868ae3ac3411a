"""Place new images on an existing grid without moving the images already there.

A map that grows keeps every image it already shows in its cell (column and row): visitors keep
their bearings and shared links keep their neighbourhoods. Each new image goes to a free cell
next to the images it is most similar to:

1. its *target* is the coordinate-wise median of the positions of its ``k`` nearest images
   already on the map, nearest by Euclidean distance of their features (the PCA output that the
   layout was made from) (:func:`neighbour_targets`); the median, not the mean, so that a new
   image whose neighbours lie in two groups joins one of them rather than the gap between;
2. the new images get distinct free cells that minimise the total squared distance to their
   targets, an optimal assignment over the free cells nearest each target
   (:func:`assign_free_cells`: :func:`scipy.sparse.csgraph.min_weight_full_bipartite_matching`
   on a sparse candidate graph, widened until every image has a cell);
3. when there are fewer free cells than new images, the grid grows by whole columns on the
   right and rows at the bottom (:func:`grown_shape`), which leaves every existing ``(col, row)``
   as it is, with :data:`GROWTH_RESERVE` extra cells so that the next additions find room.

Removed images simply leave their cells free. Quality, measured on Fashion-MNIST in
``docs/benchmarks.md`` ("Maps that grow"), falls as more of the map is placed this way rather
than laid out afresh: a collection's policy relays it out past a share of placed images
(:mod:`.map_state`).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching
from scipy.spatial import cKDTree
from sklearn.neighbors import NearestNeighbors

#: Existing images whose positions make a new image's target. Measured (bench/bench_incremental.py).
DEFAULT_NEIGHBOURS = 5

#: Cells added beyond what the new images need when the grid grows, as a share of its images.
GROWTH_RESERVE = 0.1

#: Cells around a candidate cell whose images judge it: those within this grid distance, the
#: cells that become a placed image's nearest neighbours on the map.
SURROUNDING = 2

#: Weight of the squared grid distance to the target beside the (median-scaled) feature distance
#: to the images around a cell: among cells with equally similar surroundings, the nearer wins.
DISTANCE_WEIGHT = 0.01

_AROUND = np.array(
    [(dx, dy) for dx in range(-SURROUNDING, SURROUNDING + 1) for dy in range(-SURROUNDING, SURROUNDING + 1)
     if 0 < dx * dx + dy * dy <= SURROUNDING * SURROUNDING]
)
#: Feature values gathered at once while judging candidate cells (bounds memory to ~32 MB).
_GATHER_BUDGET = 4_000_000

#: Free cells first offered to each new image; doubled until the assignment is complete.
_FIRST_CANDIDATES = 16


def neighbour_targets(
    kept_features: np.ndarray, kept_positions: np.ndarray, new_features: np.ndarray, *, k: int = DEFAULT_NEIGHBOURS
) -> np.ndarray:
    """Where each new image belongs: the median position of its ``k`` nearest kept images.

    Parameters
    ----------
    kept_features : numpy.ndarray
        ``(M, D)`` features of the images already on the map (M >= 1).
    kept_positions : numpy.ndarray
        ``(M, P)`` their positions: grid ``(col, row)`` or layout ``(x, y)``.
    new_features : numpy.ndarray
        ``(K, D)`` features of the new images, in the same space.
    k : int
        Nearest kept images per new image (capped at M), at least 1.

    Returns
    -------
    numpy.ndarray
        ``(K, P)`` float64 targets.
    """
    kept_features = np.asarray(kept_features, dtype=np.float64)
    new_features = np.asarray(new_features, dtype=np.float64)
    kept_positions = np.asarray(kept_positions, dtype=np.float64)
    if kept_features.ndim != 2 or len(kept_features) == 0:
        raise ValueError(f"kept_features must be a non-empty (M, D) array, got shape {kept_features.shape}")
    if kept_positions.ndim != 2 or len(kept_positions) != len(kept_features):
        raise ValueError(f"kept_positions must be ({len(kept_features)}, P), got shape {kept_positions.shape}")
    if new_features.ndim != 2 or new_features.shape[1] != kept_features.shape[1]:
        raise ValueError(f"new_features must be (K, {kept_features.shape[1]}), got shape {new_features.shape}")
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if len(new_features) == 0:
        return np.empty((0, kept_positions.shape[1]))
    search = NearestNeighbors(n_neighbors=min(k, len(kept_features)), algorithm="brute")
    _, idx = search.fit(kept_features).kneighbors(new_features)
    return np.median(kept_positions[idx], axis=1)


def grown_shape(cols: int, rows: int, cells: int) -> tuple[int, int]:
    """The smallest grid holding ``cells`` cells made from ``cols x rows`` by adding columns on
    the right and rows at the bottom, a column whenever the grid is not wider than tall: it stays
    never taller than wide, as :func:`~.grid.grid_shape` makes it (a wide grid gains rows until
    it is square, then columns and rows in turn)."""
    if cols < 1 or rows < 1:
        raise ValueError(f"cols and rows must be positive, got {cols}x{rows}")
    while cols * rows < cells:
        if cols <= rows:
            cols += 1
        else:
            rows += 1
    return cols, rows


def assign_free_cells(
    occupied: np.ndarray,
    cols: int,
    rows: int,
    targets: np.ndarray,
    cost: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
) -> np.ndarray:
    """Distinct free cells for new images, near their targets, of least total cost.

    Parameters
    ----------
    occupied : numpy.ndarray
        ``(M, 2)`` integer ``(col, row)`` of the cells already taken (distinct, inside the grid).
    cols, rows : int
        The grid, with at least ``len(targets)`` free cells.
    targets : numpy.ndarray
        ``(K, 2)`` float ``(col, row)`` where each new image should go.
    cost : callable, optional
        ``cost(cells, distances)`` of the candidate cells ``(K, C, 2)`` offered to each image
        and their distances to its target ``(K, C)``: a non-negative ``(K, C)`` array. By
        default the squared distance.

    Returns
    -------
    numpy.ndarray
        ``(K, 2)`` int64 ``(col, row)``: the assignment of distinct free cells of least total
        cost among the free cells nearest each target (each image's candidates are widened
        until a complete assignment exists).
    """
    targets = np.asarray(targets, dtype=np.float64).reshape(-1, 2)
    free = free_cells(occupied, cols, rows)
    if len(free) < len(targets):
        raise ValueError(f"{len(targets)} images do not fit in {len(free)} free cells")
    if len(targets) == 0:
        return np.empty((0, 2), dtype=np.int64)
    tree = cKDTree(free)
    candidates = min(len(free), _FIRST_CANDIDATES)
    while True:
        dist, idx = tree.query(targets, k=candidates)
        dist, idx = dist.reshape(len(targets), -1), idx.reshape(len(targets), -1)
        weights = dist**2 if cost is None else np.asarray(cost(free[idx], dist), dtype=np.float64)
        # Shifted by 1: a sparse matrix cannot hold an edge of weight 0.
        graph = csr_matrix(
            (1.0 + weights.ravel(), idx.ravel(), np.arange(0, idx.size + 1, idx.shape[1])),
            shape=(len(targets), len(free)),
        )
        try:
            images, chosen = min_weight_full_bipartite_matching(graph)
            break
        except ValueError:  # some images compete for too few candidates: offer more
            if candidates == len(free):
                raise
            candidates = min(len(free), 2 * candidates)
    out = np.empty((len(targets), 2), dtype=np.int64)
    out[images] = free[chosen]
    return out


def free_cells(occupied: np.ndarray, cols: int, rows: int) -> np.ndarray:
    """``(F, 2)`` int64 ``(col, row)`` of the cells of a ``cols x rows`` grid not in ``occupied``,
    in row-major order."""
    taken = np.zeros((rows, cols), dtype=bool)
    occupied = np.asarray(occupied, dtype=np.int64).reshape(-1, 2)
    if len(occupied):
        if occupied.min() < 0 or (occupied[:, 0] >= cols).any() or (occupied[:, 1] >= rows).any():
            raise ValueError(f"occupied cells must lie inside the {cols}x{rows} grid")
        taken[occupied[:, 1], occupied[:, 0]] = True
        if taken.sum() != len(occupied):
            raise ValueError("occupied cells must be distinct")
    row, col = np.nonzero(~taken)
    return np.column_stack([col, row]).astype(np.int64)


def place_new_images(
    kept_features: np.ndarray,
    kept_positions: np.ndarray,
    new_features: np.ndarray,
    cols: int,
    rows: int,
    *,
    k: int = DEFAULT_NEIGHBOURS,
    reserve: float = GROWTH_RESERVE,
) -> tuple[np.ndarray, int, int]:
    """Place new images next to their most similar images on a grid whose images stay put.

    Parameters
    ----------
    kept_features, new_features : numpy.ndarray
        ``(M, D)`` and ``(K, D)`` features (the PCA output) of the images on the map and of the
        new ones; M >= 1.
    kept_positions : numpy.ndarray
        ``(M, 2)`` integer ``(col, row)`` of the images on the map: they keep them.
    cols, rows : int
        The map's grid.
    k : int
        Nearest images on the map that make each new image's target (:func:`neighbour_targets`).
    reserve : float
        When the grid must grow, the extra cells it gets, as a share of all its images (>= 0).

    Returns
    -------
    (positions, cols, rows)
        ``(K, 2)`` int64 ``(col, row)`` of the new images and the grid, grown on the right and
        at the bottom if the free cells did not suffice (:func:`grown_shape`).
    """
    if reserve < 0:
        raise ValueError(f"reserve must be non-negative, got {reserve}")
    kept_features = np.asarray(kept_features, dtype=np.float64)
    new_features = np.asarray(new_features, dtype=np.float64)
    kept_positions = np.asarray(kept_positions, dtype=np.int64)
    images = len(kept_positions) + len(new_features)
    if images > cols * rows:
        cols, rows = grown_shape(cols, rows, images + math.ceil(images * reserve))
    targets = neighbour_targets(kept_features, kept_positions, new_features, k=k)
    owner = np.full((rows, cols), -1, dtype=np.int64)
    owner[kept_positions[:, 1], kept_positions[:, 0]] = np.arange(len(kept_positions))

    def cost(cells: np.ndarray, distances: np.ndarray) -> np.ndarray:
        unlike = surrounding_distance(new_features, kept_features, owner, cells)
        scale = np.nanmedian(unlike) if np.isfinite(unlike).any() else 1.0
        # A cell with no image around it is as bad as the worst candidate with some.
        worst = np.nanmax(unlike, axis=1, initial=scale)[:, None]
        unlike = np.where(np.isnan(unlike), 2 * worst, unlike)
        return unlike / (scale or 1.0) + DISTANCE_WEIGHT * distances**2

    return assign_free_cells(kept_positions, cols, rows, targets, cost), cols, rows


def surrounding_distance(
    new_features: np.ndarray, kept_features: np.ndarray, owner: np.ndarray, cells: np.ndarray
) -> np.ndarray:
    """Mean feature distance between each new image and the images around each of its
    candidate cells: those within :data:`SURROUNDING` cells (NaN where there are none).

    ``owner[row, col]`` is the index in ``kept_features`` of the image in each cell, or -1;
    ``cells`` is ``(K, C, 2)`` ``(col, row)``; the result is ``(K, C)``.
    """
    rows, cols = owner.shape
    out = np.empty(cells.shape[:2])
    step = max(1, _GATHER_BUDGET // (cells.shape[1] * len(_AROUND) * kept_features.shape[1]))
    for start in range(0, len(cells), step):
        part = cells[start : start + step]
        col = part[:, :, None, 0] + _AROUND[:, 0]
        row = part[:, :, None, 1] + _AROUND[:, 1]
        inside = (col >= 0) & (col < cols) & (row >= 0) & (row < rows)
        around = np.where(inside, owner[row.clip(0, rows - 1), col.clip(0, cols - 1)], -1)
        present = around >= 0
        diff = kept_features[around.clip(0)] - new_features[start : start + step, None, None, :]
        dist = np.sqrt(np.einsum("kcjd,kcjd->kcj", diff, diff))
        with np.errstate(invalid="ignore"):
            out[start : start + step] = (dist * present).sum(axis=2) / present.sum(axis=2)
    return out
