"""Similar images: each image's nearest images in feature space, found once at build time.

The viewer's details panel lists them ("similar objects"). They are published beside the
viewer metadata as :data:`SIMILAR_NAME`, a row-major table of little-endian int32 item indices
(``n`` rows of ``k``, nearest first), which the viewer fetches after its first paint: at 100,000
images the table is 4.8 MB, too much to hold up the map.

Similarity is the cosine of the angle between PCA-reduced CNN features: the direction of an
embedding says what is in the picture, its length mostly how strongly the network responded
(contrast, size of the object), which should not decide what is similar. The search is exact
brute force (256 dimensions defeat trees): blocks of queries are multiplied with every unit row
in float32 (BLAS, a block per core), the best candidates of each row are picked without sorting the
row, and those candidates are ranked by their float64 cosine.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: The table's file name in a published version.
SIMILAR_NAME = "similar.bin"
#: How many similar images each image gets (fewer where the collection is smaller).
DEFAULT_NEIGHBOURS = 12
#: The table's byte layout: little-endian 32-bit signed integers.
SIMILAR_DTYPE = np.dtype("<i4")
#: Default memory of one block of float32 similarities (queries x all images), in MiB.
BLOCK_MIB = 64
#: Candidates beyond ``k`` that float32 picks for the float64 ranking.
_SPARE_CANDIDATES = 8
#: Columns per group whose maximum screens them (fewer in a small collection).
_GROUP = 16
#: Rows converted to float32 unit vectors at a time (bounds the float64 copy).
_ROWS_PER_COPY = 16_384
#: The most queries in a block: their candidates' float64 vectors are gathered for the ranking.
_BLOCK_ROWS = 512


def nearest_images(
    vectors: np.ndarray, k: int = DEFAULT_NEIGHBOURS, *, n_jobs: int = -1, block_mib: int = BLOCK_MIB
) -> np.ndarray:
    """Each row's ``k`` most similar other rows by cosine similarity, most similar first.

    Parameters
    ----------
    vectors:
        One feature vector per image, shape ``(n, d)`` (the PCA output; a memory map is read in
        blocks). An all-zero row has cosine 0 with every row.
    k:
        Neighbours per image, at least 1; clamped to ``n - 1``.
    n_jobs:
        Threads, each searching a block of queries at a time: -1 for every core, else a
        positive number.
    block_mib:
        Memory of one block of similarities (float32 queries x all rows), at least 1: the
        search's working memory is a block per thread beside a float32 copy of the unit rows.

    Returns
    -------
    numpy.ndarray
        ``(n, min(k, n - 1))`` :data:`SIMILAR_DTYPE` indices into ``vectors``; an image is never
        its own neighbour, even where duplicates tie with it; equal cosines are listed in index
        order.
    """
    from concurrent.futures import ThreadPoolExecutor

    from threadpoolctl import threadpool_limits

    from .layout import available_cores

    vectors = np.asarray(vectors)
    if vectors.ndim != 2:
        raise ValueError(f"vectors must be a 2-D array (images x dimensions), not shape {vectors.shape}")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a positive integer, not {k!r}")
    if n_jobs == 0 or n_jobs < -1:
        raise ValueError(f"n_jobs must be -1 (every core) or a positive number of threads, not {n_jobs}")
    if block_mib < 1:
        raise ValueError(f"block_mib must be at least 1, not {block_mib}")
    n = len(vectors)
    k = min(int(k), n - 1)
    if k < 1:
        return np.empty((n, 0), dtype=SIMILAR_DTYPE)
    # float32 picks the candidates; the float64 ranking needs a few spares where rounding
    # swapped the last of them with the next.
    candidates = min(k + _SPARE_CANDIDATES, n - 1)
    # Columns fall into `width` groups of `stride` strided columns: the best `candidates`
    # columns of a row lie in the groups with the best `candidates` maxima.
    stride = max(1, min(_GROUP, n // (4 * candidates)))
    width = -(-n // stride)
    unit = np.zeros((width * stride, vectors.shape[1]), dtype=np.float32)  # padding rows stay zero
    norms = np.empty(n)
    for start in range(0, n, _ROWS_PER_COPY):
        stop = min(n, start + _ROWS_PER_COPY)
        norms[start:stop] = _lengths(vectors[start:stop])
        unit[start:stop] = vectors[start:stop] / norms[start:stop, None]
    rows_per_block = max(1, min(_BLOCK_ROWS, (block_mib << 20) // (4 * len(unit))))
    workers = available_cores() if n_jobs == -1 else n_jobs

    def search(start: int) -> np.ndarray:
        stop = min(n, start + rows_per_block)
        found = _best_columns(unit[start:stop] @ unit.T, start, n, stride, width, candidates)
        return _ranked(vectors, norms, start, found)[:, :k]

    table = np.empty((n, k), dtype=SIMILAR_DTYPE)
    starts = range(0, n, rows_per_block)
    # A block per thread, each product on one BLAS thread: the picking, one thread's work in
    # NumPy, runs beside the other block's product instead of leaving a core idle.
    with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(workers) as pool:
        for start, rows in zip(starts, pool.map(search, starts)):
            table[start : start + len(rows)] = rows
    return table


def _best_columns(
    similarity: np.ndarray, start: int, n: int, stride: int, width: int, count: int
) -> np.ndarray:
    """The ``count`` columns of largest float32 similarity of each row of a block (queries
    ``start...``), unordered, never the query itself nor a padding column; ``similarity`` is
    overwritten."""
    rows = np.arange(len(similarity))
    similarity[rows, start + rows] = -np.inf
    similarity[:, n:] = -np.inf
    grouped = similarity.reshape(len(similarity), stride, width)  # group j: columns j, j + width, ...
    groups = np.argpartition(grouped.max(axis=1), -count, axis=1)[:, -count:]
    columns = (groups[:, :, None] + width * np.arange(stride)).reshape(len(similarity), -1)
    best = np.argpartition(np.take_along_axis(similarity, columns, axis=1), -count, axis=1)[:, -count:]
    return np.take_along_axis(columns, best, axis=1)


def _ranked(vectors: np.ndarray, norms: np.ndarray, start: int, found: np.ndarray) -> np.ndarray:
    """Queries ``start...``'s candidate columns ``found``, by float64 cosine (largest first,
    ties in index order); ``norms`` are the rows' float64 lengths, 1 for an all-zero row."""
    queries = np.asarray(vectors[start : start + len(found)], dtype=np.float64)
    others = np.asarray(vectors[found.ravel()], dtype=np.float64).reshape(*found.shape, -1)
    cosine = np.einsum("qd,qcd->qc", queries, others) / norms[found] / norms[start : start + len(found), None]
    order = np.lexsort((found, -cosine), axis=-1)
    return np.take_along_axis(found, order, axis=1)


def _lengths(rows: np.ndarray) -> np.ndarray:
    """Each row's float64 length, 1 for an all-zero row (which stays zero when divided)."""
    norms = np.linalg.norm(np.asarray(rows, dtype=np.float64), axis=1)
    return np.where(norms > 0, norms, 1.0)


def similar_bytes(table: np.ndarray) -> bytes:
    """The published form of a table from :func:`nearest_images`: row-major little-endian int32."""
    return np.ascontiguousarray(table, dtype=SIMILAR_DTYPE).tobytes()


def similar_section(table: np.ndarray) -> dict[str, Any] | None:
    """What the viewer metadata says about the table (``{"path": ..., "k": ...}``), or ``None``
    when there is nothing to publish (a collection of one image)."""
    k = int(table.shape[1]) if table.ndim == 2 else 0
    return {"path": SIMILAR_NAME, "k": k} if k else None
