"""Benchmark IIIF out: the map's Deep Zoom pyramid republished as a IIIF level-0 service,
against writing that pyramid, on the same mosaic in the same run.

    python bench/bench_iiif_out.py [--sides 4096,9088,18176]

For each side S, a synthetic S x S mosaic (a colour gradient with noise) is written once as an
uncompressed strip TIFF, as the ``tiles`` asset writes its mosaic; then, each in a fresh process
(peak RSS is that step's alone): "Deep Zoom" tiles it as the ``tiles`` asset does (``dzsave``
reading the TIFF sequentially, 256-px JPEG tiles at Q 90, overlap 1), and "IIIF out" runs
``write_image_service`` on those tiles (the full level rebuilt from them, 512-px tiles at Q 85).
4,096, 9,088 and 18,176 px are the mosaics of 1,000, 5,000 and 20,000 images in 128-px cells
(docs/benchmarks.md, "Mosaic and Deep Zoom tiles").
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


def write_mosaic(path: Path, side: int) -> None:
    import pyvips

    ramp = pyvips.Image.xyz(side, side).cast("float") / side * 255
    noise = pyvips.Image.gaussnoise(side, side, mean=0, sigma=30)
    image = (ramp[0].bandjoin([ramp[1], (ramp[0] + ramp[1]) / 2]) + noise).cast("uchar")
    image.tiffsave(str(path), bigtiff=True, compression="none")


def step(name: str, work: Path) -> dict:
    """Run one step in this (fresh) process: its seconds and peak RSS."""
    import pyvips

    start = time.perf_counter()
    if name == "deep_zoom":
        pyvips.Image.new_from_file(str(work / "mosaic.tif"), access="sequential").dzsave(
            str(work / "tiles"), layout="dz", tile_size=256, overlap=1, suffix=".jpg[Q=90]",
            depth="onepixel", skip_blanks=-1, keep=0,
        )
    else:
        sys.path.insert(0, str(REPO))
        from tsne_assets.core.iiif.image_service import write_image_service

        write_image_service(work, "tiles.dzi", work / "out", "https://maps.example.org/m/versions/1/iiif")
    return {"seconds": time.perf_counter() - start, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def tiles(folder: Path) -> str:
    sizes = [p.stat().st_size for p in folder.rglob("*.jpg")]
    return f"{len(sizes):,} ({sum(sizes) / 2**20:.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sides", default="4096,9088,18176")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.step, Path(args.work))))
        return
    print(machine_line(), f"load average {os.getloadavg()[0]:.1f}")
    print("| mosaic px | Deep Zoom s (RSS MiB) | IIIF out s (RSS MiB) | IIIF / DZ time | DZ tiles (MiB) | IIIF tiles (MiB) |")
    print("|---|---:|---:|---:|---:|---:|")
    for side in (int(s) for s in args.sides.split(",")):
        with tempfile.TemporaryDirectory(prefix="bench-iiif-", dir=os.environ.get("TMPDIR", "/tmp")) as scratch:
            work = Path(scratch)
            write_mosaic(work / "mosaic.tif", side)
            runs = {
                name: json.loads(subprocess.run([sys.executable, __file__, "--step", name, "--work", str(work)],
                                                check=True, capture_output=True, text=True).stdout)
                for name in ("deep_zoom", "iiif")
            }
            dz, iiif = runs["deep_zoom"], runs["iiif"]
            print(f"| {side:,}x{side:,} | {dz['seconds']:.1f} ({dz['rss']:.0f}) | {iiif['seconds']:.1f} ({iiif['rss']:.0f}) | "
                  f"{iiif['seconds'] / dz['seconds']:.2f} | {tiles(work / 'tiles_files')} | {tiles(work / 'out')} |", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
