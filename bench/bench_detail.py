"""Benchmark each image's own pyramid (tsne_assets.core.detail): build time and storage, and
the viewer's frame time while zooming into a detailed image on a 20,000-image map.

    flock /tmp/heavy.lock .venv/bin/python bench/bench_detail.py [--skip-frames]

Build: the 74 Met photographs in /work/shared/data (JPEG, at most 1024 px on the longer side,
so ``--detail-max`` 2048 and 4096 both keep them at their own size), and the same photographs
enlarged four times with Lanczos (at most 4096 px) to stand in for larger originals. Each
configuration builds into a fresh cache, then again (everything re-used); the mosaic of the
same images is timed as a reference. Figures per 1,000 images are the 74 scaled.

Frames: a synthetic 142 x 142 map (20,164 cells of 128 px) served by ``tsne-assets serve``, 81
Met pyramids around its centre, in Debian's headless Chromium (software drawing). The view
zooms from the whole map to one screen pixel per original pixel of the centre image in 180
steps, one per animation frame, then holds until every tile is drawn; the intervals between
animation frames are measured, with and without the detail layers, in the same run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from machine import machine_line, markdown_table, synthetic_pyramid  # bench/machine.py, beside this script

REAL_DATA = Path("/work/shared/data/met-greek-roman")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def real_images() -> list[Path]:
    return sorted(p for p in REAL_DATA.rglob("*") if p.suffix.lower() in {".jpg", ".jpeg", ".png"})


def sources_of(paths: list[Path]):
    from PIL import Image

    from tsne_assets.core.detail import DetailSource

    found = []
    for path in paths:
        with Image.open(path) as image:
            width, height = image.size
        found.append(DetailSource(path.name, str(path), hashlib.sha256(path.read_bytes()).hexdigest(), width, height))
    return found


def enlarged(paths: list[Path], folder: Path, factor: int = 4) -> list[Path]:
    """The photographs enlarged ``factor`` times (Lanczos, JPEG quality 90)."""
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for index, path in enumerate(paths):
        target = folder / f"{index:03d}.jpg"
        with Image.open(path) as image:
            image.convert("RGB").resize((image.width * factor, image.height * factor), Image.Resampling.LANCZOS).save(
                target, quality=90
            )
        out.append(target)
    return out


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def bench_build(work: Path) -> list[dict]:
    from tsne_assets.core.detail import DetailOptions, build_detail_pyramids
    from tsne_assets.core.grid import grid_shape
    from tsne_assets.core.mosaic import MosaicOptions, build_deep_zoom

    photos = real_images()
    big = enlarged(photos, work / "x4")
    rows = []
    for label, paths in (("Met photos (<= 1024 px)", photos), ("Met x4 (<= 4096 px)", big)):
        n = len(paths)
        cols, grid_rows = grid_shape(n)
        start = time.perf_counter()
        build_deep_zoom([str(p) for p in paths], np.arange(n), cols, grid_rows, work / "mosaic", MosaicOptions())
        mosaic_s = time.perf_counter() - start
        shutil.rmtree(work / "mosaic")
        sources = sources_of(paths)
        for detail_max in (2048, 4096):
            cache = work / f"cache-{detail_max}"
            times = []
            for _ in range(2):  # a fresh build, then a rebuild that re-uses everything
                start = time.perf_counter()
                report = build_detail_pyramids(
                    sources, cache, DetailOptions(max_size=detail_max), cell_size=(128, 128), resize="contain",
                    read=lambda p: Path(p).read_bytes(),
                )
                times.append(time.perf_counter() - start)
            files, size = folder_size(cache)
            longest = max(max(p.width, p.height) for p in report.pyramids.values())
            rows.append({
                "images": label, "detail_max": detail_max, "n": n, "pyramids": len(report.pyramids),
                "longest": longest, "s_per_1000": times[0] * 1000 / n, "rebuild_s_per_1000": times[1] * 1000 / n,
                "mosaic_s_per_1000": mosaic_s * 1000 / n, "ratio_to_mosaic": times[0] / mosaic_s,
                "mib_per_1000": size / 2**20 * 1000 / n, "files_per_1000": files * 1000 / n,
                "reused_on_rebuild": report.reused, "failed": len(report.failed),
            })
            shutil.rmtree(cache)
    return rows


# ---------------------------------------------------------------------------------------------
# frames


COLS = ROWS = 142
CELL = 128
BLOCK = 9  # a BLOCK x BLOCK block of images with pyramids around the centre


def synthetic_map(root: Path, work: Path) -> dict:
    """Publish the 20k map twice, with and without detail; return what the browser needs."""
    import pandas as pd

    from tsne_assets.core.detail import DetailOptions, build_detail_pyramids
    from tsne_assets.core.site import publish_site
    from tsne_assets.core.viewer_data import detail_section, viewer_metadata

    tiles = work / "tiles"
    tiles.mkdir(parents=True)
    tiles_s = synthetic_pyramid(tiles, COLS, ROWS, CELL)

    n = COLS * ROWS
    ids = [f"img{i:05d}.jpg" for i in range(n)]
    records = pd.DataFrame({"id": ids, "title": [f"Image {i}" for i in range(n)], "url": [""] * n})
    cells = np.arange(n)
    centre = (ROWS // 2) * COLS + COLS // 2
    block = [centre + dr * COLS + dc for dr in range(-(BLOCK // 2), BLOCK // 2 + 1) for dc in range(-(BLOCK // 2), BLOCK // 2 + 1)]
    photos = sources_of(real_images())
    report = build_detail_pyramids(
        photos, work / "cache", DetailOptions(), cell_size=(CELL, CELL), resize="contain", read=lambda p: Path(p).read_bytes()
    )
    chosen = {item: photos[k % len(photos)] for k, item in enumerate(block)}
    sizes = {ids[item]: (report.pyramids[s.id].width, report.pyramids[s.id].height) for item, s in chosen.items()}
    detail = detail_section(ids, sizes, resize="contain", tile_size=256, overlap=1, tile_format="jpg")
    common = dict(cols=COLS, rows=ROWS, cell_size=(CELL, CELL))
    with_detail = viewer_metadata("with-detail", records, cells, detail=detail, **common)
    publish_site(root / "site" / "with-detail", version="v1", tiles_dir=tiles, metadata=with_detail,
                 detail_dirs={item: work / "cache" / report.pyramids[s.id].folder for item, s in chosen.items()})
    publish_site(root / "site" / "without-detail", version="v1", tiles_dir=tiles,
                 metadata=viewer_metadata("without-detail", records, cells, **common))
    w, h = sizes[ids[centre]]
    return {"centre": centre, "detail_width": w, "detail_height": h, "tiles_seconds": tiles_s}


ZOOM_JS = """async ([cell, cellSize, cols, full, steps]) => {
  const {viewer} = window.tsneViewer;
  const vp = viewer.viewport, mosaic = viewer.world.getItemAt(0);
  const col = cell % cols, row = Math.floor(cell / cols);
  const target = mosaic.imageToViewportCoordinates((col + 0.5) * cellSize, (row + 0.5) * cellSize);
  vp.panTo(target, true);  // then zoom about the centre, as a visitor zooms into what they chose
  const z0 = vp.getZoom(true), z1 = mosaic.imageToViewportZoom(full / cellSize);
  const frames = [];
  let longTasks = 0;
  new PerformanceObserver((list) => (longTasks += list.getEntries().length)).observe({entryTypes: ['longtask']});
  const frame = () => new Promise((done) => requestAnimationFrame(done));
  let last = await frame();
  for (let i = 1; i <= steps; i++) {
    vp.zoomTo(z0 * Math.pow(z1 / z0, i / steps), null, true);
    const now = await frame();
    frames.push(now - last);
    last = now;
  }
  const settled = () => {
    for (let i = 0; i < viewer.world.getItemCount(); i++) {
      const item = viewer.world.getItemAt(i);
      if (item.getOpacity() > 0 && !item.getFullyLoaded()) return false;  // hidden layers are off screen
    }
    return !viewer.world.needsDraw();
  };
  const holdStart = performance.now();
  while (!settled() && performance.now() - holdStart < 20000) {
    const now = await frame();
    frames.push(now - last);
    last = now;
  }
  let shown = 0;
  for (let i = 1; i < viewer.world.getItemCount(); i++) shown += viewer.world.getItemAt(i).getOpacity() > 0;
  return {frames, layers: viewer.world.getItemCount() - 1, shown, settle_ms: performance.now() - holdStart, longTasks};
}"""


def bench_frames(work: Path) -> list[dict]:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tsne_assets.serve import serve
    from tsne_assets_tests.viewer.conftest import CHROMIUM, CHROMIUM_ARGS

    root = work / "root"
    info = synthetic_map(root, work)
    server, url, thread = serve(root, host="127.0.0.1", port=0)
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for run in range(2):
                for name in ("without-detail", "with-detail"):
                    context = browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
                    page = context.new_page()
                    page.set_default_timeout(60_000)
                    start = time.perf_counter()
                    page.goto(f"{url}{name}/")
                    page.wait_for_function("() => document.documentElement.dataset.state === 'ready'")
                    ready = time.perf_counter() - start
                    result = page.evaluate(ZOOM_JS, [info["centre"], CELL, COLS, info["detail_width"], 180])
                    frames = np.array(result["frames"])
                    rows.append({
                        "run": run + 1, "map": name, "ready_s": ready, "frames": len(frames),
                        "median_ms": float(np.median(frames)), "p95_ms": float(np.percentile(frames, 95)),
                        "max_ms": float(frames.max()), "long_tasks": result["longTasks"],
                        "layers_open": result["layers"], "layers_shown": result["shown"], "settle_ms": result["settle_ms"],
                    })
                    context.close()
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    rows.append({"map": "(synthetic mosaic dzsave, s)", "ready_s": info["tiles_seconds"]})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-frames", action="store_true", help="only the build")
    parser.add_argument("--skip-build", action="store_true", help="only the frames")
    args = parser.parse_args()
    print(machine_line())
    with tempfile.TemporaryDirectory(prefix="bench-detail-") as scratch:
        work = Path(scratch)
        if not args.skip_build:
            print("\nBuild (per 1,000 images, scaled from the 74 photographs):\n")
            print(markdown_table(bench_build(work / "build"), digits=2))
        if not args.skip_frames:
            print("\nFrames while zooming into a detailed image on a 20,164-image map (Chromium, 1280x800):\n")
            print(markdown_table(bench_frames(work / "frames"), digits=2))
    print(json.dumps({"done": True}))


if __name__ == "__main__":
    main()
