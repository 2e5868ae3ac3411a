"""Each image's nearest images in feature space, searched once per build for two uses.

The t-SNE's affinities need each point's ``3 x perplexity`` nearest neighbours by Euclidean
distance (openTSNE's own search: exact below 1,000 points, Annoy above), and the viewer's
similar images are each image's most similar by cosine. One search serves both: the t-SNE takes
the table's first ``3 x perplexity`` columns, and the similar images are ranked by cosine among
all of them (:func:`~tsne_assets.core.similar.most_similar`). The search is the call openTSNE
makes itself, so that at the default perplexity (30: 90 neighbours) the layout is the one
openTSNE alone gives. At least :data:`MIN_CANDIDATES` are searched so that a small perplexity
leaves the similar images enough candidates (the t-SNE then takes the nearest of a wider
search): on Fashion-MNIST's CNN features the best 12 by cosine among 90 Euclidean neighbours are
98.5% of the exact best 12, and share their images' class as often (docs/benchmarks.md,
"Similar images and clusters"). The neighbours depend on the seed and, above 1,000 images, on
the number of threads: pin both to rebuild a map identically.

The table is a NumPy structured array, one record per image: ``index`` (int32) and ``distance``
(float64, as the search returns it) of its ``k`` neighbours, nearest first.
"""

from __future__ import annotations

import numpy as np

from .threads import thread_count

#: The fewest neighbours searched per image (fewer only where the collection is smaller).
MIN_CANDIDATES = 90


def neighbour_dtype(k: int) -> np.dtype:
    """The record of one image's ``k`` neighbours: their indices and distances, nearest first."""
    return np.dtype([("index", "<i4", (k,)), ("distance", "<f8", (k,))])


def tsne_neighbour_count(n: int, perplexity: float) -> int:
    """How many neighbours openTSNE searches for ``n`` points at ``perplexity`` (after the
    layout clamps it to ``(n - 1) / 3``)."""
    return min(n - 1, int(3 * min(perplexity, (n - 1) / 3)))


def feature_neighbours(
    x: np.ndarray, *, perplexity: float, seed: int = 0, n_jobs: int = -1
) -> np.ndarray:
    """Each row's nearest other rows of ``x`` by Euclidean distance, nearest first.

    Parameters
    ----------
    x:
        One feature vector per image, shape ``(n, d)`` (the PCA output).
    perplexity:
        The t-SNE's perplexity: ``3 x perplexity`` neighbours are searched, and at least
        :data:`MIN_CANDIDATES`, at most ``n - 1``.
    seed:
        Seeds the approximate search (as the t-SNE's seed seeds openTSNE's).
    n_jobs:
        Threads of the search: -1 (default) for every core, else a positive number.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` records of :func:`neighbour_dtype`; ``k`` is 0 for a single image.
    """
    from openTSNE.affinity import get_knn_index

    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"x must be a 2-D array (images x dimensions), not shape {x.shape}")
    if perplexity <= 0:
        raise ValueError(f"perplexity must be positive, not {perplexity}")
    threads = thread_count(n_jobs)
    n = len(x)
    k = min(n - 1, max(tsne_neighbour_count(n, perplexity), MIN_CANDIDATES))
    table = np.zeros(n, dtype=neighbour_dtype(max(k, 0)))
    if k < 1:
        return table
    # The same call as openTSNE's TSNE.fit makes, so that the layout does not change.
    search = get_knn_index(x, "auto", k, "euclidean", n_jobs=threads, random_state=seed)
    indices, distances = search.build()
    table["index"], table["distance"] = indices, distances
    return table
