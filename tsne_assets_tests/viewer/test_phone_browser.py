"""The viewer on a phone (390 x 844, touch) in a real browser: a band of the map stays in view
with the details sheet and a drawer open together, and Tab walks the toolbar in the order it
reads.

Rows and places are read from the elements' boxes; where a cell is on the screen comes from
OpenSeadragon's viewport, never from the viewer's own geometry."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from .collection import BuiltCollection
from .map_page import PHONE, MapPage

#: The least share of the map's height left uncovered between a drawer and the details sheet.
LEAST_BAND = 0.25

FOCUSED_JS = """() => {
  const e = document.activeElement;
  const r = e.getBoundingClientRect();
  return [e.id, e.closest('.toolbar') !== null, [r.left, r.top, r.right, r.bottom]];
}"""


def open_context(browser, site_url: str, collection: BuiltCollection, options: dict) -> Iterator[MapPage]:
    context = browser.new_context(**options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    mp = MapPage(page, f"{site_url}{collection.id}/", collection)
    yield mp
    assert mp.errors == [], f"uncaught errors in the page: {mp.errors}"
    context.close()


@pytest.fixture()
def phone(browser, site_url: str, collection: BuiltCollection) -> Iterator[MapPage]:
    yield from open_context(browser, site_url, collection, PHONE)


@pytest.fixture(params=["phone", "desktop"])
def screen(request, browser, site_url: str, collection: BuiltCollection) -> Iterator[tuple[str, MapPage]]:
    options = PHONE if request.param == "phone" else {"viewport": {"width": 1280, "height": 800}}
    for mp in open_context(browser, site_url, collection, options):
        yield request.param, mp


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


def test_a_band_of_the_map_stays_in_view_with_the_details_sheet_and_a_drawer(phone: MapPage, artifacts) -> None:
    mp = phone.open()
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
    assert ids[:6] == ["about-open", "search-input", "search-prev", "search-next", "results-toggle", "filters-open"], ids
    # Each stop lies to the right of the one before on its row, or on a row further down.
    for (a, (al, at, ar, ab)), (b, (bl, bt, br, bb)) in zip(order, order[1:]):
        same_row = bt < ab - 1 and at < bb - 1
        assert (same_row and bl >= ar - 1) or bt >= ab - 1, (a, b, ids)
