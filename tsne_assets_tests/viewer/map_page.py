"""The viewer's page in the browser tests: :class:`MapPage`, which knows the grid from the
published metadata.json and asks OpenSeadragon's viewport where a cell is on screen (never the
viewer's own hit-testing code), and the screens the tests open it on."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image

from .collection import BuiltCollection, colour_of

if TYPE_CHECKING:  # conftest.py imports this module: Playwright loads only where a browser test runs
    from playwright.sync_api import Page

TILE_RE = re.compile(r"/versions/[^/]+/tiles_files/(\d+)/(\d+)_(\d+)\.(?:jpe?g|png|webp)$")

SETTLED_JS = """() => {
  const t = window.tsneViewer;
  const tiled = t && t.viewer.world.getItemAt(0);
  if (!tiled || document.documentElement.dataset.state !== 'ready') return false;
  const vp = t.viewer.viewport;
  // OpenSeadragon has taken the map's size (it resizes a frame after a panel opens or closes).
  const size = vp.getContainerSize();
  const el = t.viewer.container;
  if (size.x !== Math.max(1, el.clientWidth) || size.y !== Math.max(1, el.clientHeight)) return false;
  return vp.zoomSpring.isAtTargetValue() && vp.centerSpringX.isAtTargetValue()
    && vp.centerSpringY.isAtTargetValue() && tiled.getFullyLoaded()
    && !t.viewer.world.needsDraw();
}"""


class MapPage:
    """A page on the collection's viewer, with helpers that know the grid from metadata.json."""

    def __init__(self, page: Page, url: str, collection: BuiltCollection):
        self.page = page
        self.url = url
        self.meta = collection.metadata
        self.grid = self.meta["grid"]
        self.items = self.meta["items"]
        self.tiles: list[tuple[int, str]] = []  # (status, url) of tile responses
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("response", lambda r: self.tiles.append((r.status, r.url)) if TILE_RE.search(r.url) else None)
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

        def on_dialog(dialog):
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)

    # -- navigation ------------------------------------------------------------------------
    def open(self, fragment: str = "") -> MapPage:
        self.page.goto(self.url + (f"#{fragment}" if fragment else ""))
        self.settle()  # the page is ready and the map settled
        return self

    def settle(self) -> None:
        self.page.wait_for_function(SETTLED_JS)

    # -- the grid, from metadata.json ------------------------------------------------------
    def cell_of(self, title: str) -> int:
        item = self.items["title"].index(title)
        return self.meta["cells"].index(item)

    def item_in(self, cell: int) -> int:
        return self.meta["cells"][cell]

    def title_in(self, cell: int) -> str:
        return self.items["title"][self.item_in(cell)]

    def colour_in(self, cell: int) -> tuple[int, int, int]:
        return colour_of(self.items["id"][self.item_in(cell)])

    def cell_image_rect(self, cell: int) -> tuple[float, float, float, float]:
        cols, w, h = self.grid["cols"], self.grid["cell_width"], self.grid["cell_height"]
        return (cell % cols) * w, (cell // cols) * h, w, h

    def to_page(self, x: float, y: float) -> tuple[float, float]:
        """Image pixel -> page coordinates, through OpenSeadragon's viewport."""
        return tuple(
            self.page.evaluate(
                """([x, y]) => {
                  const {viewer, OpenSeadragon} = window.tsneViewer;
                  const p = viewer.viewport.imageToViewerElementCoordinates(new OpenSeadragon.Point(x, y));
                  const r = viewer.container.getBoundingClientRect();
                  return [r.left + p.x, r.top + p.y];
                }""",
                [x, y],
            )
        )

    def cell_point(self, cell: int, fx: float = 0.5, fy: float = 0.5) -> tuple[float, float]:
        x, y, w, h = self.cell_image_rect(cell)
        return self.to_page(x + fx * w, y + fy * h)

    def cell_screen_rect(self, cell: int) -> tuple[float, float, float, float]:
        x, y, w, h = self.cell_image_rect(cell)
        x0, y0 = self.to_page(x, y)
        x1, y1 = self.to_page(x + w, y + h)
        return x0, y0, x1, y1

    def view_centre_image(self) -> tuple[float, float]:
        return tuple(
            self.page.evaluate(
                """() => {
                  const vp = window.tsneViewer.viewer.viewport;
                  const p = vp.viewportToImageCoordinates(vp.getCenter(true));
                  return [p.x, p.y];
                }"""
            )
        )

    def centre_cell(self) -> int:
        x, y = self.view_centre_image()
        return int(y // self.grid["cell_height"]) * self.grid["cols"] + int(x // self.grid["cell_width"])

    def nearest_cell(self, x: float, y: float) -> int:
        """The occupied cell whose centre is nearest image pixel (x, y), within one cell, or -1."""
        w, h, cols, rows = self.grid["cell_width"], self.grid["cell_height"], self.grid["cols"], self.grid["rows"]
        col, row = int(x // w), int(y // h)
        around = [
            (((c + 0.5) * w - x) ** 2 + ((r + 0.5) * h - y) ** 2, r * cols + c)
            for r in range(max(0, row - 1), min(rows, row + 2))
            for c in range(max(0, col - 1), min(cols, col + 2))
            if self.item_in(r * cols + c) >= 0
        ]
        return min(around)[1] if around else -1

    def map_box(self) -> dict:
        return self.page.locator("#map").bounding_box()

    # -- pixels ----------------------------------------------------------------------------
    def screenshot(self, path: Path | None = None) -> Image.Image:
        return Image.open(io.BytesIO(self.page.screenshot(path=path))).convert("RGB")

    def max_level(self) -> int:
        image = self.meta["image"]
        return math.ceil(math.log2(max(image["width"], image["height"])))


def close(a, b, tolerance=40) -> bool:
    return all(abs(int(x) - int(y)) <= tolerance for x, y in zip(a, b))


#: A desktop screen, and a phone-sized touch screen.
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def new_map_page(browser, site_url: str, collection: BuiltCollection, **context_options) -> Iterator[MapPage]:
    """A :class:`MapPage` on the collection in a new browser context of ``context_options``, not
    yet opened; after it, no uncaught error in the page."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    mp = MapPage(page, f"{site_url}{collection.id}/", collection)
    yield mp
    assert mp.errors == [], f"uncaught errors in the page: {mp.errors}"
    context.close()
