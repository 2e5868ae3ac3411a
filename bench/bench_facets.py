"""Facet filters at 100,000 images in Chromium: a click's recount and redim, and what the facets
add to metadata.json.

    flock /tmp/heavy.lock .venv/bin/python bench/bench_facets.py [--n 100000] [--clicks 20]

Map: a synthetic grid of ``--n`` images (the grid's automatic headroom) drawn by libvips as flat
colours in 8-px cells (the tiles' size changes nothing here), published with
:func:`~tsne_assets.core.site.publish_site` and served by ``tsne-assets serve``. Facets, summarised
by :func:`~tsne_assets.core.facets.summarise_facet` as a build does: ``classification`` (12
values), ``maker`` (5,000 values: its own value search), ``year`` (numeric, 5 % without one).

In the page (1280 x 800, the Filters drawer open) each click ticks or unticks a checkbox or sets
the year range, and is timed from the click to the end of its handler (the counts, the result
set, the dimming mask, the drawn dimming and the hash: all synchronous) and to the next frame (a
``requestAnimationFrame`` then a task: the frame is painted). Rounds: filters alone, then with
a search active. The goal (issue 13): under 50 ms from the click to the redrawn map.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import numpy as np
from machine import machine_line, markdown_table, synthetic_pyramid  # bench/machine.py, beside this script

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
CELL = 8
CLASSES = ["Vases", "Bronzes", "Terracottas", "Gems", "Coins", "Glass", "Sculpture", "Jewelry",
           "Lamps", "Stone", "Gold and Silver", "Miscellaneous"]


def build_site(root: Path, work: Path, n: int) -> dict:
    """Publish the synthetic map as collection ``facets``; return the facets' size in metadata.json."""
    import pandas as pd

    from tsne_assets.core.facets import summarise_facet
    from tsne_assets.core.grid import auto_headroom, grid_shape
    from tsne_assets.core.site import publish_site
    from tsne_assets.core.viewer_data import viewer_metadata

    rng = np.random.default_rng(0)
    cols, rows = grid_shape(n, auto_headroom(n))
    tiles = work / "tiles"
    tiles.mkdir(parents=True)
    synthetic_pyramid(tiles, cols, rows, CELL)

    weights = 1 / np.arange(1, len(CLASSES) + 1)  # a few large classes, many small ones, as in museums
    years = rng.integers(-800, 400, n).astype(str)
    years[rng.random(n) < 0.05] = ""
    records = pd.DataFrame({
        "id": [f"{i}.jpg" for i in range(n)],
        "title": [f"Object {i}" for i in range(n)],
        "url": [f"https://example.org/object/{i}" for i in range(n)],
        "classification": rng.choice(CLASSES, n, p=weights / weights.sum()),
        "maker": [f"Workshop {k}" for k in rng.zipf(1.3, n) % 5000],
        "year": years,
    })
    cells = rng.permutation(cols * rows)[:n]
    fields = ("classification", "maker", "year")
    document = viewer_metadata("facets", records, cells, cols=cols, rows=rows, cell_size=(CELL, CELL), fields=fields)
    document["facets"] = [summarise_facet(f, records[f].tolist()) for f in fields]
    publish_site(root / "site" / "facets", version="v1", tiles_dir=tiles, metadata=document)
    facets = json.dumps(document["facets"], separators=(",", ":")).encode()
    return {"cols": cols, "rows": rows, "facets_raw": len(facets), "facets_gzip": len(gzip.compress(facets, 6))}


CLICK_JS = """async ([kind, arg]) => {
  const t0 = performance.now();
  if (kind === 'value') document.querySelector(`#filters input[value="${arg}"]`).click();
  else {
    const box = document.querySelector('#filters input[aria-label="year to"]');
    box.value = String(arg);
    box.dispatchEvent(new Event('change'));
  }
  const t1 = performance.now();
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  return [t1 - t0, performance.now() - t0, document.getElementById('filters-badge').textContent];
}"""


def clicks(k: int) -> list[tuple[str, str | int]]:
    """``k`` changes: classes ticked one by one, the year range narrowed, classes unticked."""
    out: list[tuple[str, str | int]] = []
    for i in range(k):
        step = i % 8
        if step < 3:
            out.append(("value", CLASSES[step]))
        elif step < 5:
            out.append(("range", 200 - 300 * (step - 3)))
        else:
            out.append(("value", CLASSES[step - 5]))
    return out


@contextmanager
def served_page(root: Path) -> Iterator:
    """A 1280 x 800 Chromium page and the URL of ``root``'s sites, served by ``tsne-assets serve``."""
    from playwright.sync_api import sync_playwright

    from tsne_assets.serve import serve
    from tsne_assets_tests.viewer.conftest import CHROMIUM, CHROMIUM_ARGS

    with ExitStack() as stack:
        server, url, thread = serve(root, host="127.0.0.1", port=0)
        stack.callback(thread.join, 10)
        stack.callback(setattr, server, "should_exit", True)
        p = stack.enter_context(sync_playwright())
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        stack.callback(browser.close)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.set_default_timeout(120_000)
        yield page, url


def bench_page(root: Path, k: int) -> list[dict]:
    rows = []
    with served_page(root) as (page, url):
        page.goto(f"{url}facets/")
        page.wait_for_function("() => document.documentElement.dataset.state === 'ready'")
        page.get_by_role("button", name="Filters").click()
        for search in ("", "object 1"):
            page.get_by_label("Search titles and fields").fill(search)
            page.wait_for_function("q => new URLSearchParams(location.hash.slice(1)).get('q') === (q || null)", arg=search)
            if search:
                page.evaluate("() => document.getElementById('filters-clear').click()")  # the search's own count
            for warm_up in (["value", CLASSES[-1]], ["value", CLASSES[-1]], ["range", 400], ["range", ""]):
                page.evaluate(CLICK_JS, warm_up)  # the first change of each kind compiles its code
            handler, frame = [], []
            for change in clicks(k):
                h, f, _badge = page.evaluate(CLICK_JS, list(change))
                handler.append(h)
                frame.append(f)
            matches = page.locator("#match-count").inner_text() if search else ""
            rows.append({"search": f"{search!r} ({matches})" if search else "(none)", "clicks": k,
                         "handler median (ms)": statistics.median(handler), "handler max (ms)": max(handler),
                         "to next frame median (ms)": statistics.median(frame), "to next frame max (ms)": max(frame)})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="images on the map")
    parser.add_argument("--clicks", type=int, default=24, help="timed filter changes per round")
    args = parser.parse_args()
    print(machine_line())
    with tempfile.TemporaryDirectory(prefix="bench-facets-") as scratch:
        work = Path(scratch)
        facts = build_site(work / "root", work, args.n)
        print(f"n={args.n:,}  grid {facts['cols']} x {facts['rows']}  facets in metadata.json: "
              f"{facts['facets_raw'] / 2**10:,.0f} KiB raw, {facts['facets_gzip'] / 2**10:,.0f} KiB gzip")
        print(markdown_table(bench_page(work / "root", args.clicks)))


if __name__ == "__main__":
    main()
