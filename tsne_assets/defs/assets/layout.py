"""From images to positions: CNN features, PCA, the layout plan, t-SNE and the grid.

A rebuild keeps the map: ``layout_plan`` compares the build's images with the map state the
last build left (``maps/<id>.json``, :mod:`~tsne_assets.core.map_state`), and unless a fresh
layout is due, ``tsne`` places only the new images in the layout (no t-SNE run) and ``grid``
puts them in free cells next to their most similar images (:mod:`~tsne_assets.core.placement`);
every other image keeps its cell. ``grid`` then writes the new map state.

The state is a file of its own beside the asset values, not the grid asset's previous value:
the grid's value is aligned to this build's images for the steps after it, while the state is
keyed by image id across builds, and reading an asset's own earlier materialization is not
something Dagster's lineage expresses for dynamically partitioned assets.
"""

import datetime

import dagster as dg
import numpy as np
import pandas as pd

from ...core import storage as storage_paths
from ...core.grid import auto_headroom, cell_positions, position_cells, snap_to_grid
from ...core.kept_map import kept_grid, kept_layout, next_state
from ...core.layout import tsne_layout
from ...core.neighbours import feature_neighbours as feature_neighbours_of
from ...core.manifest import readable_images
from ...core.map_state import (
    DEFAULT_RELAYOUT_SHARE,
    STATE_FOLDER,
    layout_settings,
    load_state,
    plan_document,
    plan_layout,
)
from ...core.quality import DEFAULT_SAMPLE, grid_preservation, layout_preservation
from ...core.reduce import DEFAULT_COMPONENTS, pca_reduce
from ...core.spec import CollectionSpec
from ..resources import StorageResource
from ._common import PARTITIONED, stopwatch
from .collection import spec_of
from .features import features

LAYOUT = {**PARTITIONED, "group_name": "layout"}

__all__ = ["feature_neighbours", "features", "grid", "layout_plan", "pca", "tsne"]


class PcaConfig(dg.Config):
    n_components: int = DEFAULT_COMPONENTS
    """Most principal components kept (clamped to the data)."""


class LayoutPlanConfig(dg.Config):
    relayout: bool = False
    """Lay the map out afresh (t-SNE and grid for every image) instead of keeping each image's
    cell and placing only the new ones; ``tsne-assets build --relayout`` sets it."""


#: Run config that asks a build for a fresh layout.
RELAYOUT_RUN_CONFIG = {"ops": {"layout_plan": {"config": {"relayout": True}}}}


class NeighboursConfig(dg.Config):
    n_jobs: int = -1
    """Threads of the neighbour search; -1 uses every core. The same seed and thread count give
    the same neighbours; pin this and ``tsne``'s ``n_jobs`` to rebuild a map identically on
    machines with other core counts."""


class TsneConfig(dg.Config):
    n_jobs: int = -1
    """Threads of openTSNE; -1 uses every core. The same seed and thread count give the same
    layout; pin this and ``feature_neighbours``' ``n_jobs`` to rebuild a map identically on
    machines with other core counts."""


@dg.asset(**LAYOUT, io_manager_key="numpy_io_manager", kinds={"scikitlearn"})
def pca(config: PcaConfig, collection_spec: dict, features: np.ndarray) -> dg.Output[np.ndarray]:
    """The features projected on their principal components (at most ``n_components``)."""
    with stopwatch() as timing:
        reduced = pca_reduce(features, config.n_components, seed=spec_of(collection_spec).seed)
    return dg.Output(reduced, metadata={"components": int(reduced.shape[1]), "seconds": timing["seconds"]})


@dg.asset(**LAYOUT, io_manager_key="numpy_io_manager", kinds={"opentsne"})
def feature_neighbours(config: NeighboursConfig, collection_spec: dict, pca: np.ndarray) -> dg.Output[np.ndarray]:
    """Each image's nearest images in feature space (the PCA output, Euclidean distance), searched
    once for two uses: the t-SNE's affinities and the similar images' candidates
    (:mod:`~tsne_assets.core.neighbours`). One record per image: ``index`` and ``distance`` of
    its neighbours, nearest first."""
    spec = spec_of(collection_spec)
    with stopwatch() as timing:
        table = feature_neighbours_of(pca, perplexity=spec.perplexity, seed=spec.seed, n_jobs=config.n_jobs)
    return dg.Output(
        table,
        metadata={"images": len(table), "k": int(table.dtype["index"].shape[0]), "seconds": timing["seconds"]},
    )


def _settings(spec: CollectionSpec) -> str:
    return layout_settings(spec.model, spec.weights, spec.perplexity, spec.seed, spec.headroom)


def state_path(storage: StorageResource, collection_id: str):
    """Where the collection's map state is stored (``maps/<id>.json`` under the root)."""
    return storage.path(STATE_FOLDER, f"{collection_id}.json")


@dg.asset(**LAYOUT, io_manager_key="json_io_manager", kinds={"json"})
def layout_plan(
    config: LayoutPlanConfig, storage: StorageResource, collection_spec: dict, image_manifest: pd.DataFrame
) -> dg.Output[dict]:
    """Whether this build lays the map out afresh or keeps it and places the new images, and
    why: a fresh layout on the first build, on ``relayout``, when the layout's settings changed,
    or when more than the spec's ``relayout_share`` of the images would have been placed since
    the last full layout. Lists the images kept (with their cells) and the new ones."""
    spec = spec_of(collection_spec)
    ids = readable_images(image_manifest)["id"].tolist()
    state = load_state(state_path(storage, spec.id), ignore_errors=config.relayout)
    share = DEFAULT_RELAYOUT_SHARE if spec.relayout_share is None else spec.relayout_share
    plan = plan_layout(state, ids, _settings(spec), relayout=config.relayout, relayout_share=share)
    return dg.Output(
        plan_document(plan, state, ids),
        metadata={
            "layout": "full" if plan.full else "incremental",
            "reason": plan.reason,
            "kept": len(plan.kept),
            "new": len(plan.new),
            "removed": plan.removed,
            "relayout_share": share,
        },
    )


@dg.asset(**LAYOUT, io_manager_key="numpy_io_manager", kinds={"opentsne"})
def tsne(
    config: TsneConfig, collection_spec: dict, pca: np.ndarray, feature_neighbours: np.ndarray, layout_plan: dict
) -> dg.Output[np.ndarray]:
    """The 2-D t-SNE layout of the images (openTSNE, with the spec's perplexity and seed), its
    affinities from the images' ``feature_neighbours``.

    When the plan keeps the map, t-SNE does not run: the kept images keep their layout
    positions and each new image gets the median position of its nearest kept images in
    feature space (:func:`~tsne_assets.core.placement.neighbour_targets`).

    Metadata ``neighbour_preservation``: the share of each image's 10 nearest neighbours in
    feature space (the PCA output) that are among its 10 nearest in the layout, measured on
    up to 2,000 images (:mod:`~tsne_assets.core.quality`).
    """
    spec = spec_of(collection_spec)
    with stopwatch() as timing:
        if layout_plan["full"]:
            layout = tsne_layout(
                pca, perplexity=spec.perplexity, seed=spec.seed, n_jobs=config.n_jobs, neighbours=feature_neighbours
            )
        else:
            layout = kept_layout(layout_plan, pca)
    kept_share = layout_preservation(pca, layout, sample=DEFAULT_SAMPLE, seed=spec.seed)
    return dg.Output(
        layout,
        metadata={
            "images": len(layout),
            "layout": "t-SNE" if layout_plan["full"] else "kept, new images placed",
            "seconds": timing["seconds"],
            "neighbour_preservation": _figure(kept_share),
        },
    )


@dg.asset(**LAYOUT, io_manager_key="json_io_manager", kinds={"scipy"})
def grid(
    storage: StorageResource, collection_spec: dict, pca: np.ndarray, tsne: np.ndarray, layout_plan: dict
) -> dg.Output[dict]:
    """The images on a grid, one per cell, and the map state the next build keeps.

    A full layout snaps the t-SNE layout, turned so that its long axis is horizontal, to a grid
    of its proportions with the spec's headroom of empty cells between the layout's groups (by
    default :func:`~tsne_assets.core.grid.auto_headroom`; :func:`~tsne_assets.core.grid.snap_to_grid`).
    Otherwise every kept image keeps its cell, removed images leave theirs empty, and new images
    take free cells next to their most similar images, the grid growing on the right and at the
    bottom when none are left (:func:`~tsne_assets.core.placement.place_new_images`).

    Metadata: ``neighbour_preservation``, the share of each image's 10 nearest neighbours in
    feature space that are among its 10 nearest on the grid, ``full_layout_preservation`` the
    same at the last full layout (the drift of placing rather than laying out shows as the
    difference), ``placed_share`` the share of the images placed since the last full layout,
    and ``layout_neighbours_kept``, the share of each image's 10 nearest in the layout.
    """
    spec = spec_of(collection_spec)
    with stopwatch() as timing:
        if layout_plan["full"]:
            headroom = auto_headroom(len(tsne)) if spec.headroom is None else spec.headroom
            cells, cols, rows = snap_to_grid(tsne, headroom)
            positions = cell_positions(cells, cols)
        else:
            positions, cols, rows = kept_grid(layout_plan, pca)
            cells = position_cells(positions, cols)
            headroom = round((cols * rows - len(cells)) / len(cells), 3)  # what is left of it
    measured = {"sample": DEFAULT_SAMPLE, "seed": spec.seed}
    preservation = grid_preservation(pca, cells, cols, **measured)
    full_preservation = preservation if layout_plan["full"] else layout_plan["full_preservation"]
    state = next_state(
        layout_plan, tsne, positions, cols, rows,
        settings=_settings(spec), full_preservation=full_preservation, today=datetime.date.today().isoformat(),
    )
    storage_paths.write_text_atomic(state_path(storage, spec.id), state.to_json())
    added = list(state.added)
    return dg.Output(
        {"cols": cols, "rows": rows, "cells": cells.tolist(), "added": added},
        metadata={
            "cols": cols,
            "rows": rows,
            "layout": "full" if layout_plan["full"] else "incremental",
            "reason": layout_plan["reason"],
            "placed": 0 if layout_plan["full"] else len(layout_plan["new"]),
            "removed": layout_plan["removed"],
            "placed_share": _figure(state.placed.mean() if len(cells) else 0.0),
            "empty_cells": cols * rows - len(cells),
            "neighbour_preservation": _figure(preservation),
            "full_layout_preservation": _figure(full_preservation),
            "layout_neighbours_kept": _figure(grid_preservation(tsne, cells, cols, **measured)),
            "headroom": headroom,
            "seconds": timing["seconds"],
        },
    )


def _figure(value: float) -> dg.MetadataValue:
    return dg.MetadataValue.float(round(float(value), 4))
