"""Principal component analysis of CNN features before t-SNE."""

from __future__ import annotations

import numpy as np
from sklearn.decomposition import PCA

DEFAULT_COMPONENTS = 256

#: Most rows the components are fitted on; larger collections are fitted on a seeded sample of
#: this many and projected in chunks, so that memory stays bounded (the sample, 0.25 GB at
#: 1,280 features) however many images there are.
FIT_SAMPLE = 50_000

#: Rows projected at a time.
_CHUNK = 20_000


def pca_reduce(features: np.ndarray, n_components: int = DEFAULT_COMPONENTS, *, seed: int = 0) -> np.ndarray:
    """Project ``features`` (N x D) onto their first principal components.

    ``n_components`` is clamped to ``min(N, D)``, which is all the data allows; the original
    tool crashed on collections smaller than its fixed 300 components. Fewer than two samples
    have no variance to analyse, and map to a single zero component.

    Above :data:`FIT_SAMPLE` images the components are fitted on a seeded sample of that many
    and every image is projected in chunks, which bounds the memory.

    Returns an N x k float32 array, k = the clamped number of components.
    """
    features = np.asarray(features, dtype=np.float32)
    if features.ndim != 2:
        raise ValueError(f"features must be a 2-D array, not of shape {features.shape}")
    if n_components < 1:
        raise ValueError(f"n_components must be at least 1, not {n_components}")
    n_samples, n_features = features.shape
    if n_samples < 2:
        return np.zeros((n_samples, 1), dtype=np.float32)
    k = min(n_components, n_samples, n_features)
    # With more images than features, the eigendecomposition of the D x D covariance is exact,
    # deterministic and small: measured 10x faster than the randomized SVD on 50,000 x 1,280
    # features (2.4 s against 22 s), with 1/5 of its extra memory. Else let scikit-learn choose
    # (a seeded randomized SVD, or the full one).
    solver = "covariance_eigh" if min(n_samples, FIT_SAMPLE) >= n_features else "auto"
    pca = PCA(n_components=k, svd_solver=solver, random_state=seed)
    if n_samples <= FIT_SAMPLE:
        return pca.fit_transform(features).astype(np.float32)
    sample = np.sort(np.random.default_rng(seed).choice(n_samples, FIT_SAMPLE, replace=False))
    pca.fit(features[sample])
    reduced = np.empty((n_samples, k), dtype=np.float32)
    for start in range(0, n_samples, _CHUNK):
        reduced[start : start + _CHUNK] = pca.transform(features[start : start + _CHUNK])
    return reduced
