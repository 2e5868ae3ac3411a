"""The viewer in a real browser without a mouse: the keyboard pans, zooms and opens the image
at the centre of the view, and on a phone-sized touch screen a tap opens the panel within the
screen. Expectations come from the published metadata.json; cells are placed on screen through
OpenSeadragon's viewport.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from .map_page import MapPage


def test_keyboard_pans_zooms_and_selects(map_page: MapPage) -> None:
    mp = map_page.open()
    page = mp.page
    page.locator("#search-input").focus()
    # Tab order: search, (disabled match buttons skipped), arrangement, selection tools, zoom
    # buttons, view buttons, then the map (Filters comes before the search: test_phone_browser.py).
    selection = ("Pan", "Rectangle", "Lasso", "Remove", "Selected 0")
    for name in ("Similarity", "Timeline", *selection, "Zoom in", "Zoom out", "Show the whole map", "Minimap", "Full screen", "Copy link", "Keyboard shortcuts"):
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
    for selector in ("#search-input", "#search-next", "#results-toggle", "#more-toggle"):
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
