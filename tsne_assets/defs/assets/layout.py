"""From images to positions: CNN features, PCA, t-SNE and the grid."""

import dagster as dg
import numpy as np

from ...core.grid import assign_to_grid, grid_shape, neighbour_preservation
from ...core.layout import tsne_layout
from ...core.reduce import DEFAULT_COMPONENTS, pca_reduce
from ._common import PARTITIONED, stopwatch
from .collection import spec_of
from .features import features

LAYOUT = {**PARTITIONED, "group_name": "layout"}

__all__ = ["features", "grid", "pca", "tsne"]


class PcaConfig(dg.Config):
    n_components: int = DEFAULT_COMPONENTS
    """Most principal components kept (clamped to the data)."""


class TsneConfig(dg.Config):
    n_jobs: int = 1
    """Threads of openTSNE."""


@dg.asset(**LAYOUT, io_manager_key="numpy_io_manager", kinds={"scikitlearn"})
def pca(config: PcaConfig, collection_spec: dict, features: np.ndarray) -> dg.Output[np.ndarray]:
    """The features projected on their principal components (at most ``n_components``)."""
    with stopwatch() as timing:
        reduced = pca_reduce(features, config.n_components, seed=spec_of(collection_spec).seed)
    return dg.Output(reduced, metadata={"components": int(reduced.shape[1]), "seconds": timing["seconds"]})


@dg.asset(**LAYOUT, io_manager_key="numpy_io_manager", kinds={"opentsne"})
def tsne(config: TsneConfig, collection_spec: dict, pca: np.ndarray) -> dg.Output[np.ndarray]:
    """The 2-D t-SNE layout of the images (openTSNE, with the spec's perplexity and seed)."""
    spec = spec_of(collection_spec)
    with stopwatch() as timing:
        layout = tsne_layout(pca, perplexity=spec.perplexity, seed=spec.seed, n_jobs=config.n_jobs)
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
