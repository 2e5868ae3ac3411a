"""Layout and grid quality: how much of the layout's neighbourhoods the map keeps.

    python bench/bench_layout_quality.py [--sizes 1000 5000 20000] [--seeds 0 1 2] [--met-seeds 0 ... 19]
        [--no-met] [--no-umap] [--no-flas]

Data: Fashion-MNIST (first N photos) and the Met sample in ``../shared/data`` (74 photos,
labelled by classification), as EfficientNet-Lite0 features reduced to 256 principal
components (``bench/labelled.py``). For each set and seed, the t-SNE layout
(:func:`tsne_layout` with its defaults) and then each way of making a grid:

- ``grid +H``: :func:`snap_to_grid` (the pipeline's grid: the layout turned to its principal
  axes on a grid of its proportions, :func:`assign_to_grid`'s ``auto`` method, default share of
  holes inside the groups) with headroom H, and with the default headroom (:func:`auto_headroom`),
  the latter also with every empty cell left between the groups (``holes_inside=0``) and, as
  before the turned grids, on a near-square grid of the layout as it comes (``near-square``);
- ``FLAS``: vc-flas' Fast Linear Assignment Sorting of the features straight onto the grid
  (Barthel et al., CGF 2023), no 2-D layout; ``FLAS from grid +0%`` starts it from the
  t-SNE grid instead of the images' order;
- ``UMAP + grid +H``: umap-learn's layout instead of t-SNE's (seed 0 only: slow).

Columns: 10-NN label purity (share of each image's 10 nearest neighbours with its label; on
the grid, tied cells share places; mean over the seeds and their range), the grid's purity as a
share of the t-SNE layout's, neighbour preservation of the features' 10-NN (2,000 sampled
images), the grid's cells per image and seconds. The Met sample is measured over
``--met-seeds`` (20 by default: with 74 images one misplaced view moves a seed's purity by a
point), Fashion-MNIST over ``--seeds``.
"""

from __future__ import annotations

import argparse
import os
import time
from collections import defaultdict

import numpy as np

from labelled import fashion_mnist, met_sample  # bench/labelled.py, beside this script
from machine import machine_line
from tsne_assets.core.grid import assign_to_grid, auto_headroom, grid_shape, snap_to_grid
from tsne_assets.core.layout import tsne_layout
from tsne_assets.core.quality import grid_label_purity, grid_preservation, label_purity, layout_preservation

HEADROOMS = (0.0, 0.25, 0.5, 0.75)


def flas_cells(features: np.ndarray, cols: int, rows: int, seed: int, start: np.ndarray | None = None) -> np.ndarray:
    """FLAS's grid; from ``start`` cells (else from the images in order), holes frozen."""
    import vc_flas

    ids = np.full(cols * rows, -1, dtype=np.int32)
    ids[np.arange(len(features)) if start is None else start] = np.arange(len(features), dtype=np.int32)
    grid = vc_flas.Grid(
        features.astype(np.float32), ids.reshape(rows, cols), (ids < 0).reshape(rows, cols),
        np.arange(len(features), dtype=np.int32),
    )
    sorting = vc_flas.flas(grid, seed=seed).sorting.ravel()
    cells = np.empty(len(features), dtype=np.int64)
    occupied = sorting >= 0
    cells[sorting[occupied]] = np.nonzero(occupied)[0]
    return cells


def umap_layout(features: np.ndarray, seed: int) -> np.ndarray:
    import umap

    return umap.UMAP(n_neighbors=min(15, len(features) - 1), random_state=seed).fit_transform(features)


def square(xy: np.ndarray, headroom: float, make=assign_to_grid) -> tuple[np.ndarray, int, int]:
    """``(cells, cols, rows)`` of ``make(xy, cols, rows)`` on the near-square grid with ``headroom``."""
    cols, rows = grid_shape(len(xy), headroom)
    return make(xy, cols, rows), cols, rows


def rows_for(features: np.ndarray, labels: np.ndarray, seed: int, with_umap: bool, with_flas: bool):
    """``{method: (purity, preservation, cells per image, seconds)}``, the t-SNE layout's first."""
    out: dict[str, tuple[float, float, float, float]] = {}
    start = time.perf_counter()
    xy = tsne_layout(features, seed=seed)
    out["t-SNE layout"] = (label_purity(xy, labels), layout_preservation(features, xy, sample=2000, seed=seed),
                           float("nan"), time.perf_counter() - start)

    def grid(method: str, make) -> None:
        start = time.perf_counter()
        cells, cols, rows = make()
        seconds = time.perf_counter() - start
        kept = grid_preservation(features, cells, cols, sample=2000, seed=seed)
        out[method] = (grid_label_purity(cells, cols, labels), kept, cols * rows / len(cells), seconds)

    for headroom in HEADROOMS:
        grid(f"grid +{headroom:.0%}", lambda: snap_to_grid(xy, headroom))
    default = auto_headroom(len(features))
    grid(f"grid, default headroom ({default:.2f})", lambda: snap_to_grid(xy, default))
    grid(f"grid, default headroom ({default:.2f}), no holes inside",
         lambda: snap_to_grid(xy, default, holes_inside=0.0))
    grid(f"near-square grid, default headroom ({default:.2f})", lambda: square(xy, default))
    if with_flas:
        grid("FLAS", lambda: square(features, 0.0, lambda f, c, r: flas_cells(f, c, r, seed)))
        grid("FLAS from grid +0%", lambda: square(
            features, 0.0, lambda f, c, r: flas_cells(f, c, r, seed, assign_to_grid(xy, c, r))))
    if with_umap and seed == 0:
        start = time.perf_counter()
        uv = umap_layout(features, seed)
        out["UMAP layout"] = (label_purity(uv, labels), layout_preservation(features, uv, sample=2000),
                              float("nan"), time.perf_counter() - start)
        for headroom in (0.0, 0.25):
            grid(f"UMAP + grid +{headroom:.0%}", lambda: snap_to_grid(uv, headroom))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 5000, 20000])
    parser.add_argument("--seeds", type=int, nargs="*", default=[0, 1, 2])
    parser.add_argument("--met-seeds", type=int, nargs="*", default=list(range(20)))
    parser.add_argument("--no-umap", action="store_true")
    parser.add_argument("--no-met", action="store_true")
    parser.add_argument("--no-flas", action="store_true")
    args = parser.parse_args()
    print(f"machine: {machine_line()}, load average {os.getloadavg()[0]:.1f} at start")
    sets = [] if args.no_met else [("Met sample", met_sample, args.met_seeds)]
    sets += [("Fashion-MNIST", lambda n=n: fashion_mnist(n), args.seeds) for n in args.sizes]
    print("| set | N | seeds | method | 10-NN label purity | share of t-SNE layout's | neighbour preservation "
          "| cells per image | seconds |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|")
    for name, load, seeds in sets:
        features, labels = load()
        results: dict[str, list[tuple[float, float, float, float]]] = defaultdict(list)
        reference = []
        for seed in seeds:
            for method, values in rows_for(features, labels, seed, not args.no_umap, not args.no_flas).items():
                results[method].append(values)
            reference.append(results["t-SNE layout"][-1][0])
        base = float(np.mean(reference))
        for method, values in results.items():
            purity, kept, area, seconds = (np.array(v) for v in zip(*values))
            spread = f" ({purity.min():.3f}-{purity.max():.3f})" if len(purity) > 1 else ""
            cells = "-" if np.isnan(area).all() else f"{area.mean():.2f}"
            print(f"| {name} | {len(features):,} | {len(purity)} | {method} | {purity.mean():.3f}{spread} "
                  f"| {purity.mean() / base:.1%} | {kept.mean():.3f} | {cells} | {seconds.mean():.2f} |", flush=True)


if __name__ == "__main__":
    main()
