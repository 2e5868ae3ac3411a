"""Benchmark IIIF out: publishing a site version with the map's IIIF level-0 service (the Deep
Zoom tiles under IIIF names, hard-linked, with info.json, the manifest and the annotations)
against publishing it with Deep Zoom only, and against writing the pyramid, on the same mosaic
in the same run.

    python bench/bench_iiif_out.py [--sides 4096,9088,18176]

For each side S, a synthetic S x S mosaic (a colour gradient with noise) is written once as an
uncompressed strip TIFF, as the ``tiles`` asset writes its mosaic, and tiled as that asset does
("Deep Zoom": ``dzsave`` reading the TIFF sequentially, 256-px JPEG tiles at Q 90, overlap 0).
Then, each in a fresh process (peak RSS is that step's alone), ``publish_site`` publishes a
version of that pyramid with a 128-px grid over it, one image per cell: "DZI only"
(``--map-tiles dzi``) and "DZI + IIIF" (the default, ``both``: ``iiif_publication`` then
``publish_site`` with its copies). 4,096, 9,088 and 18,176 px are the mosaics of 1,000, 5,000
and 20,000 images in 128-px cells (docs/benchmarks.md, "Mosaic and Deep Zoom tiles").
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

from machine import machine_line  # bench/machine.py, beside this script

REPO = Path(__file__).resolve().parents[1]
CELL = 128
STEPS = ("deep_zoom", "dzi", "both")


def write_mosaic(path: Path, side: int) -> None:
    import pyvips

    ramp = pyvips.Image.xyz(side, side).cast("float") / side * 255
    noise = pyvips.Image.gaussnoise(side, side, mean=0, sigma=30)
    image = (ramp[0].bandjoin([ramp[1], (ramp[0] + ramp[1]) / 2]) + noise).cast("uchar")
    image.tiffsave(str(path), bigtiff=True, compression="none")


def _metadata(side: int) -> dict:
    """A viewer document of a ``side``-px map of 128-px cells, one image in each."""
    import numpy as np
    import pandas as pd

    from tsne_assets.core.viewer_data import viewer_metadata

    cols = side // CELL
    n = cols * cols
    records = pd.DataFrame({"id": [f"{i}.jpg" for i in range(n)], "title": [f"Image {i}" for i in range(n)],
                            "url": [f"https://museum.example/{i}" for i in range(n)]})
    return viewer_metadata("bench", records, np.arange(n), cols=cols, rows=cols, cell_size=(CELL, CELL))


def step(name: str, work: Path, side: int) -> dict:
    """Run one step in this (fresh) process: its seconds and peak RSS."""
    sys.path.insert(0, str(REPO))
    import pyvips

    from tsne_assets.core.iiif.publication import iiif_publication, image_section
    from tsne_assets.core.site import publish_site

    metadata = _metadata(side) if name != "deep_zoom" else None
    start = time.perf_counter()
    if name == "deep_zoom":
        pyvips.Image.new_from_file(str(work / "mosaic.tif"), access="sequential").dzsave(
            str(work / "tiles"), layout="dz", tile_size=256, overlap=0, suffix=".jpg[Q=90]",
            depth="onepixel", skip_blanks=-1, keep=0,
        )
    else:
        copies, files = None, None
        if name == "both":
            metadata["image"] = image_section(metadata["image"], "both")
            published = iiif_publication(work, metadata, "https://maps.example.org/bench/versions/v1/")
            copies, files = published.copies, dict(published.files)
        publish_site(work / "site" / name, version="v1", tiles_dir=work, metadata=metadata, files=files, copies=copies)
    return {"seconds": time.perf_counter() - start, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def files_in(folder: Path) -> int:
    return sum(len(names) for _, _, names in os.walk(folder))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sides", default="4096,9088,18176")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    parser.add_argument("--side", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.step, Path(args.work), args.side)))
        return
    print(machine_line(), f"load average {os.getloadavg()[0]:.1f}")
    print("| mosaic px | images | Deep Zoom s (RSS MiB) | publish, DZI only s (RSS MiB) | publish, DZI + IIIF s (RSS MiB) "
          "| IIIF files | IIIF annotations MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for side in (int(s) for s in args.sides.split(",")):
        with tempfile.TemporaryDirectory(prefix="bench-iiif-", dir=os.environ.get("TMPDIR", "/tmp")) as scratch:
            work = Path(scratch)
            write_mosaic(work / "mosaic.tif", side)
            runs = {}
            for name in STEPS:
                command = [sys.executable, __file__, "--step", name, "--work", str(work), "--side", str(side)]
                runs[name] = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
            version = work / "site" / "both" / "versions" / "v1"
            cells = f"{(side // CELL) ** 2:,}"
            dz, dzi, both = (runs[name] for name in STEPS)
            print(f"| {side:,}x{side:,} | {cells} | {dz['seconds']:.1f} ({dz['rss']:.0f}) | {dzi['seconds']:.2f} ({dzi['rss']:.0f}) "
                  f"| {both['seconds']:.2f} ({both['rss']:.0f}) | {files_in(version / 'iiif'):,} "
                  f"| {(version / 'annotations.json').stat().st_size / 2**20:.1f} |", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
