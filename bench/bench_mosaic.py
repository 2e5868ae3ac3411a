"""Benchmark the mosaic: Deep Zoom tiles from N images (time, peak RSS, tiles written).

    python bench/bench_mosaic.py [--sizes 1000,5000,20000] [--cell 128] [--real]

Sources are 500 distinct synthetic 640x480 JPEGs (smooth colour fields with noise, about
83 KB each), written once to a temporary folder and cycled to make N sources; each source
is still read, decoded and resized separately. ``--real`` adds a run over the Met images in
/work/shared/data (74 photographs up to 1024 px, cycled). Every N runs in a fresh
subprocess, so peak RSS (``ru_maxrss``) is that run's alone.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from machine import machine_line  # bench/machine.py, beside this script

REAL_DATA = Path("/work/shared/data/met-greek-roman")


def synthetic_jpegs(folder: Path, count: int = 500, size: tuple[int, int] = (640, 480)) -> list[str]:
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    paths = []
    for i in range(count):
        path = folder / f"{i:04d}.jpg"
        if not path.exists():
            field = rng.uniform(0, 255, size=(6, 8, 3)).astype(np.uint8)
            image = Image.fromarray(field).resize(size, Image.Resampling.BICUBIC)
            noise = rng.normal(0, 12, size=(size[1], size[0], 3))
            pixels = np.clip(np.asarray(image, dtype=np.float64) + noise, 0, 255).astype(np.uint8)
            Image.fromarray(pixels).save(path, quality=85)
        paths.append(str(path))
    return paths


def real_images() -> list[str]:
    suffixes = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp"}
    return sorted(str(p) for p in REAL_DATA.rglob("*") if p.suffix.lower() in suffixes)


def run_one(n: int, cell: int, sources_file: str, work: str) -> dict:
    """One measured build in this process (called in a subprocess by :func:`main`)."""
    from tsne_assets.core.grid import grid_shape
    from tsne_assets.core.mosaic import MosaicOptions, build_deep_zoom

    pool = Path(sources_file).read_text().splitlines()
    sources = [pool[i % len(pool)] for i in range(n)]
    cols, rows = grid_shape(n)
    out = Path(work) / f"out-{n}"
    marks = {"done": 0}

    def progress(count: int) -> None:
        marks["done"] += count
        if marks["done"] == n:
            marks["cells"] = time.perf_counter() - start

    start = time.perf_counter()
    options = MosaicOptions(cell_size=(cell, cell))
    info = build_deep_zoom(sources, np.arange(n), cols, rows, out, options, progress=progress)
    seconds = time.perf_counter() - start
    tiles = sum(1 for _ in (out / "tiles_files").rglob("*.jpg"))
    tile_bytes = sum(p.stat().st_size for p in (out / "tiles_files").rglob("*.jpg"))
    return {
        "n": n, "cell": cell, "width": info.width, "height": info.height, "levels": info.levels,
        "seconds": seconds, "cells_seconds": marks.get("cells", float("nan")),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # KiB on Linux
        "tiles": tiles, "tiles_mib": tile_bytes / 2**20, "failed": len(info.failed),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument("--cell", type=int, default=128)
    parser.add_argument("--real", action="store_true", help="also run 1,000 cells of the Met images")
    parser.add_argument("--one", nargs=3, metavar=("N", "SOURCES_FILE", "WORK"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(int(args.one[0]), args.cell, args.one[1], args.one[2])))
        return

    print(f"machine: {machine_line()}, load average {os.getloadavg()[0]:.1f} at start")
    print("| sources | N images | cell | mosaic px | seconds (cells + pyramid) | peak RSS MiB | tiles | tiles MiB |")
    print("|---|---:|---|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="bench-mosaic-") as work:
        runs = [("synthetic 640x480 JPEG", synthetic_jpegs(Path(work) / "sources"), int(n)) for n in args.sizes.split(",")]
        if args.real and REAL_DATA.is_dir():
            runs.append(("Met photos (<=1024 px)", real_images(), 1000))
        for label, pool, n in runs:
            listing = Path(work) / "sources.txt"
            listing.write_text("\n".join(pool))
            result = subprocess.run(
                [sys.executable, __file__, "--cell", str(args.cell), "--one", str(n), str(listing), work],
                check=True, capture_output=True, text=True,
            )
            r = json.loads(result.stdout.strip().splitlines()[-1])
            pyramid = r["seconds"] - r["cells_seconds"]
            print(
                f"| {label} | {n:,} | {r['cell']}x{r['cell']} | {r['width']:,}x{r['height']:,} | "
                f"{r['seconds']:.1f} ({r['cells_seconds']:.1f} + {pyramid:.1f}) | {r['peak_rss_mib']:.0f} | "
                f"{r['tiles']:,} | {r['tiles_mib']:.0f} |",
                flush=True,
            )
            subprocess.run(["rm", "-rf", str(Path(work) / f"out-{n}")], check=True)


if __name__ == "__main__":
    main()
