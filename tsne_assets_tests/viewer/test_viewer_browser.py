"""The viewer in a real browser, against a published collection served by `tsne-assets serve`:
the map's tiles, hovering, clicking for the panel, and titles shown as text (search and deep
links: ``test_viewer_search_browser.py``; keyboard and touch: ``test_viewer_input_browser.py``).

Expectations come from the published metadata.json (which image is in which cell), the image
colours from the test collection; where the test must know where a cell is on screen it asks
OpenSeadragon's viewport transform, never the viewer's own hit-testing code.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from .collection import ACCENT_TITLE, XSS_TITLE
from .map_page import TILE_RE, MapPage, close


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
