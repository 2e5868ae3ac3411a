"""Adding images to a large map: the stages after the features, full build against update.

    python bench/bench_incremental_speed.py [--n 20000] [--added 0.01] [--workdir /tmp/grow]

Data: the first N Fashion-MNIST photos (Debian's ``dataset-fashion-mnist``) written as PNG files,
with their cached EfficientNet-Lite0 features (``bench/labelled.py``), cells of 128x128 pixels
(the default). A first map is built from all but ``added`` of them (not timed); then, timed, on
all N images:

- full build: PCA, t-SNE, the grid, and the mosaic's Deep Zoom pyramid built afresh;
- update: PCA, the layout plan against the first map's state, the new images' layout positions
  and cells (no t-SNE), and the pyramid updated from the first map's: only the tiles over
  changed cells re-rendered, every other tile hard-linked.

The later stages (similar images, clusters, viewer metadata, publishing) do the same work in
both and are left out. Prints the seconds of each stage and the tiles re-rendered.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import time
from pathlib import Path

import numpy as np
from PIL import Image

from labelled import CACHE, FASHION_CACHED, FASHION_MNIST  # bench/labelled.py, beside this script
from machine import machine_line
from tsne_assets.core.grid import auto_headroom, cell_positions, position_cells, snap_to_grid
from tsne_assets.core.kept_map import kept_grid, kept_layout
from tsne_assets.core.layout import tsne_layout
from tsne_assets.core.map_state import MapState, layout_settings, plan_document, plan_layout
from tsne_assets.core.mosaic import MosaicOptions
from tsne_assets.core.mosaic.versioned import draw_mosaic
from tsne_assets.core.reduce import pca_reduce

SETTINGS = layout_settings("efficientnet_lite0", None, 30.0, 0, None)
OPTIONS = MosaicOptions(background=(28, 30, 34))


def write_images(folder: Path, n: int) -> list[str]:
    """The first ``n`` Fashion-MNIST photos as PNG files (written once)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [str(folder / f"{i:05d}.png") for i in range(n)]
    if not Path(paths[-1]).exists():
        with gzip.open(FASHION_MNIST / "train-images-idx3-ubyte.gz") as file:
            pixels = np.frombuffer(file.read(), np.uint8, offset=16).reshape(-1, 28, 28)[:n]
        for path, image in zip(paths, pixels):
            Image.fromarray(255 - image).save(path)
    return paths


def full_build(features, paths, out: Path) -> tuple[dict[str, float], np.ndarray, np.ndarray, int, int]:
    """Seconds per stage, the layout, the positions and the grid of a full build."""
    seconds = {}
    start = time.perf_counter()
    reduced = pca_reduce(features)
    seconds["pca"] = time.perf_counter() - start
    xy = tsne_layout(reduced)
    seconds["layout"] = time.perf_counter() - start - sum(seconds.values())
    cells, cols, rows = snap_to_grid(xy, auto_headroom(len(xy)))
    seconds["grid"] = time.perf_counter() - start - sum(seconds.values())
    drawn = draw_mosaic(paths, paths, cells, cols, rows, out, OPTIONS, previous=None, read=_read)
    seconds["tiles"] = time.perf_counter() - start - sum(seconds.values())
    print(f"full build of {len(paths):,}: {drawn.total:,} tiles", flush=True)
    return seconds, xy, cell_positions(cells, cols), cols, rows


def rendered_per_level(pyramid: Path) -> str:
    """``"level: re-rendered/tiles"`` for each level of an updated pyramid, deepest first: its
    re-rendered tiles are the files that are not hard links to the previous version's."""
    levels = sorted((p for p in (pyramid / "tiles_files").iterdir() if p.is_dir()), key=lambda p: -int(p.name))
    counts = []
    for level in levels:
        tiles = [p.stat().st_nlink for p in level.iterdir()]
        counts.append(f"{level.name}: {sum(links == 1 for links in tiles)}/{len(tiles)}")
    return ", ".join(counts)


def _read(path: str) -> bytes:
    return Path(path).read_bytes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--added", type=float, default=0.01)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/tsne-assets-grow"))
    args = parser.parse_args()
    if not 0 < args.n <= FASHION_CACHED:
        raise SystemExit(f"--n must be 1..{FASHION_CACHED}")
    print(f"machine: {machine_line()}, load average {os.getloadavg()[0]:.1f} at start")
    features = np.load(CACHE / f"fashion-mnist-{FASHION_CACHED}.npz")["features"][: args.n]
    paths = write_images(args.workdir / "images", args.n)
    shutil.rmtree(args.workdir / "tiles", ignore_errors=True)
    first_n = args.n - round(args.n * args.added)

    # The first map (not timed), and its state as the grid asset leaves it.
    _, xy, positions, cols, rows = full_build(features[:first_n], paths[:first_n], args.workdir / "tiles" / "first")
    state = MapState(tuple(paths[:first_n]), positions, xy, cols, rows, np.zeros(first_n, bool),
                     ("2026-11-25",) * first_n, SETTINGS, 0.0)

    full, *_ = full_build(features, paths, args.workdir / "tiles" / "full")

    update = {}
    start = time.perf_counter()
    reduced = pca_reduce(features)
    update["pca"] = time.perf_counter() - start
    plan = plan_layout(state, paths, SETTINGS)
    assert not plan.full, plan.reason
    document = plan_document(plan, state, paths)  # as the layout_plan asset passes it on
    kept_layout(document, reduced)  # the new images' layout positions (the tsne asset)
    update["layout"] = time.perf_counter() - start - sum(update.values())
    positions, new_cols, new_rows = kept_grid(document, reduced)  # the grid asset
    update["grid"] = time.perf_counter() - start - sum(update.values())
    drawn = draw_mosaic(
        paths, paths, position_cells(positions, new_cols), new_cols, new_rows,
        args.workdir / "tiles" / "updated", OPTIONS, previous=args.workdir / "tiles" / "first", read=_read,
    )
    update["tiles"] = time.perf_counter() - start - sum(update.values())

    print(f"re-rendered tiles per level, deepest first: {rendered_per_level(args.workdir / 'tiles' / 'updated')}")
    print(f"\n{args.n:,} images, {len(plan.new):,} added ({args.added:.0%}) to a map of {first_n:,}; "
          f"update: {drawn.changed_cells} cells changed, {drawn.rendered:,} of {drawn.total:,} tiles re-rendered "
          f"({drawn.rendered / drawn.total:.1%}), grid {cols}x{rows} -> {new_cols}x{new_rows}")
    print("| stage | full build (s) | update (s) |")
    print("|---|---:|---:|")
    for stage in full:
        print(f"| {stage} | {full[stage]:.1f} | {update[stage]:.2f} |")
    total_full, total_update = sum(full.values()), sum(update.values())
    print(f"| **after the features** | **{total_full:.1f}** | **{total_update:.2f}** ({total_update / total_full:.1%}) |")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
