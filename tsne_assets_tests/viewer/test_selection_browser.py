"""Selection in a real browser: rectangle, lasso, keyboard, "select all results", the selection
list and the `sel=` link (the exported files: ``test_selection_export_browser.py``).

Every expected set is computed here from the published metadata.json (which item is in which
cell) and the shape's corners in image pixels; the shapes are drawn with Playwright's mouse at
the screen points OpenSeadragon's viewport gives for those image pixels. The selection is read
from the selection list's rows and, independently, from the link's `sel=` value decoded here.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

from PIL import Image
from playwright.sync_api import expect

from .collection import FIELDS, BuiltCollection, colour_of
from .map_page import MapPage
from .selection_page import (
    TINT,
    TINT_ALPHA,
    cell_fraction,
    centres,
    colour_distance,
    drag,
    expect_selected,
    in_polygon,
    in_rect,
    margin,
    open_list,
    select_some,
)


def test_rectangle_selects_cell_centres_inside_shift_adds_and_remove_removes(mp: MapPage, artifacts: Path) -> None:
    page = mp.page
    page.get_by_role("button", name="Rectangle").click()
    expect(page.get_by_role("button", name="Rectangle")).to_have_attribute("aria-pressed", "true")

    a, b = cell_fraction(mp, 0.05, 0.07), cell_fraction(mp, 0.52, 0.6)
    first = in_rect(mp, a, b)
    assert 0 < len(first) < len(centres(mp)) and margin(mp, [a, (b[0], a[1]), b, (a[0], b[1])]) > 8
    drag(mp, [a, b])
    expect_selected(mp, first)
    assert mp.page.locator("#panel").is_hidden(), "drawing is not a click on an image"

    # Shift adds a second rectangle, lower right.
    c, d = cell_fraction(mp, 0.6, 0.45), cell_fraction(mp, 0.97, 0.96)
    second = in_rect(mp, c, d)
    assert second - first
    drag(mp, [c, d], "Shift")
    expect_selected(mp, first | second)

    # A rectangle without Shift replaces the selection.
    drag(mp, [c, d])
    expect_selected(mp, second)

    # With Remove on, a shape removes its images.
    drag(mp, [a, b], "Shift")
    expect_selected(mp, first | second)
    page.get_by_role("button", name="Remove", exact=True).click()
    e, f = cell_fraction(mp, 0.3, 0.0), cell_fraction(mp, 0.7, 0.55)
    removed = in_rect(mp, e, f)
    assert removed & (first | second)
    drag(mp, [e, f])
    expect_selected(mp, (first | second) - removed)
    mp.settle()
    page.screenshot(path=artifacts / "selection-rectangle.png")


def test_lasso_selects_the_cell_centres_inside_the_polygon(mp: MapPage) -> None:
    page = mp.page
    page.get_by_role("button", name="Lasso").click()
    # A concave lasso: a wide V over the grid.
    polygon = [cell_fraction(mp, *p) for p in [(0.05, 0.11), (0.36, 0.57), (0.94, 0.03), (0.96, 0.93), (0.04, 0.92)]]
    expected = in_polygon(mp, polygon)
    assert 0 < len(expected) < len(centres(mp)), expected
    assert margin(mp, polygon) > 8, "a cell centre lies on the lasso's edge: move the test's polygon"
    drag(mp, polygon + polygon[:1])
    expect_selected(mp, expected)
    # The tint covers exactly the selected cells: each pixel is nearer its cell's colour tinted
    # (TINT_RGBA in selection-geometry.js) where selected, untinted where not; on yellow or
    # orange the two differ by less than close()'s tolerance.
    shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    for item, cell_colour in ((i, colour_of(mp.items["id"][i])) for i in centres(mp)):
        x, y = mp.cell_point(mp.meta["cells"].index(item), 0.25, 0.25)
        pixel = shot.getpixel((int(x), int(y)))
        tinted = tuple(c + (t - c) * TINT_ALPHA for c, t in zip(cell_colour, TINT))
        want, other = (tinted, cell_colour) if item in expected else (cell_colour, tinted)
        assert colour_distance(pixel, want) < colour_distance(pixel, other), (mp.items["title"][item], pixel, want)


def test_the_drawn_shape_shows_while_drawing_and_is_gone_once_released(mp: MapPage) -> None:
    page = mp.page
    page.get_by_role("button", name="Rectangle").click()
    shape = page.locator(".selection-shape")
    a, b = (mp.to_page(*cell_fraction(mp, *f)) for f in ((0.1, 0.1), (0.6, 0.6)))
    page.mouse.move(*a)
    page.mouse.down()
    page.mouse.move(*b, steps=8)
    expect(shape).to_be_visible()
    page.mouse.up()
    # Left on the map it would outline images it no longer stands for once the view moves.
    expect(shape).to_be_hidden()


def pan_past(mp: MapPage, key: str, axis: str, beyond: float) -> None:
    """Holds `key` until the view's centre is past image coordinate `beyond` on `axis` ('x' or 'y')."""
    mp.page.keyboard.down(key)
    mp.page.wait_for_function(
        """([axis, beyond]) => {
          const vp = window.tsneViewer.viewer.viewport;
          return vp.viewportToImageCoordinates(vp.getCenter(true))[axis] > beyond;
        }""",
        arg=[axis, beyond],
    )
    mp.page.keyboard.up(key)


def test_keyboard_toggles_the_centre_image_and_selects_a_rectangle_between_two_corners(mp: MapPage) -> None:
    page = mp.page
    page.evaluate("window.tsneViewer.viewer.canvas.focus()")
    page.keyboard.down("Equal")
    zoom = page.evaluate("window.tsneViewer.viewer.viewport.getZoom()")
    page.wait_for_function("z => window.tsneViewer.viewer.viewport.getZoom(true) > z * 1.5", arg=zoom)
    page.keyboard.up("Equal")
    mp.settle()
    centre_item = mp.item_in(mp.nearest_cell(*mp.view_centre_image()))
    page.keyboard.press("x")
    expect_selected(mp, {centre_item})
    page.evaluate("window.tsneViewer.viewer.canvas.focus()")
    page.keyboard.press("x")
    expect_selected(mp, set())

    page.evaluate("window.tsneViewer.viewer.canvas.focus()")
    # Each corner a quarter cell past cell centres (the map's centre may be one), the second past
    # the nearest image below and to the right of the first (the grid has empty cells).
    w, h = mp.grid["cell_width"], mp.grid["cell_height"]
    start = mp.view_centre_image()
    pan_past(mp, "ArrowRight", "x", start[0] + w / 4)
    pan_past(mp, "ArrowDown", "y", start[1] + h / 4)
    mp.settle()
    corner = mp.view_centre_image()
    page.keyboard.press("Shift+X")
    below_right = [c for c in centres(mp).values() if c[0] > corner[0] and c[1] > corner[1]]
    target = min(below_right, key=lambda c: math.dist(c, corner))
    pan_past(mp, "ArrowRight", "x", target[0] + w / 4)
    pan_past(mp, "ArrowDown", "y", target[1] + h / 4)
    mp.settle()
    other = mp.view_centre_image()
    expected = in_rect(mp, corner, other)
    assert expected and margin(mp, [corner, (other[0], corner[1]), other, (corner[0], other[1])]) > 1
    page.keyboard.press("Shift+X")
    expect_selected(mp, expected)


def test_select_all_results_selects_exactly_the_matches(mp: MapPage) -> None:
    page = mp.page
    page.get_by_label("Search titles and fields").fill("amphora")
    expect(page.locator("#match-count")).to_have_text("2 matches")
    page.get_by_role("button", name="List the results").click()
    page.get_by_role("button", name="Select all results").click()
    texts = [mp.items["title"][i] + " " + " ".join(mp.items[f][i] for f in FIELDS) for i in range(len(mp.items["id"]))]
    expect_selected(mp, {i for i, t in enumerate(texts) if "amphora" in t.lower()})


def test_selection_list_visits_and_removes_items(mp: MapPage) -> None:
    page = mp.page
    page.get_by_role("button", name="Rectangle").click()
    everything = set(centres(mp))
    drag(mp, [cell_fraction(mp, 0.01, 0.01), cell_fraction(mp, 0.99, 0.99)])
    expect_selected(mp, everything)
    open_list(mp)
    expect(page.locator("#selection-summary")).to_have_text(f"{len(everything)} images selected")
    first = page.locator("#selection-list button.result").first
    expect(first).to_have_attribute("data-drawn", "true")  # its thumbnail, cut from the tiles
    item = mp.items["id"].index(first.get_attribute("data-item"))
    first.click()
    expect(page.locator("#panel-title")).to_have_text(mp.items["title"][item])
    page.get_by_role("button", name=f"Remove {mp.items['title'][item]} from the selection").click()
    expect_selected(mp, everything - {item})
    expect(page.locator("#selection-list .selection-remove").first).to_be_focused()
    page.get_by_role("button", name="Clear").click()
    expect_selected(mp, set())
    expect(page.get_by_role("button", name="CSV")).to_be_disabled()


def test_selection_link_restores_the_selection_in_a_fresh_page_and_on_back(
    mp: MapPage, browser, collection: BuiltCollection
) -> None:
    chosen = select_some(mp)
    link = mp.page.url
    assert "sel=" in link
    expect(mp.page.locator("#selection-note")).to_be_hidden()

    fresh = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = fresh.new_page()
        other = MapPage(page, mp.url, collection)
        page.goto(link)
        page.wait_for_function("() => document.documentElement.dataset.state === 'ready'")
        expect_selected(other, chosen)
        assert other.errors == []
    finally:
        fresh.close()

    # Back and forward move between selections.
    open_list(mp)
    mp.page.get_by_role("button", name="Clear").click()
    expect_selected(mp, set())
    mp.page.go_back()
    expect_selected(mp, chosen)
    mp.page.go_forward()
    expect_selected(mp, set())


def test_a_cluster_label_offers_to_select_the_images_in_its_group(mp: MapPage) -> None:
    page = mp.page
    cols = mp.grid["cols"]

    def members(place: int) -> set[int]:
        return {item for item, code in enumerate(mp.meta["cluster_codes"]) if code == place}

    def in_extent(cluster: dict) -> set[int]:
        col0, row0, col1, row1 = cluster["extent"]
        return {mp.meta["cells"][r * cols + c] for r in range(row0, row1) for c in range(col0, col1)} - {-1}

    # A cluster whose members are not just the images in its extent: the group, not the box.
    place, cluster = next((i, c) for i, c in enumerate(mp.meta["clusters"]) if members(i) != in_extent(c))
    expected = members(place)
    assert 0 < len(expected) == cluster["size"] < len(centres(mp))
    offer = page.get_by_role("button", name=f"Select “{cluster['label']}”")
    expect(offer).to_be_hidden()
    page.get_by_role("button", name=f"{cluster['label']}: show this group").click()
    offer.click()
    expect_selected(mp, expected)
