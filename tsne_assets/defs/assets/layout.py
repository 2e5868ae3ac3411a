"""From images to positions: CNN features, PCA, t-SNE and the grid."""

import dagster as dg
import numpy as np

from ...core.grid import assign_to_grid, auto_headroom, grid_shape
from ...core.layout import tsne_layout
from ...core.quality import DEFAULT_SAMPLE, grid_preservation, layout_preservation
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
    n_jobs: int = -1
    """Threads of openTSNE; -1 uses every core. The same seed and thread count give the same
    layout; pin this to rebuild a map identically on machines with other core counts."""


@dg.asset(**LAYOUT, io_manager_key="numpy_io_manager", kinds={"scikitlearn"})
def pca(config: PcaConfig, collection_spec: dict, features: np.ndarray) -> dg.Output[np.ndarray]:
    """The features projected on their principal components (at most ``n_components``)."""
    with stopwatch() as timing:
        reduced = pca_reduce(features, config.n_components, seed=spec_of(collection_spec).seed)
    return dg.Output(reduced, metadata={"components": int(reduced.shape[1]), "seconds": timing["seconds"]})


@dg.asset(**LAYOUT, io_manager_key="numpy_io_manager", kinds={"opentsne"})
def tsne(config: TsneConfig, collection_spec: dict, pca: np.ndarray) -> dg.Output[np.ndarray]:
    """The 2-D t-SNE layout of the images (openTSNE, with the spec's perplexity and seed).

    Metadata ``neighbour_preservation``: the share of each image's 10 nearest neighbours in
    feature space (the PCA output) that are among its 10 nearest in the layout, measured on
    up to 2,000 images (:mod:`~tsne_assets.core.quality`).
    """
    spec = spec_of(collection_spec)
    with stopwatch() as timing:
        layout = tsne_layout(pca, perplexity=spec.perplexity, seed=spec.seed, n_jobs=config.n_jobs)
    kept = layout_preservation(pca, layout, sample=DEFAULT_SAMPLE, seed=spec.seed)
    return dg.Output(
        layout,
        metadata={"images": len(layout), "seconds": timing["seconds"], "neighbour_preservation": _figure(kept)},
    )


@dg.asset(**LAYOUT, io_manager_key="json_io_manager", kinds={"scipy"})
def grid(collection_spec: dict, pca: np.ndarray, tsne: np.ndarray) -> dg.Output[dict]:
    """The t-SNE layout snapped to a near-square grid: one image per cell, neighbours kept,
    with the spec's headroom of empty cells between the layout's groups (by default
    :func:`~tsne_assets.core.grid.auto_headroom`).

    Metadata: ``neighbour_preservation``, the share of each image's 10 nearest neighbours in
    feature space that are among its 10 nearest on the grid (compare with the layout's), and
    ``layout_neighbours_kept``, the share of its 10 nearest in the layout.
    """
    spec = spec_of(collection_spec)
    headroom = auto_headroom(len(tsne)) if spec.headroom is None else spec.headroom
    cols, rows = grid_shape(len(tsne), headroom)
    with stopwatch() as timing:
        cells = assign_to_grid(tsne, cols, rows)
    measured = {"sample": DEFAULT_SAMPLE, "seed": spec.seed}
    return dg.Output(
        {"cols": cols, "rows": rows, "cells": cells.tolist()},
        metadata={
            "cols": cols,
            "rows": rows,
            "empty_cells": cols * rows - len(cells),
            "headroom": headroom,
            "neighbour_preservation": _figure(grid_preservation(pca, cells, cols, **measured)),
            "layout_neighbours_kept": _figure(grid_preservation(tsne, cells, cols, **measured)),
            "seconds": timing["seconds"],
        },
    )


def _figure(value: float) -> dg.MetadataValue:
    return dg.MetadataValue.float(round(float(value), 4))
