"""Benchmark grid assignment: time, peak memory and neighbour preservation per method and N.

    python bench/bench_grid.py [--sizes 1000,2000,...] [--max-optimal 3000] [--no-digits]

Layouts are t-SNE-like (Gaussian clusters of unequal size and spread), plus a real openTSNE
layout of scikit-learn's bundled digits (1,797 images). Time is measured without tracing;
peak memory is tracemalloc's peak of Python/NumPy allocations in a second, traced run.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout: its test layouts

from tsne_assets.core.grid import assign_to_grid, grid_shape
from tsne_assets.core.quality import grid_preservation
from tsne_assets_tests.layouts import clustered_layout
from machine import machine_line  # bench/machine.py, beside this script


def digits_layout() -> np.ndarray:
    from openTSNE import TSNE
    from sklearn.datasets import load_digits

    return np.asarray(TSNE(random_state=0, n_jobs=2).fit(load_digits().data))


def measure(xy: np.ndarray, label: str, method: str, **kwargs) -> str:
    cols, rows = grid_shape(len(xy))
    start = time.perf_counter()
    cells = assign_to_grid(xy, cols, rows, method=method, **kwargs)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    assign_to_grid(xy, cols, rows, method=method, **kwargs)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    quality = grid_preservation(xy, cells, cols, k=10)
    name = method + "".join(f" {k}={v}" for k, v in kwargs.items())
    return f"| {label} | {len(xy):,} | {name} | {seconds:.2f} | {peak / 2**20:.0f} | {quality:.3f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,2000,5000,20000,50000,100000")
    parser.add_argument("--max-optimal", type=int, default=3000)
    parser.add_argument("--no-digits", action="store_true")
    args = parser.parse_args()

    print(f"machine: {machine_line()}, load average {os.getloadavg()[0]:.1f} at start")
    print("| layout | N | method | seconds | peak MiB | neighbour preservation (k=10) |")
    print("|---|---:|---|---:|---:|---:|")
    runs = []
    if not args.no_digits:
        runs.append(("openTSNE digits", digits_layout()))
    runs += [("clusters", clustered_layout(int(n))) for n in args.sizes.split(",")]
    for label, xy in runs:
        n = len(xy)
        if n <= args.max_optimal:
            print(measure(xy, label, "optimal"), flush=True)
            if n <= 2000:
                print(measure(xy, label, "optimal", solver="lap"), flush=True)
        print(measure(xy, label, "scalable"), flush=True)
        print(measure(xy, label, "scalable", block_cells=1024), flush=True)


if __name__ == "__main__":
    main()
