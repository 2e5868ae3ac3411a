"""Make the README's screenshot, docs/viewer.png: the Met sample explored in Chromium.

    .venv/bin/python docs/screenshot.py [--data ../shared/data/met-greek-roman] [--out docs/viewer.png]

Builds the 74 Met photographs (CC0) with their names, fields and two facets through the
command line into a temporary root, serves it with ``tsne-assets serve``, and photographs the
viewer in Debian's headless Chromium at 1280 x 760: a search framing its matches, the Filters
drawer with a value chosen, and the details panel of the first match with its similar objects,
the map zoomed out from it a little.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from tsne_assets.cli import main as cli  # noqa: E402
from tsne_assets.serve import serve  # noqa: E402
from tsne_assets_tests.viewer.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

BUILD = [
    "--id", "met", "--metadata", "images.csv", "--fn", "filename", "--title", "title", "--url", "url",
    "--field", "objectName", "--field", "date", "--field", "culture",
    "--facet", "classification", "--facet", "culture",
    "--name", "Greek and Roman Art", "--credit", "The Metropolitan Museum of Art, Open Access", "--license", "CC0",
]  # fmt: skip
READY = "() => document.documentElement.dataset.state === 'ready'"
SETTLED = "() => { const v = window.tsneViewer.viewer; return !v.world.needsDraw() && v.world.getItemAt(0).getFullyLoaded(); }"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=PROJECT.parent / "shared" / "data" / "met-greek-roman")
    parser.add_argument("--out", type=Path, default=PROJECT / "docs" / "viewer.png")
    parser.add_argument("--query", default="kylix", help="the search shown")
    parser.add_argument("--filter", default="Vases", help="the classification value chosen in the Filters drawer")
    parser.add_argument("--zoom-out", type=int, default=3, help="zoom-out clicks after going to the first match")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="tsne-screenshot-") as root:
        metadata = str(args.data / "images.csv")
        argv = ["build", *BUILD, "--images", str(args.data), "--root", root]
        assert cli([a if a != "images.csv" else metadata for a in argv]) == 0
        server, url, thread = serve(Path(root), host="127.0.0.1", port=0)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                page = browser.new_page(viewport={"width": 1280, "height": 760}, device_scale_factor=1)
                page.goto(f"{url}met/#q={args.query}")
                page.wait_for_function(READY)
                page.get_by_role("button", name="Filters").click()
                page.get_by_role("checkbox", name=args.filter).first.check()
                page.get_by_role("button", name="Next match").click()
                page.wait_for_function(SETTLED)
                for _ in range(args.zoom_out):  # from the chosen match back towards the others
                    page.get_by_role("button", name="Zoom out").click()
                    page.wait_for_function(SETTLED)
                page.locator("#similar-list button").first.wait_for()
                page.wait_for_function(SETTLED)
                page.screenshot(path=str(args.out))
                browser.close()
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
