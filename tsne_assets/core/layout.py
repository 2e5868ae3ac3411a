"""The 2-D t-SNE layout, with openTSNE."""

from __future__ import annotations

from typing import Literal

import numpy as np
import openTSNE

DEFAULT_PERPLEXITY = 30.0


def tsne_layout(
    x: np.ndarray,
    *,
    perplexity: float = DEFAULT_PERPLEXITY,
    seed: int = 0,
    n_jobs: int = 1,
    negative_gradient_method: Literal["auto", "fft", "bh"] = "auto",
    n_iter: int = 750,
) -> np.ndarray:
    """Embed the rows of ``x`` (N x D) in two dimensions; returns an N x 2 float32 array.

    Seeded and reproducible for a given ``seed`` and ``n_jobs``. ``perplexity`` is clamped to
    ``(N - 1) / 3``, the most a collection of N images supports, so that collections of 1, 2
    or 3 images still lay out. ``negative_gradient_method="auto"`` lets openTSNE choose the
    FFT-accelerated interpolation above 10,000 points and Barnes-Hut below.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"x must be a 2-D array, not of shape {x.shape}")
    if perplexity <= 0:
        raise ValueError(f"perplexity must be positive, not {perplexity}")
    n = x.shape[0]
    if n == 0:
        return np.zeros((0, 2), dtype=np.float32)
    if n == 1:
        return np.zeros((1, 2), dtype=np.float32)
    tsne = openTSNE.TSNE(
        n_components=2,
        perplexity=min(perplexity, (n - 1) / 3),
        n_iter=n_iter,
        negative_gradient_method=negative_gradient_method,
        random_state=seed,
        n_jobs=n_jobs,
        verbose=False,
    )
    return np.asarray(tsne.fit(x), dtype=np.float32)
