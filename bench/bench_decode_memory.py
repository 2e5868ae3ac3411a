"""Benchmark the memory a decompression bomb costs: peak RSS added by decoding, and by a build.

    python bench/bench_decode_memory.py [--no-build]

The file is a 164 KB greyscale PNG declaring 13,000 x 13,000 pixels
(``tsne_assets_tests.hostile_images.declared_png``). Each decode runs in a fresh subprocess
and reports the peak resident memory it added (``VmHWM`` after the decode minus ``VmRSS``
before it, the peak being reset first through ``/proc/self/clear_refs``), so libvips' own
allocations count too. "Pillow, whole" decodes the file as the code did before streaming
(whole, then RGB). The build part runs ``tsne-assets build`` on 40 small JPEGs with and
without the file, each in a fresh process, and compares their peak RSS (``ru_maxrss``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import machine_line  # bench/machine.py, beside this script

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tsne_assets_tests.collections import write_images  # noqa: E402
from tsne_assets_tests.hostile_images import declared_png  # noqa: E402

#: What each measured decode calls, with ``data`` the file's bytes.
DECODES = {
    "manifest: probe": "probe(data)",
    "features: open_rgb(min_size=448)": "open_rgb(data, min_size=448)",
    "mosaic: open_rgb(min_size=128)": "open_rgb(data, min_size=128)",
    "Pillow, whole (as before)": "Image.open(io.BytesIO(data)).convert('RGB')",
}

_CHILD = """
import io, sys, time
from PIL import Image
from tsne_assets.core.images import open_rgb, probe
import pyvips
data = open(sys.argv[1], "rb").read()
def kb(key):
    return int(next(line for line in open("/proc/self/status") if line.startswith(key)).split()[1])
open("/proc/self/clear_refs", "w").write("5")
before, start = kb("VmRSS"), time.perf_counter()
result = {call}
print(kb("VmHWM") - before, time.perf_counter() - start)
"""


def measure_decode(path: Path, call: str) -> tuple[float, float]:
    """Peak MiB added and seconds taken by ``call`` in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", _CHILD.format(call=call), str(path)], check=True, capture_output=True, text=True
    ).stdout.split()
    return int(out[0]) / 1024, float(out[1])


def measure_build(images: Path, work: Path, name: str) -> tuple[float, float]:
    """Peak RSS MiB and seconds of ``tsne-assets build`` over ``images``, in a fresh process."""
    env = {**os.environ, "DAGSTER_HOME": str(work / f"home-{name}")}
    Path(env["DAGSTER_HOME"]).mkdir()
    command = [sys.executable, "-m", "tsne_assets.cli", "build", "--id", name, "--images", str(images),
               "--root", str(work / f"root-{name}")]
    start = time.perf_counter()
    with (work / f"{name}.log").open("w") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)  # the child's own rusage, reaped here
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError((work / f"{name}.log").read_text()[-2000:])
    return usage.ru_maxrss / 1024, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="measure the decodes only")
    args = parser.parse_args()
    print(f"machine: {machine_line()}, load average {os.getloadavg()[0]:.1f} at start")
    with tempfile.TemporaryDirectory(prefix="bench-decode-") as folder:
        work = Path(folder)
        bomb = work / "bomb.png"
        bomb.write_bytes(declared_png(13_000, 13_000))
        print(f"\nfile: {bomb.stat().st_size / 1000:.0f} KB PNG declaring 13,000 x 13,000 greyscale pixels\n")
        print("| decode | peak RSS added, MiB | seconds |")
        print("|---|---:|---:|")
        for label, call in DECODES.items():
            added, seconds = measure_decode(bomb, call)
            print(f"| {label} | {added:,.0f} | {seconds:.2f} |", flush=True)
        if args.no_build:
            return
        write_images(work / "plain", range(40))
        write_images(work / "with bomb", range(40))
        (work / "with bomb" / "bomb.png").write_bytes(bomb.read_bytes())
        print("\n| build of 40 JPEGs | peak RSS, MiB | seconds |")
        print("|---|---:|---:|")
        peaks = {}
        for name, images in (("plain", work / "plain"), ("bomb", work / "with bomb")):
            peaks[name], seconds = measure_build(images, work, name)
            print(f"| {'with the 13,000 px PNG' if name == 'bomb' else 'alone'} | {peaks[name]:,.0f} | {seconds:.1f} |", flush=True)
        print(f"\nthe file added {peaks['bomb'] - peaks['plain']:,.0f} MiB to the build's peak RSS")


if __name__ == "__main__":
    main()
