"""From images to positions: CNN features, PCA, t-SNE and the grid."""

import dagster as dg
import numpy as np

from ...core.grid import assign_to_grid, grid_shape, neighbour_preservation
from ...core.layout import DEFAULT_PERPLEXITY, tsne_layout
from ...core.reduce import DEFAULT_COMPONENTS, pca_reduce
from ._common import PARTITIONED, stopwatch
from .features import features

LAYOUT = {**PARTITIONED, "group_name": "layout"}

__all__ = ["features", "grid", "pca", "tsne"]


class PcaConfig(dg.Config):
    n_components: int = DEFAULT_COMPONENTS
    seed: int = 0


class TsneConfig(dg.Config):
    perplexity: float = DEFAULT_PERPLEXITY
    seed: int = 0
    n_jobs: int = 1


@dg.asset(**LAYOUT, io_manager_key="numpy_io_manager", kinds={"scikitlearn"})
def pca(config: PcaConfig, features: np.ndarray) -> dg.Output[np.ndarray]:
    """The features projected on their principal components (at most ``n_components``)."""
    with stopwatch() as timing:
        reduced = pca_reduce(features, config.n_components, seed=config.seed)
    return dg.Output(reduced, metadata={"components": int(reduced.shape[1]), "seconds": timing["seconds"]})


@dg.asset(**LAYOUT, io_manager_key="numpy_io_manager", kinds={"opentsne"})
def tsne(config: TsneConfig, pca: np.ndarray) -> dg.Output[np.ndarray]:
    """The 2-D t-SNE layout of the images (openTSNE, seeded)."""
    with stopwatch() as timing:
        layout = tsne_layout(pca, perplexity=config.perplexity, seed=config.seed, n_jobs=config.n_jobs)
    return dg.Output(layout, metadata={"images": len(layout), "seconds": timing["seconds"]})


@dg.asset(**LAYOUT, io_manager_key="json_io_manager", kinds={"scipy"})
def grid(tsne: np.ndarray) -> dg.Output[dict]:
    """The t-SNE layout snapped to a near-square grid: one image per cell, neighbours kept."""
    cols, rows = grid_shape(len(tsne))
    with stopwatch() as timing:
        cells = assign_to_grid(tsne, cols, rows)
    kept = neighbour_preservation(tsne, cells, cols) if len(tsne) > 1 else 1.0
    return dg.Output(
        {"cols": cols, "rows": rows, "cells": cells.tolist()},
        metadata={
            "cols": cols,
            "rows": rows,
            "empty_cells": cols * rows - len(cells),
            "neighbours_kept": dg.MetadataValue.float(round(float(kept), 4)),
            "seconds": timing["seconds"],
        },
    )
