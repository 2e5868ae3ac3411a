"""Similar images: each image's nearest images in feature space, found once at build time.

The viewer's details panel lists them ("similar objects"). They are published beside the
viewer metadata as :data:`SIMILAR_NAME`, a row-major table of little-endian int32 item indices
(``n`` rows of ``k``, nearest first), which the viewer fetches after its first paint: at 100,000
images the table is 4.8 MB, too much to hold up the map.

Similarity is the cosine of the angle between PCA-reduced CNN features: the direction of an
embedding says what is in the picture, its length mostly how strongly the network responded
(contrast, size of the object), which should not decide what is similar. The images compared
are each image's nearest by Euclidean distance, which the build searches once for the t-SNE as
well (:mod:`~tsne_assets.core.neighbours`); among them the most similar are ranked by their
float64 cosine. Where the candidates are every other image (collections of up to 91 images at
the default perplexity), the ranking is exact.
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
#: Images whose candidates are compared at a time (bounds their copies: 512 x 90 x 256 x 4 B).
_ROWS_PER_BLOCK = 512
#: Rows converted to float32 unit vectors at a time (bounds the float64 copy).
_ROWS_PER_COPY = 16_384
#: Candidates beyond ``k`` that float32 picks for the float64 ranking.
_SPARE_CANDIDATES = 8


def most_similar(vectors: np.ndarray, candidates: np.ndarray, k: int = DEFAULT_NEIGHBOURS) -> np.ndarray:
    """Each row's ``k`` most similar rows by cosine similarity among its candidates, most similar
    first.

    Parameters
    ----------
    vectors:
        One feature vector per image, shape ``(n, d)`` (the PCA output; a memory map is read in
        blocks). An all-zero row has cosine 0 with every row.
    candidates:
        ``(n, c)`` indices of the rows each row is compared with: its nearest neighbours (the
        ``index`` field of :func:`~tsne_assets.core.neighbours.feature_neighbours`). A row
        listing itself (where a duplicate image took its place) never gets itself. Where ``c``
        is ``n - 1``, every row is compared with every other.
    k:
        Similar images per image, at least 1; clamped to ``n - 1``, and to ``c - 1`` where the
        candidates are not every other image.

    Returns
    -------
    numpy.ndarray
        ``(n, k)`` :data:`SIMILAR_DTYPE` indices into ``vectors``; equal cosines are listed in
        index order.
    """
    vectors = np.asarray(vectors)
    candidates = np.asarray(candidates)
    if vectors.ndim != 2:
        raise ValueError(f"vectors must be a 2-D array (images x dimensions), not shape {vectors.shape}")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a positive integer, not {k!r}")
    n = len(vectors)
    if candidates.ndim != 2 or len(candidates) != n:
        raise ValueError(f"candidates must have one row per image ({n}), not shape {candidates.shape}")
    if candidates.shape[1] >= n - 1:
        # Every other image (row i: 0 ... i - 1, i + 1 ... n - 1), whatever the search returned
        # for duplicates: the ranking is exact.
        columns = np.arange(max(n - 1, 0))
        candidates = columns + (columns >= np.arange(n)[:, None])
        k = min(int(k), n - 1)
    else:
        k = min(int(k), candidates.shape[1] - 1)  # one candidate may be the row itself
    table = np.empty((n, max(k, 0)), dtype=SIMILAR_DTYPE)
    if k < 1:
        return table
    norms = np.empty(n)
    unit = np.empty(vectors.shape, dtype=np.float32)
    for rows in _blocks(n, _ROWS_PER_COPY):
        block = np.asarray(vectors[rows], dtype=np.float64)
        lengths = np.linalg.norm(block, axis=1)
        norms[rows] = np.where(lengths > 0, lengths, 1.0)  # a zero row stays zero: cosine 0 with every row
        unit[rows] = block / norms[rows, None]
    picked = min(k + _SPARE_CANDIDATES, candidates.shape[1])
    for rows in _blocks(n, _ROWS_PER_BLOCK):
        # In index order, so that the stable sort below keeps tied candidates in index order.
        found = np.sort(candidates[rows], axis=1)
        # float32 picks the best candidates, the float64 cosine ranks them: a few spares cover
        # rounding that swapped the last of them with the next.
        cosine = np.einsum("qcd,qd->qc", unit.take(found.ravel(), axis=0).reshape(*found.shape, -1), unit[rows])
        cosine[found == np.arange(rows.start, rows.stop)[:, None]] = -np.inf
        if picked < found.shape[1]:
            found = np.take_along_axis(found, np.argsort(-cosine, axis=1, kind="stable")[:, :picked], axis=1)
        others = np.asarray(vectors[found.ravel()], dtype=np.float64).reshape(*found.shape, -1)
        cosine = np.einsum("qcd,qd->qc", others, np.asarray(vectors[rows], dtype=np.float64))
        cosine /= norms[found] * norms[rows, None]
        cosine[found == np.arange(rows.start, rows.stop)[:, None]] = -np.inf
        order = np.lexsort((found, -cosine), axis=-1)[:, :k]
        table[rows] = np.take_along_axis(found, order, axis=1)
    return table


def _blocks(n: int, size: int) -> list[slice]:
    """``0...n`` in consecutive slices of at most ``size`` rows."""
    return [slice(start, min(n, start + size)) for start in range(0, n, size)]


def similar_bytes(table: np.ndarray) -> bytes:
    """The published form of a table from :func:`most_similar`: row-major little-endian int32."""
    return np.ascontiguousarray(table, dtype=SIMILAR_DTYPE).tobytes()


def similar_section(table: np.ndarray) -> dict[str, Any] | None:
    """What the viewer metadata says about the table (``{"path": ..., "k": ...}``), or ``None``
    when there is nothing to publish (a collection of one image)."""
    k = int(table.shape[1]) if table.ndim == 2 else 0
    return {"path": SIMILAR_NAME, "k": k} if k else None
