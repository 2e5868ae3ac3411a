"""CPU time of drawing a mosaic when each JPEG decodes at its drawn size against at the cell's side.

    python bench/bench_mosaic_decode.py [--n 20000] [--workdir /tmp/tsne-assets-decode]

Sources: the 500 synthetic 640x480 JPEGs of ``bench_mosaic.py``, cycled to ``n`` (each listing is
read, decoded and resized on its own), in 128x128 cells (``contain``). Each variant runs the whole
:func:`~tsne_assets.core.mosaic.build_deep_zoom` once in this process; the table gives its CPU
seconds (user and system, every thread), which the machine's load changes far less than the wall
time, beside the wall time and the load average at its start. "before" decodes every source with
both sides at least the cell's longer side, as the mosaic did until ``cells.decode_size``.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

import numpy as np
from bench_mosaic import synthetic_jpegs  # bench/bench_mosaic.py, beside this script
from machine import machine_line, markdown_table

from tsne_assets.core.grid import grid_shape
from tsne_assets.core.mosaic import build_deep_zoom, cells


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/tsne-assets-decode"))
    args = parser.parse_args()
    print(f"machine: {machine_line()}")
    files = synthetic_jpegs(args.workdir / "sources")
    sources = [files[i % len(files)] for i in range(args.n)]
    cols, rows = grid_shape(args.n, 0.24)
    variants = {
        "their drawn size (now)": cells.decode_size,
        "the cell's longer side (before)": lambda data, options: max(options.cell_size),
    }
    rows_out = []
    for name, decode_size in variants.items():
        cells.decode_size = decode_size  # draw_source looks it up at each call
        load, start, cpu = os.getloadavg()[0], time.perf_counter(), cpu_seconds()
        build_deep_zoom(sources, np.arange(args.n), cols, rows, args.workdir / "out")
        wall, cpu = time.perf_counter() - start, cpu_seconds() - cpu
        rows_out.append(
            {"sources decode at": name, "CPU s": cpu, "CPU ms per image": f"{cpu / args.n * 1000:.2f}",
             "wall s": wall, "load average at its start": load}
        )
    print(markdown_table(rows_out))


if __name__ == "__main__":
    main()
