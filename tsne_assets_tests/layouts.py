"""Synthetic 2-D layouts shared by the grid tests and bench/bench_grid.py."""

import numpy as np


def clustered_layout(n: int, seed: int = 0, clusters: int = 12) -> np.ndarray:
    """t-SNE-like layout: Gaussian clusters of unequal size and spread."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, 2)) * 12
    label = rng.choice(clusters, n, p=rng.dirichlet(np.full(clusters, 2.0)))
    spread = rng.uniform(0.5, 2.0, clusters)
    return centres[label] + rng.normal(size=(n, 2)) * spread[label, None]
