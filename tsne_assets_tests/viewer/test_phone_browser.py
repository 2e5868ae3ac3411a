"""The viewer on a phone (390 x 844, touch) in a real browser: a band of the map stays in view
with the details sheet and a drawer open together, the toolbar keeps two rows (the other tools
behind "More tools"), and Tab walks the toolbar in the order it reads.

Rows and places are read from the elements' boxes; where a cell is on the screen comes from
OpenSeadragon's viewport, never from the viewer's own geometry."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from .collection import BuiltCollection
from .map_page import DESKTOP, PHONE, MapPage, new_map_page

Box = tuple[float, float, float, float]  # left, top, right, bottom

#: The least share of the map's height left uncovered between a drawer and the details sheet.
LEAST_BAND = 0.25

#: The box of every shown element under `selector` (its direct children), in page pixels.
BOXES_JS = """(selector) => [...document.querySelector(selector).children]
  .map((e) => e.getBoundingClientRect())
  .filter((r) => r.width > 1 && r.height > 1)
  .map((r) => [r.left, r.top, r.right, r.bottom])"""

FOCUSED_JS = """() => {
  const e = document.activeElement;
  const r = e.getBoundingClientRect();
  return [e.id, e.closest('.toolbar') !== null, [r.left, r.top, r.right, r.bottom]];
}"""


@pytest.fixture(params=["phone", "desktop"])
def screen(request, browser, site_url: str, collection: BuiltCollection) -> Iterator[tuple[str, MapPage]]:
    """The viewer's page on a phone and on a desktop screen, not yet opened."""
    options = PHONE if request.param == "phone" else DESKTOP
    for mp in new_map_page(browser, site_url, collection, **options):
        yield request.param, mp


def rows(boxes: list[Box]) -> list[tuple[float, float]]:
    """The rows the boxes lie in: their vertical extents merged where they overlap."""
    merged: list[list[float]] = []
    for _, top, _, bottom in sorted(boxes, key=lambda b: b[1]):
        if merged and top < merged[-1][1] - 1:
            merged[-1][1] = max(merged[-1][1], bottom)
        else:
            merged.append([top, bottom])
    return [(a, b) for a, b in merged]


def band(mp: MapPage) -> tuple[float, float]:
    """The top and bottom of the map's part (page pixels) that no drawer and no details sheet covers."""
    box = mp.map_box()
    top, bottom = box["y"], box["y"] + box["height"]
    for selector in ("#results", "#filters", "#selection", "#panel"):
        over = mp.page.locator(selector).bounding_box()
        if not over or over["height"] < 1:
            continue
        if over["y"] <= top + 1:  # a drawer over the top of the map
            top = max(top, over["y"] + over["height"])
        else:  # the sheet over its bottom
            bottom = min(bottom, over["y"])
    return top, bottom


def selected_cell(mp: MapPage) -> int:
    item = mp.items["id"].index(mp.page.locator("#panel").get_attribute("data-item"))
    return mp.meta["cells"].index(item)


def test_a_band_of_the_map_stays_in_view_with_the_details_sheet_and_a_drawer(phone_page: MapPage, artifacts) -> None:
    mp = phone_page.open()
    page = mp.page
    page.get_by_label("Search titles and fields").fill("a")  # every title but one: a long list
    page.get_by_role("button", name="List the results").click()
    page.locator("#results-list button").nth(3).click()  # the list gives way to the sheet
    expect(page.locator("#panel")).to_be_visible()
    height = mp.map_box()["height"]
    for drawer, opener in (("#results", "List the results"), ("#filters", "Filters")):
        page.get_by_role("button", name=opener).click()
        expect(page.locator(drawer)).to_be_visible()
        expect(page.locator("#panel")).to_be_visible()
        mp.settle()
        top, bottom = band(mp)
        assert bottom - top >= LEAST_BAND * height, (drawer, top, bottom, height)
        # The selected image is moved into that band, whole.
        x0, y0, x1, y1 = mp.cell_screen_rect(selected_cell(mp))
        assert top - 1 <= y0 and y1 <= bottom + 1, (drawer, (y0, y1), (top, bottom))
        assert 0 <= x0 and x1 <= 390 + 1
        page.screenshot(path=artifacts / f"phone-band-{drawer[1:]}.png")
    # Drawers closed, the sheet has its own height again: the band is larger than with a drawer.
    page.get_by_role("button", name="Close filters").click()
    page.get_by_role("button", name="List the results").click()
    expect(page.locator("#results")).to_be_hidden()
    top, bottom = band(mp)
    assert bottom - top > 0.5 * height


def test_the_toolbar_keeps_two_rows_and_more_tools_opens_the_rest(phone_page: MapPage, artifacts) -> None:
    mp = phone_page.open()
    page = mp.page
    # The widest state: a search stepped onto a match (the count shown) and a filter on.
    page.get_by_label("Search titles and fields").fill("amphora")
    page.get_by_role("button", name="Next match").click()
    expect(page.locator("#match-count")).to_have_text("1 of 2 matches")
    page.get_by_role("button", name="Filters").click()
    page.locator('#filters input[value="Etruscan"]').check()
    page.get_by_role("button", name="Close filters").click()
    boxes = page.evaluate(BOXES_JS, ".toolbar")
    assert len(rows(boxes)) <= 2, rows(boxes)
    for name in ("About", "Filters", "More tools", "Previous match", "Next match", "List the results"):
        box = page.get_by_role("button", name=name, exact=True).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["height"] >= 40, name
    page.screenshot(path=artifacts / "phone-toolbar.png")

    # The other groups are behind More tools, each button named; Escape puts them away again.
    more = page.get_by_role("button", name="More tools")
    expect(more).to_have_attribute("aria-expanded", "false")
    named = ("Similarity", "Timeline", "Pan", "Rectangle", "Lasso", "Remove", "Zoom in", "Zoom out", "Show the whole map", "Copy link", "Keyboard shortcuts")
    for name in named:
        expect(page.get_by_role("button", name=name, exact=True)).to_be_hidden()
    more.focus()
    page.keyboard.press("Enter")
    expect(more).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("button", name="Similarity")).to_be_focused()  # the first of them
    for name in named:
        box = page.get_by_role("button", name=name, exact=True).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["height"] >= 40, name
    page.screenshot(path=artifacts / "phone-more-tools.png")
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(more).to_have_attribute("aria-expanded", "false")
    expect(more).to_be_focused()
    expect(page.get_by_role("button", name="Zoom in")).to_be_hidden()
    expect(page.locator("#panel")).to_be_visible()  # Escape closed the tools only, not the details

    # A tool chosen, then a tap on the map: the panel gives the map back.
    more.click()
    page.get_by_role("button", name="Zoom in").click()
    expect(more).to_have_attribute("aria-expanded", "true")  # a tool keeps the panel open
    box = mp.map_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] - 20)
    expect(more).to_have_attribute("aria-expanded", "false")


def test_tab_walks_the_toolbar_in_reading_order(screen: tuple[str, MapPage]) -> None:
    name, mp = screen
    page = mp.open().page
    page.get_by_label("Search titles and fields").fill("amphora")  # the search's buttons enabled
    expect(page.locator("#match-count")).to_have_text("2 matches")
    page.locator(".skip-link").focus()  # the page's first stop, just before the toolbar
    order = []
    for _ in range(40):
        page.keyboard.press("Tab")
        ident, in_toolbar, box = page.evaluate(FOCUSED_JS)
        if order and not in_toolbar:
            break
        if in_toolbar:
            order.append((ident, box))
    ids = [ident for ident, _ in order]
    start = ["about-open", "filters-open", "more-toggle"] if name == "phone" else ["about-open", "filters-open"]
    assert ids[: len(start) + 4] == [*start, "search-input", "search-prev", "search-next", "results-toggle"], ids
    # Each stop lies to the right of the one before on its row, or on a row further down.
    for (a, (al, at, ar, ab)), (b, (bl, bt, br, bb)) in zip(order, order[1:]):
        same_row = bt < ab - 1 and at < bb - 1
        assert (same_row and bl >= ar - 1) or bt >= ab - 1, (a, b, ids)
