"""Maps that grow: how well images placed on an existing map sit, against a fresh layout.

    python bench/bench_incremental.py [--n 20000] [--shares 0.05 0.3] [--k 1 5 10] [--inside 0 0.1] [--seed 0]

Data: the first N Fashion-MNIST photos as EfficientNet-Lite0 features reduced to 256 principal
components (``bench/labelled.py``; features cached). For each share S: S of the images (chosen
by the seed) are removed, the rest laid out afresh (t-SNE, then the grid with the default
headroom, as a full build does), and the removed images are added back with
:func:`~tsne_assets.core.placement.place_new_images` (each new image's target: the median cell of
its k nearest images on the map). The reference is the full layout of all N images. Each grid (the full one and that of the rest) is made once for each
share of its empty cells kept inside the layout's groups (``--inside``: ``holes_inside`` of
:func:`~tsne_assets.core.grid.assign_to_grid`; the t-SNE layouts are shared).

Columns: images moved (must be 0), the 10-NN grid label purity of the re-added images (cells
tied at the 10th distance share places, as in ``core/quality.py``) and as a share of what the
full layout gives the same images, the purity of the whole map, the grid's growth, and the
seconds of the placement (the full layout's seconds are its t-SNE and grid), and the full map's
neighbour preservation of the features' 10-NN (2,000 sampled images).
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from labelled import fashion_mnist  # bench/labelled.py, beside this script
from machine import machine_line
from tsne_assets.core.grid import HOLES_INSIDE, auto_headroom, snap_to_grid
from tsne_assets.core.layout import tsne_layout
from tsne_assets.core.placement import place_new_images
from tsne_assets.core.quality import grid_neighbours, grid_preservation


def purity_of(cells: np.ndarray, cols: int, labels: np.ndarray, queries: np.ndarray) -> float:
    """Mean share of each queried image's 10 grid neighbours that share its label."""
    idx, weight = grid_neighbours(cells, cols, 10, queries)
    return float(((labels[idx] == labels[queries, None]) * weight).sum() / (len(queries) * 10))


def full_map(xy: np.ndarray, inside: float) -> tuple[np.ndarray, int, int, float]:
    """Cells, cols, rows and seconds of a full build's grid of the layout ``xy``."""
    start = time.perf_counter()
    cells, cols, rows = snap_to_grid(xy, auto_headroom(len(xy)), holes_inside=inside)
    return cells, cols, rows, time.perf_counter() - start


def timed_layout(features: np.ndarray, seed: int) -> tuple[np.ndarray, float]:
    start = time.perf_counter()
    return tsne_layout(features, seed=seed), time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--shares", type=float, nargs="*", default=[0.05, 0.3])
    parser.add_argument("--k", type=int, nargs="*", default=[1, 5, 10])
    parser.add_argument("--inside", type=float, nargs="*", default=[0.0, HOLES_INSIDE])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(f"machine: {machine_line()}, load average {os.getloadavg()[0]:.1f} at start")
    features, labels = fashion_mnist(args.n)
    n = len(features)
    rng = np.random.default_rng(args.seed)
    removed_sets = [np.sort(rng.choice(n, size=round(n * share), replace=False)) for share in args.shares]
    xy, layout_seconds = timed_layout(features, args.seed)
    kept_layouts = [timed_layout(np.delete(features, removed, axis=0), args.seed) for removed in removed_sets]
    print("| N | holes inside | removed and re-added | method | moved | purity of re-added "
          "| share of full layout's | purity of the map | neighbour preservation | grid | seconds |")
    print("|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---:|")
    for inside in args.inside:
        cells, cols, rows, seconds = full_map(xy, inside)
        whole = purity_of(cells, cols, labels, np.arange(n))
        kept_share = grid_preservation(features, cells, cols, sample=2000, seed=args.seed)
        print(f"| {n:,} | {inside:.0%} | - | full layout | - | - | - | {whole:.3f} | {kept_share:.3f} "
              f"| {cols}x{rows} | {layout_seconds + seconds:.1f} |", flush=True)
        for share, removed, (kept_xy, kept_seconds) in zip(args.shares, removed_sets, kept_layouts):
            kept = np.setdiff1d(np.arange(n), removed)
            reference = purity_of(cells, cols, labels, removed)
            kept_cells, kept_cols, kept_rows, seconds = full_map(kept_xy, inside)
            kept_positions = np.column_stack([kept_cells % kept_cols, kept_cells // kept_cols])
            print(f"| {len(kept):,} | {inside:.0%} | - | full layout of the rest | - | - | - | "
                  f"{purity_of(kept_cells, kept_cols, labels[kept], np.arange(len(kept))):.3f} | - "
                  f"| {kept_cols}x{kept_rows} | {kept_seconds + seconds:.1f} |", flush=True)
            for k in args.k:
                start = time.perf_counter()
                placed, new_cols, new_rows = place_new_images(
                    features[kept], kept_positions, features[removed], kept_cols, kept_rows, k=k
                )
                seconds = time.perf_counter() - start
                positions = np.empty((n, 2), dtype=np.int64)
                positions[kept], positions[removed] = kept_positions, placed
                grown = positions[:, 1] * new_cols + positions[:, 0]
                moved = int((positions[kept] != kept_positions).any(axis=1).sum())
                added = purity_of(grown, new_cols, labels, removed)
                print(f"| {n:,} | {inside:.0%} | {len(removed):,} ({share:.0%}) | placed, k={k} | {moved} "
                      f"| {added:.3f} | {added / reference:.1%} (full: {reference:.3f}) "
                      f"| {purity_of(grown, new_cols, labels, np.arange(n)):.3f} | - "
                      f"| {new_cols}x{new_rows} | {seconds:.2f} |", flush=True)

if __name__ == "__main__":
    main()
