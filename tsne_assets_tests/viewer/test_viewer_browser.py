"""The viewer in a real browser, against a published collection served by `tsne-assets serve`.

Expectations come from the published metadata.json (which image is in which cell), the image
colours from the test collection; where the test must know where a cell is on screen it asks
OpenSeadragon's viewport transform, never the viewer's own hit-testing code.
"""

from __future__ import annotations

import io
import math
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from .collection import ACCENT_TITLE, XSS_TITLE, BuiltCollection, colour_of

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
        # A function, not an expression: Playwright evals expressions, which the page's CSP forbids.
        self.page.wait_for_function("() => document.documentElement.dataset.state === 'ready'")
        self.settle()
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


#: A phone-sized touch screen.
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def _map_page(browser, site_url: str, collection: BuiltCollection, **context_options):
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    mp = MapPage(page, f"{site_url}{collection.id}/", collection)
    yield mp
    assert mp.errors == [], f"uncaught errors in the page: {mp.errors}"
    context.close()


@pytest.fixture()
def map_page(browser, site_url: str, collection: BuiltCollection):
    yield from _map_page(browser, site_url, collection, viewport={"width": 1280, "height": 800}, device_scale_factor=1)


@pytest.fixture()
def phone_page(browser, site_url: str, collection: BuiltCollection):
    yield from _map_page(browser, site_url, collection, **PHONE)


# --------------------------------------------------------------------------------------------


def test_map_renders_tiles(map_page: MapPage, artifacts: Path) -> None:
    mp = map_page.open()
    shot = mp.screenshot(artifacts / "overview.png")

    ok = [url for status, url in mp.tiles if status == 200]
    assert ok, "no DZI tile was served"
    assert all(status == 200 for status, _ in mp.tiles), mp.tiles
    assert len({url for url in ok}) >= 2
    # Each image is drawn in its own cell, in the right colour (empty cells are the mosaic's
    # background, whatever colour the pipeline gives it).
    assert -1 in mp.meta["cells"]
    for cell, item in enumerate(mp.meta["cells"]):
        if item >= 0:
            x, y = mp.cell_point(cell, 0.25, 0.25)
            pixel = shot.getpixel((int(x), int(y)))
            assert close(pixel, mp.colour_in(cell)), (cell, mp.title_in(cell), pixel)
    expect(mp.page.locator("#map-status")).to_have_text(f"{len(mp.items['id'])} images")


def test_tiles_load_while_the_metadata_does(map_page: MapPage) -> None:
    # metadata.json is held back until a tile has been asked for: a viewer that waited for
    # the metadata before opening the tiles would never get ready.
    page, held, order = map_page.page, [], []
    page.route("**/metadata.json", lambda route: held.append(route))

    def release(request) -> None:
        if TILE_RE.search(request.url):
            order.append("tile")
            if held:
                held.pop().continue_()

    page.on("request", release)
    page.on("response", lambda r: order.append("metadata") if r.url.endswith("/metadata.json") else None)
    map_page.open()
    assert order.index("tile") < order.index("metadata")


def test_hover_shows_the_title_of_the_image_under_the_pointer(map_page: MapPage, artifacts: Path) -> None:
    mp = map_page.open()
    label = mp.page.locator("#hover-label")
    outline = mp.page.locator(".cell-outline.hover")
    for cell, item in enumerate(mp.meta["cells"]):
        # Near the right and bottom edges too: the cells are not square.
        for fx, fy in ((0.5, 0.5), (0.95, 0.9), (0.05, 0.08)):
            x, y = mp.cell_point(cell, fx, fy)
            mp.page.mouse.move(x, y)
            if item < 0:
                expect(label).to_be_hidden()
                expect(outline).to_be_hidden()
            else:
                expect(label).to_be_visible()
                expect(label).to_have_text(mp.title_in(cell))
                expect(outline).to_be_visible()
    # The outline has the cell's shape, not a square.
    cell = mp.cell_of(ACCENT_TITLE)
    mp.page.mouse.move(*mp.cell_point(cell))
    expect(label).to_have_text(ACCENT_TITLE)
    box = outline.bounding_box()
    x0, y0, x1, y1 = mp.cell_screen_rect(cell)
    assert box["width"] == pytest.approx(x1 - x0, abs=2)
    assert box["height"] == pytest.approx(y1 - y0, abs=2)
    mp.screenshot(artifacts / "hover.png")
    mp.page.mouse.move(5, 5)  # off the map
    expect(label).to_be_hidden()


def test_click_opens_the_panel_with_fields_and_record_link(map_page: MapPage, artifacts: Path) -> None:
    mp = map_page.open()
    cell = mp.cell_of("Red amphora")
    item = mp.item_in(cell)
    mp.page.mouse.click(*mp.cell_point(cell, 0.3, 0.7))

    panel = mp.page.locator("#panel")
    expect(panel).to_be_visible()
    expect(panel.locator("#panel-title")).to_have_text("Red amphora")
    expect(panel.locator("dt")).to_have_text(["Date", "Culture"])
    expect(panel.locator("dd")).to_have_text([mp.items["date"][item], mp.items["culture"][item]])
    link = panel.locator("#panel-link")
    expect(link).to_be_visible()
    expect(link).to_have_attribute("href", mp.items["url"][item])
    expect(link).to_have_attribute("target", "_blank")
    assert "noopener" in link.get_attribute("rel").split()
    assert f"item={mp.items['id'][item]}" in mp.page.evaluate("decodeURIComponent(location.hash)")
    mp.screenshot(artifacts / "panel.png")

    # A javascript: URL in the data never becomes a link.
    mp.page.get_by_role("button", name="Show the whole map").click()  # the panel narrowed the map
    mp.settle()
    mp.page.mouse.click(*mp.cell_point(mp.cell_of("Pink pyxis"), 0.3, 0.7))
    expect(panel.locator("#panel-title")).to_have_text("Pink pyxis")
    expect(link).to_be_hidden()
    assert link.get_attribute("href") is None

    # Clicking the empty cell closes the panel; Escape does too.
    mp.settle()
    mp.page.mouse.click(*mp.cell_point(mp.meta["cells"].index(-1)))
    expect(panel).to_be_hidden()


def test_search_dims_counts_and_steps_through_matches(map_page: MapPage, artifacts: Path) -> None:
    mp = map_page.open()
    page = mp.page
    search = page.get_by_label("Search titles and fields")
    count = page.locator("#match-count")
    assert count.get_attribute("aria-live") == "polite"

    search.fill("AMPHORA")
    expect(count).to_have_text("2 matches")
    expect(page).to_have_url(re.compile(r"#q=AMPHORA$"))
    matching = sorted(mp.cell_of(t) for t in ("Red amphora", "Small amphora"))
    mp.settle()  # the view frames the matches (test_search_browser.py)
    shot = mp.screenshot(artifacts / "search.png")
    box = mp.map_box()
    for cell, item in enumerate(mp.meta["cells"]):
        if item < 0:
            continue
        x, y = (int(v) for v in mp.cell_point(cell, 0.25, 0.25))
        if not (box["x"] <= x < box["x"] + box["width"] and box["y"] <= y < box["y"] + box["height"]):
            assert cell not in matching, mp.title_in(cell)
            continue
        colour, new = mp.colour_in(cell), shot.getpixel((x, y))
        if cell in matching:
            assert close(new, colour), (mp.title_in(cell), colour, new)
        else:
            assert sum(new) < 0.45 * sum(colour), (mp.title_in(cell), colour, new)

    # Next and previous move the view onto each match, in reading order.
    for expected_pos, button in ((0, "Next match"), (1, "Next match"), (0, "Previous match"), (1, "Previous match")):
        page.get_by_role("button", name=button).click()
        expect(count).to_have_text(f"{expected_pos + 1} of 2 matches")
        mp.settle()
        assert mp.centre_cell() == matching[expected_pos]
        expect(page.locator("#panel-title")).to_have_text(mp.title_in(matching[expected_pos]))
        x0, _, x1, _ = mp.cell_screen_rect(matching[expected_pos])
        assert x1 - x0 > 0.25 * mp.map_box()["width"]  # zoomed in on it

    # Accent- and case-insensitive, over the title and the configured fields.
    search.fill("deja VU")
    expect(count).to_have_text("1 match")
    search.fill("francais")  # the culture field holds "Français"
    expect(count).to_have_text("1 match")
    search.fill("etruscan amphora")  # every word must match, in any field
    expect(count).to_have_text("2 matches")
    search.fill("no such thing")
    expect(count).to_have_text("No matches")
    expect(page.get_by_role("button", name="Next match")).to_be_disabled()

    # Clearing restores the map.
    page.get_by_role("button", name="Show the whole map").click()
    search.fill("")
    expect(count).to_have_text("")
    mp.settle()
    page.mouse.move(5, 5)
    expect(page.locator("#hover-label")).to_be_hidden()
    restored = mp.screenshot()
    for cell, item in enumerate(mp.meta["cells"]):
        if item >= 0:
            x, y = (int(v) for v in mp.cell_point(cell, 0.25, 0.25))
            assert close(restored.getpixel((x, y)), mp.colour_in(cell)), mp.title_in(cell)
    assert "q=" not in page.evaluate("location.hash")


def test_deep_link_opens_zoomed_onto_the_image_and_history_works(map_page: MapPage, artifacts: Path) -> None:
    mp = map_page
    cell = mp.cell_of("Cyan stele")
    item_id = mp.items["id"][mp.item_in(cell)]
    mp.open(urlencode({"item": item_id, "q": "stele"}))
    page = mp.page

    expect(page.locator("#panel-title")).to_have_text("Cyan stele")
    expect(page.locator("#search-input")).to_have_value("stele")
    expect(page.locator("#match-count")).to_have_text("1 match")
    assert mp.centre_cell() == cell
    box = mp.map_box()
    x0, y0, x1, y1 = mp.cell_screen_rect(cell)
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    assert x0 < cx < x1 and y0 < cy < y1
    assert (x1 - x0) > 0.4 * box["width"] or (y1 - y0) > 0.4 * box["height"]
    # At that zoom the full-resolution tiles are drawn.
    levels = {int(TILE_RE.search(url).group(1)) for status, url in mp.tiles if status == 200}
    assert mp.max_level() in levels
    mp.screenshot(artifacts / "deep-link.png")

    # Selecting another image adds a history entry; back and forward move between them.
    page.get_by_role("button", name="Show the whole map").click()
    mp.settle()
    other = mp.cell_of("Orange krater")
    page.mouse.click(*mp.cell_point(other, 0.3, 0.3))
    expect(page.locator("#panel-title")).to_have_text("Orange krater")
    page.go_back()
    expect(page.locator("#panel-title")).to_have_text("Cyan stele")
    mp.settle()
    assert mp.centre_cell() == cell
    page.go_forward()
    expect(page.locator("#panel-title")).to_have_text("Orange krater")
    mp.settle()
    assert mp.centre_cell() == other


def test_xss_title_is_shown_as_text(map_page: MapPage, artifacts: Path) -> None:
    mp = map_page.open()
    page = mp.page
    cell = mp.cell_of(XSS_TITLE)
    page.mouse.move(*mp.cell_point(cell))
    expect(page.locator("#hover-label")).to_have_text(XSS_TITLE)
    page.mouse.click(*mp.cell_point(cell))
    expect(page.locator("#panel-title")).to_have_text(XSS_TITLE)
    page.get_by_label("Search titles and fields").fill("onerror")
    expect(page.locator("#match-count")).to_have_text("1 match")
    mp.screenshot(artifacts / "xss.png")

    assert page.locator("#panel img, #hover-label img, #collection-title img").count() == 0
    assert page.evaluate("document.querySelectorAll('img[src=x]').length") == 0
    assert not [url for url in mp.requests if url.endswith("/x")], "the title's <img> was loaded"
    assert mp.dialogs == []


def test_keyboard_pans_zooms_and_selects(map_page: MapPage) -> None:
    mp = map_page.open()
    page = mp.page
    page.locator("#search-input").focus()
    # Tab order: search, (disabled match buttons skipped), filters, arrangement, selection tools,
    # zoom buttons, view buttons, then the map.
    selection = ("Pan", "Rectangle", "Lasso", "Remove", "Selected 0")
    for name in ("Filters", "Similarity", "Timeline", *selection, "Zoom in", "Zoom out", "Show the whole map", "Minimap", "Full screen", "Copy link", "Keyboard shortcuts"):
        page.keyboard.press("Tab")
        expect(page.get_by_role("button", name=name)).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement === window.tsneViewer.viewer.canvas")

    zoom = page.evaluate("window.tsneViewer.viewer.viewport.getZoom()")
    page.keyboard.down("Equal")  # '=' / '+' held: zoom in
    page.wait_for_function("z => window.tsneViewer.viewer.viewport.getZoom(true) > z * 1.5", arg=zoom)
    page.keyboard.up("Equal")
    mp.settle()
    centre = mp.view_centre_image()
    # The arrow keys pan: by a third of a cell to the left, at least.
    page.keyboard.down("ArrowLeft")
    page.wait_for_function(
        """([x, d]) => {
          const vp = window.tsneViewer.viewer.viewport;
          return x - vp.viewportToImageCoordinates(vp.getCenter(true)).x > d;
        }""",
        arg=[centre[0], mp.grid["cell_width"] / 3],
    )
    page.keyboard.up("ArrowLeft")
    mp.settle()
    # Enter opens the image nearest the centre of the view: the centre cell's own, or, where
    # that cell is one of the grid's empty ones, the one of the nearest cell centre.
    expected = mp.nearest_cell(*mp.view_centre_image())
    assert expected >= 0
    page.keyboard.press("Enter")
    expect(page.locator("#panel")).to_be_visible()
    expect(page.locator("#panel-title")).to_have_text(mp.title_in(expected))
    page.keyboard.press("Escape")
    expect(page.locator("#panel")).to_be_hidden()


def test_phone_sized_screen_with_touch(phone_page: MapPage, artifacts: Path) -> None:
    mp = phone_page.open()
    page = mp.page
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for selector in ("#search-input", "#search-next", "#results-toggle", "#zoom-in"):
        box = page.locator(selector).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, selector
        assert box["height"] >= 40, selector  # touch-sized
    cell = mp.cell_of("Yellow kylix")
    page.touchscreen.tap(*mp.cell_point(cell))
    panel = page.locator("#panel")
    expect(panel).to_be_visible()
    expect(panel.locator("#panel-title")).to_have_text("Yellow kylix")
    box = panel.bounding_box()
    assert box["y"] + box["height"] <= 844 + 1 and box["width"] <= 390 + 1
    page.screenshot(path=artifacts / "phone.png")
