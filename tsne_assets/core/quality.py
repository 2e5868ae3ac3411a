"""How well a map keeps neighbours: neighbour preservation of a layout and of a grid.

The measure is the one the benchmarks and the asset metadata report: the mean share of each
image's ``k`` nearest neighbours in a *reference* space (the features, or the 2-D layout)
that are also among its ``k`` nearest neighbours on the map. 1.0 keeps every neighbourhood;
a random map scores about ``k / N``.

A grid makes many neighbours equidistant, so the grid's neighbour set is ambiguous at its
k-th distance: cells nearer than that distance count fully and the ``m`` cells tied at it
share the remaining places, each counting ``places / m``: the expected score under a random
tie-break, independent of point order (:func:`grid_neighbours`).

Exact neighbours in a high-dimensional reference cost O(N^2 D); ``sample`` measures a seeded
random subset of images instead (their neighbours are still searched among all images), which
keeps a 100,000-image build's measurement to a second or two.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree
from sklearn.neighbors import NearestNeighbors

#: Neighbours per image in every figure the project reports.
DEFAULT_K = 10

#: Images measured by default at build time: the estimate's standard error stays under 0.01.
DEFAULT_SAMPLE = 2000


def layout_preservation(
    reference: np.ndarray, xy: np.ndarray, *, k: int = DEFAULT_K, sample: int | None = None, seed: int = 0
) -> float:
    """Share of each image's ``k`` neighbours in ``reference`` kept among its ``k`` in ``xy``.

    Parameters
    ----------
    reference : numpy.ndarray
        ``(N, D)`` points whose neighbourhoods should be kept (features, Euclidean).
    xy : numpy.ndarray
        ``(N, 2)`` layout of the same images.
    k : int
        Neighbours per image, capped at ``N - 1``.
    sample : int, optional
        Measure this many randomly chosen images (seeded by ``seed``) instead of all.

    Returns
    -------
    float
        In ``[0, 1]``; 1.0 for fewer than two images.
    """
    reference, n, k, queries = _prepare(reference, len(xy), k, sample, seed)
    if n < 2:
        return 1.0
    kept = _neighbours(reference, queries, k)
    layout = _neighbours(np.asarray(xy, dtype=np.float64), queries, k)
    hits = (kept[:, :, None] == layout[:, None, :]).sum()
    return float(hits) / (len(queries) * k)


def grid_preservation(
    reference: np.ndarray,
    cells: np.ndarray,
    cols: int,
    *,
    k: int = DEFAULT_K,
    sample: int | None = None,
    seed: int = 0,
) -> float:
    """Share of each image's ``k`` neighbours in ``reference`` kept among its ``k`` grid neighbours.

    Parameters
    ----------
    reference : numpy.ndarray
        ``(N, D)`` points whose neighbourhoods should be kept: the 2-D layout the grid was
        made from, or the features.
    cells : numpy.ndarray
        ``(N,)`` distinct cell indices, ``row * cols + col``.
    cols : int
        Columns of the grid.
    k, sample, seed
        As in :func:`layout_preservation`.
    """
    cells = np.asarray(cells)
    reference, n, k, queries = _prepare(reference, len(cells), k, sample, seed)
    if cells.shape != (n,):
        raise ValueError(f"cells must have shape ({n},), got {cells.shape}")
    if len(np.unique(cells)) != n:
        raise ValueError("cells must be distinct")
    if n < 2:
        return 1.0
    kept = _neighbours(reference, queries, k)
    grid_idx, grid_w = grid_neighbours(cells, cols, k, queries)
    total = 0.0
    for start in range(0, len(queries), 8192):  # chunks bound the (chunk, k, m) comparison to ~30 MB
        part = slice(start, start + 8192)
        total += float(((kept[part, :, None] == grid_idx[part, None, :]) * grid_w[part, None, :]).sum())
    return total / (len(queries) * k)


def label_purity(xy: np.ndarray, labels: np.ndarray, *, k: int = DEFAULT_K) -> float:
    """Mean share of each point's ``k`` nearest neighbours in ``xy`` that share its label: how
    well a layout (or features) of a labelled set keeps its classes together."""
    labels = np.asarray(labels)
    xy, n, k, queries = _prepare(xy, len(labels), k, None, 0)
    if n < 2:
        return 1.0
    return float((labels[_neighbours(xy, queries, k)] == labels[:, None]).mean())


def grid_label_purity(cells: np.ndarray, cols: int, labels: np.ndarray, *, k: int = DEFAULT_K) -> float:
    """:func:`label_purity` of a grid: each image's ``k`` grid neighbours, tied cells sharing
    the remaining places as in :func:`grid_neighbours`."""
    labels = np.asarray(labels)
    if len(labels) < 2:
        return 1.0
    k = min(int(k), len(labels) - 1)
    idx, weight = grid_neighbours(cells, cols, k)
    return float(((labels[idx] == labels[:, None]) * weight).sum() / (len(labels) * k))


def grid_neighbours(
    cells: np.ndarray, cols: int, k: int = DEFAULT_K, queries: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Each queried image's grid neighbours and their weights, ``(Q, m)`` arrays each.

    Weight 1 for cells nearer than the k-th grid distance; the cells tied at it share the
    remaining places. Neighbours are among the occupied cells only. ``queries`` are image
    indices (default: all).
    """
    cells = np.asarray(cells)
    points = np.column_stack([cells % cols, cells // cols]).astype(np.float64)
    n = len(points)
    queries = np.arange(n) if queries is None else np.asarray(queries)
    tree = cKDTree(points)
    m = min(n, 3 * k + 9)  # enough on a grid to hold the whole tied shell in nearly all cases
    while True:
        dist, idx = tree.query(points[queries], k=m)
        dist, idx = dist[:, 1:], idx[:, 1:]  # grid cells are distinct: self is first
        kth = dist[:, k - 1 : k]
        if m == n or (dist[:, -1:] > kth + 1e-9).all():
            break
        m = min(n, 2 * m)  # a shell was cut off (sparse grid): look further
    inside = dist < kth - 1e-9
    tied = np.abs(dist - kth) <= 1e-9
    places = k - inside.sum(axis=1, keepdims=True)
    return idx, inside + tied * (places / tied.sum(axis=1, keepdims=True))


def _prepare(
    reference: np.ndarray, n: int, k: int, sample: int | None, seed: int
) -> tuple[np.ndarray, int, int, np.ndarray]:
    reference = np.asarray(reference, dtype=np.float64)
    if reference.ndim != 2 or len(reference) != n:
        raise ValueError(f"reference must be an (N, D) array with N = {n}, got shape {reference.shape}")
    if not np.isfinite(reference).all():
        raise ValueError("reference contains NaN or infinite values")
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if sample is not None and sample < 1:
        raise ValueError(f"sample must be at least 1, got {sample}")
    k = min(int(k), max(n - 1, 1))
    if sample is None or sample >= n:
        queries = np.arange(n)
    else:
        queries = np.sort(np.random.default_rng(seed).choice(n, size=sample, replace=False))
    return reference, n, k, queries


def _neighbours(points: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """Indices of each queried point's ``k`` nearest other points, ``(Q, k)``."""
    if points.shape[1] <= 3:
        _, idx = cKDTree(points).query(points[queries], k=k + 1)
    else:  # exact brute force: trees do not help in high dimensions
        _, idx = NearestNeighbors(n_neighbors=k + 1, algorithm="brute").fit(points).kneighbors(points[queries])
    is_self = idx == queries[:, None]
    # With duplicates the point itself may not come first, or be beyond k + 1: drop the last.
    no_self = ~is_self.any(axis=1)
    is_self[no_self, -1] = True
    return idx[~is_self].reshape(len(queries), k)
