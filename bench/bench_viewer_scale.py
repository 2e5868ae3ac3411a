"""The viewer at 100,000 images: what the first paint transfers and waits for, in Chromium.

    flock /tmp/heavy.lock .venv/bin/python bench/bench_viewer_scale.py [--n 100000] [--runs 3]

Map: a synthetic grid (``--n`` images, the grid's automatic headroom, 128-px cells as by
default) drawn by libvips as flat colours with a frame, published with
:func:`~tsne_assets.core.site.publish_site` like a built collection and served by ``tsne-assets
serve`` (gzip for text). Metadata, built by the project's own functions so that its size is
what a build would publish: each image's id, title, record link, a made-up accession number
(text unique to each image, as in every museum) and five fields of rows sampled from the Met
sample's ``objects.csv`` (in ``/work/shared/data``; made-up Met-like rows without it), the
similar images' table (12 neighbours), cluster labels and two facets (``classification``,
categorical, and ``year``, numeric).

Each run opens the page in a fresh browser context (empty cache) at 1280 x 800 and reports,
from the page's resource timing: when the metadata finished arriving, when the first tile
arrived, when the first view was complete (``data-state=ready``: every tile of the view drawn),
and the bytes transferred (compressed) per kind of file.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
from machine import machine_line, markdown_table, synthetic_pyramid  # bench/machine.py, beside this script

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
MET_OBJECTS = Path("/work/shared/data/met-greek-roman/objects.csv")
CELL = 128
FIELDS = ("accession", "objectName", "objectDate", "culture", "medium", "classification")


def sample_rows(n: int, rng: np.random.Generator) -> list[dict[str, str]]:
    """``n`` Met-like records: real rows of the sample, each reused with its own id."""
    if MET_OBJECTS.exists():
        with MET_OBJECTS.open(newline="", encoding="utf-8") as f:
            pool = list(csv.DictReader(f))
    else:
        pool = [{"title": f"Terracotta vase {i}", "objectName": "Vase", "objectDate": "ca. 480 BCE",
                 "culture": "Greek", "medium": "Terracotta", "classification": f"Class {i % 9}"} for i in range(60)]
    picks = rng.integers(0, len(pool), n)
    rows = []
    for i, p in enumerate(picks):
        row = {k: pool[p].get(k, "") for k in ("title", *FIELDS)}
        object_id = 100_000 + i
        # Accession numbers differ per object, as in every museum: text that compresses poorly.
        row["accession"] = f"{rng.integers(1870, 2024)}.{rng.integers(1, 999)}.{rng.integers(1, 99)}"
        rows.append({"id": f"{object_id}.jpg", "url": f"https://www.metmuseum.org/art/collection/search/{object_id}", **row})
    return rows


def build_site(root: Path, work: Path, n: int) -> dict:
    """Publish the synthetic map as collection ``scale``; return its size facts."""
    import pandas as pd

    from bench_explore import data  # synthetic features and layout, beside this script
    from tsne_assets.core.clusters import clusters_document, describe_clusters, find_groups
    from tsne_assets.core.facets import summarise_facet
    from tsne_assets.core.grid import auto_headroom, grid_shape
    from tsne_assets.core.layout import DEFAULT_PERPLEXITY
    from tsne_assets.core.neighbours import feature_neighbours
    from tsne_assets.core.similar import SIMILAR_NAME, most_similar, similar_bytes, similar_section
    from tsne_assets.core.site import publish_site
    from tsne_assets.core.viewer_data import viewer_metadata

    rng = np.random.default_rng(0)
    cols, rows = grid_shape(n, auto_headroom(n))
    tiles = work / "tiles"
    tiles.mkdir(parents=True)
    tiles_s = synthetic_pyramid(tiles, cols, rows, CELL)

    records = pd.DataFrame(sample_rows(n, rng))
    records["year"] = rng.integers(-800, 400, n).astype(str)
    cells = rng.permutation(cols * rows)[:n]
    features, layout, _ = data(n)
    groups = find_groups(layout)
    document = viewer_metadata("scale", records, cells, cols=cols, rows=rows, cell_size=(CELL, CELL), fields=FIELDS)
    neighbours = feature_neighbours(features, perplexity=DEFAULT_PERPLEXITY)
    table = most_similar(features, neighbours["index"])
    document["similar"] = similar_section(table)
    document["clusters"] = clusters_document(describe_clusters(groups, cells, cols, records["title"].tolist()))
    document["facets"] = [summarise_facet(f, records[f].tolist()) for f in ("classification", "year")]
    publish_site(root / "site" / "scale", version="v1", tiles_dir=tiles, metadata=document,
                 files={SIMILAR_NAME: similar_bytes(table)})
    return {"cols": cols, "rows": rows, "tiles_seconds": tiles_s}


MEASURE_JS = """() => {
  const entries = performance.getEntriesByType('resource');
  const of = (test) => entries.filter((e) => test(e.name));
  const end = (list) => (list.length ? Math.min(...list.map((e) => e.responseEnd)) : null);
  return {
    metadata_ms: end(of((u) => u.endsWith('/metadata.json'))),
    first_tile_ms: end(of((u) => u.includes('_files/'))),
  };
}"""


def kind_of(url: str) -> str:
    name = url.rsplit("/", 1)[-1]
    if "_files/" in url:
        return "tiles"
    if name in ("metadata.json", "similar.bin"):
        return name
    return "page (html, js, css, current.json, dzi)"


def bench_page(root: Path, runs: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    from tsne_assets.serve import serve
    from tsne_assets_tests.viewer.conftest import CHROMIUM, CHROMIUM_ARGS

    server, url, thread = serve(root, host="127.0.0.1", port=0)
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for run in range(runs):
                context = browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
                page = context.new_page()
                page.set_default_timeout(120_000)
                transferred: dict[str, int] = {}

                def count(request, transferred=transferred) -> None:
                    sizes = request.sizes()
                    kind = kind_of(request.url)
                    transferred[kind] = transferred.get(kind, 0) + sizes["responseBodySize"] + sizes["responseHeadersSize"]

                page.on("requestfinished", count)
                page.goto(f"{url}scale/")
                page.wait_for_function("() => document.documentElement.dataset.state === 'ready'")
                ready_ms = page.evaluate("() => performance.now()")
                timing = page.evaluate(MEASURE_JS)
                page.wait_for_load_state("networkidle")  # the similar table loads after the first paint
                context.close()
                rows.append({"run": run + 1, **timing, "view_complete_ms": ready_ms,
                             **{f"{k} (KB)": v / 1024 for k, v in sorted(transferred.items())},
                             "total (MB)": sum(transferred.values()) / 2**20})
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="images on the map")
    parser.add_argument("--runs", type=int, default=3, help="page loads, each with an empty cache")
    parser.add_argument("--keep", type=Path, help="build the site into this folder once and reuse it (default: a temporary one)")
    args = parser.parse_args()
    print(machine_line())
    with tempfile.TemporaryDirectory(prefix="bench-viewer-") as scratch:
        work = args.keep or Path(scratch)
        if not (work / "root").exists():
            facts = build_site(work / "root", work, args.n)
            print(f"built: grid {facts['cols']} x {facts['rows']}, mosaic dzsave {facts['tiles_seconds']:.0f} s")
        metadata = json.loads(next((work / "root" / "site" / "scale").glob("versions/*/metadata.json")).read_text())
        raw = len(json.dumps(metadata, separators=(",", ":")))
        print(f"n={len(metadata['items']['id']):,}  grid {metadata['grid']['cols']} x {metadata['grid']['rows']}  "
              f"metadata.json {raw / 2**20:.1f} MiB raw")
        print(markdown_table(bench_page(work / "root", args.runs)))


if __name__ == "__main__":
    main()
