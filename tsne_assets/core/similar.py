"""Similar images: each image's nearest images in feature space, found once at build time.

The viewer's details panel lists them ("similar objects"). They are published beside the
viewer metadata as :data:`SIMILAR_NAME`, a row-major table of little-endian int32 item indices
(``n`` rows of ``k``, nearest first), which the viewer fetches after its first paint: at 100,000
images the table is 4.8 MB, too much to hold up the map.

Similarity is the cosine of the angle between PCA-reduced CNN features: the direction of an
embedding says what is in the picture, its length mostly how strongly the network responded
(contrast, size of the object), which should not decide what is similar. On unit vectors the
Euclidean order is the cosine order, so the search runs as Euclidean over normalised rows, on
scikit-learn's brute-force BLAS path in memory-bounded chunks.
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


def nearest_images(vectors: np.ndarray, k: int = DEFAULT_NEIGHBOURS, *, n_jobs: int = 1) -> np.ndarray:
    """Each row's ``k`` most similar other rows by cosine similarity, most similar first.

    Parameters
    ----------
    vectors:
        One feature vector per image, shape ``(n, d)`` (the PCA output).
    k:
        Neighbours per image, at least 1; clamped to ``n - 1``.
    n_jobs:
        Threads of scikit-learn's neighbour search.

    Returns
    -------
    numpy.ndarray
        ``(n, min(k, n - 1))`` :data:`SIMILAR_DTYPE` indices into ``vectors``; an image is never
        its own neighbour, even where duplicates tie with it.
    """
    from sklearn.neighbors import NearestNeighbors

    vectors = np.asarray(vectors, dtype=np.float64)
    if vectors.ndim != 2:
        raise ValueError(f"vectors must be a 2-D array (images x dimensions), not shape {vectors.shape}")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a positive integer, not {k!r}")
    n = len(vectors)
    k = min(int(k), n - 1)
    if k < 1:
        return np.empty((n, 0), dtype=SIMILAR_DTYPE)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(norms > 0, norms, 1.0)  # an all-zero row stays zero: equally far from all
    search = NearestNeighbors(n_neighbors=k + 1, algorithm="brute", metric="euclidean", n_jobs=n_jobs).fit(unit)
    found = search.kneighbors(unit, return_distance=False)
    # Drop each image itself; where a duplicate displaced it from the list, drop the last instead.
    rows = np.arange(n)[:, None]
    is_self = found == rows
    is_self[~is_self.any(axis=1), -1] = True
    return found[~is_self].reshape(n, k).astype(SIMILAR_DTYPE)


def similar_bytes(table: np.ndarray) -> bytes:
    """The published form of a table from :func:`nearest_images`: row-major little-endian int32."""
    return np.ascontiguousarray(table, dtype=SIMILAR_DTYPE).tobytes()


def similar_section(table: np.ndarray) -> dict[str, Any] | None:
    """What the viewer metadata says about the table (``{"path": ..., "k": ...}``), or ``None``
    when there is nothing to publish (a collection of one image)."""
    k = int(table.shape[1]) if table.ndim == 2 else 0
    return {"path": SIMILAR_NAME, "k": k} if k else None
