"""The 2-D t-SNE layout, with openTSNE."""

from __future__ import annotations

from typing import Literal

import numpy as np
import openTSNE
from openTSNE.affinity import MultiscaleMixture
from openTSNE.nearest_neighbors import PrecomputedNeighbors

from .neighbours import tsne_neighbour_count
from .threads import thread_count

DEFAULT_PERPLEXITY = 30.0

#: Iterations after openTSNE's 250 early-exaggeration ones. Measured (bench/bench_tsne.py,
#: docs/benchmarks.md): label purity and neighbour preservation stop improving by 500, as in
#: openTSNE's own default.
DEFAULT_ITERATIONS = 500


def tsne_layout(
    x: np.ndarray,
    *,
    perplexity: float = DEFAULT_PERPLEXITY,
    seed: int = 0,
    n_jobs: int = -1,
    negative_gradient_method: Literal["auto", "fft", "bh"] = "auto",
    n_iter: int = DEFAULT_ITERATIONS,
    neighbours: np.ndarray | None = None,
) -> np.ndarray:
    """Embed the rows of ``x`` (N x D) in two dimensions; returns an N x 2 float32 array.

    Parameters
    ----------
    x : numpy.ndarray
        The points (for the pipeline: PCA-reduced CNN features).
    perplexity : float
        The effective number of neighbours each point attends to; clamped to ``(N - 1) / 3``,
        the most a collection of N images supports, so that 2 or 3 images still lay out.
    seed : int
        Seeds the initialisation and the neighbour search. The same seed, data and number of
        threads give the same layout; another number of threads sums the gradient in another
        order and gives another, equally good layout (pin ``n_jobs`` to reproduce a map on
        machines with other core counts).
    n_jobs : int
        Threads; ``-1`` (default) uses every core, as ``len(os.sched_getaffinity(0))`` counts
        them.
    negative_gradient_method : {"auto", "fft", "bh"}
        openTSNE's repulsion: ``"auto"`` takes the FFT-accelerated interpolation above 10,000
        points and Barnes-Hut below.
    n_iter : int
        Iterations after the 250 early-exaggeration ones.
    neighbours : numpy.ndarray, optional
        Each point's nearest neighbours, already searched
        (:func:`~tsne_assets.core.neighbours.feature_neighbours` with the same perplexity and
        seed): the affinities take their first ``3 x perplexity`` instead of searching again.
        ``None`` searches here.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"x must be a 2-D array, not of shape {x.shape}")
    if perplexity <= 0:
        raise ValueError(f"perplexity must be positive, not {perplexity}")
    if n_iter < 1:
        raise ValueError(f"n_iter must be positive, not {n_iter}")
    threads = thread_count(n_jobs)
    n = x.shape[0]
    if n <= 1:
        return np.zeros((n, 2), dtype=np.float32)
    perplexity = min(perplexity, (n - 1) / 3)
    tsne = openTSNE.TSNE(
        n_components=2,
        perplexity=perplexity,
        n_iter=n_iter,
        negative_gradient_method=negative_gradient_method,
        random_state=seed,
        n_jobs=threads,
        verbose=False,
    )
    if neighbours is None:
        return np.asarray(tsne.fit(x), dtype=np.float32)
    k = tsne_neighbour_count(n, perplexity)
    if neighbours.dtype.names != ("index", "distance") or len(neighbours) != n:
        raise ValueError(f"neighbours must be one record of indices and distances per point ({n})")
    searched = neighbours.dtype["index"].shape[0]
    if searched < k:
        raise ValueError(f"perplexity {perplexity:g} needs {k} neighbours per point, not {searched}")
    # The affinities openTSNE's fit computes itself (a multiscale mixture of one perplexity).
    found = PrecomputedNeighbors(
        np.ascontiguousarray(neighbours["index"][:, :k], dtype=np.int64),
        np.ascontiguousarray(neighbours["distance"][:, :k]),
    )
    affinities = MultiscaleMixture(perplexities=perplexity, knn_index=found, n_jobs=threads)
    return np.asarray(tsne.fit(x, affinities=affinities), dtype=np.float32)

