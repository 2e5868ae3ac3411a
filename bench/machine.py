"""What every benchmark prints: first the machine line (which processor, how many cores, when),
then its tables."""

from __future__ import annotations

import datetime
import os
import platform


def cpu_model() -> str:
    """The processor's model name, as the kernel reports it."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_line() -> str:
    """``<CPU model>, <N> cores, no GPU used, <date>``: say it with every table."""
    return f"{cpu_model()}, {os.cpu_count()} cores, no GPU used, {datetime.date.today().isoformat()}"


def markdown_table(rows: list[dict], digits: int = 1) -> str:
    """``rows`` as a Markdown table: a column per key (in order of first appearance), floats with
    ``digits`` decimals, blanks where a row lacks a key."""
    keys = list(dict.fromkeys(k for row in rows for k in row))
    cell = lambda v: f"{v:.{digits}f}" if isinstance(v, float) else str(v)  # noqa: E731
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(cell(row.get(k, "")) for k in keys) + " |" for row in rows]
    return "\n".join(lines)


def synthetic_pyramid(folder, cols: int, rows: int, cell: int) -> float:
    """Write a Deep Zoom pyramid ``folder/tiles.dzi`` of a ``cols`` x ``rows`` map of ``cell``-px
    cells, as the pipeline tiles a mosaic (256-px JPEG tiles, 1 px overlap); return the seconds
    ``dzsave`` took. Each cell is a flat colour with a darker frame: cheap for libvips, and
    JPEG-friendly like photographs."""
    import time

    import pyvips

    xy = pyvips.Image.xyz(cols * cell, rows * cell)
    cx, cy = (xy[0] / cell).floor(), (xy[1] / cell).floor()
    frame = ((xy[0] % cell) < 4) | ((xy[1] % cell) < 4)
    rgb = ((cx * 37 + cy * 11) % 200 + 40).bandjoin([(cx * 13 + cy * 29) % 200 + 40, (cx * 7 + cy * 17) % 200 + 40])
    start = time.perf_counter()
    frame.ifthenelse([20, 20, 20], rgb).cast("uchar").dzsave(
        f"{folder}/tiles", tile_size=256, overlap=1, suffix=".jpg[Q=90]", depth="onepixel"
    )
    return time.perf_counter() - start
