"""Search that keeps the overview, in a real browser on the collection the pipeline built: typing
and `#q=` links frame all matches, the results list and the details panel step through them, a
stale link's notice goes with the next link, and the selected image stays in the part of the map
the details panel leaves uncovered (a side panel on desktops, a bottom sheet on phones).

Which items match is worked out here from the published metadata.json; where cells are on the
screen comes from OpenSeadragon's viewport, never from the viewer's own geometry."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from playwright.sync_api import expect

from .collection import colour_of
from .map_page import MapPage, close

ZOOM_JS = """() => {
  const vp = window.tsneViewer.viewer.viewport;
  return [vp.getZoom(), vp.getHomeZoom(), vp.getMaxZoom()];
}"""


def matching_cells(mp: MapPage, word: str) -> list[int]:
    """The cells of the items whose title, date or culture holds `word` (ASCII), in cell order."""
    items = mp.items
    hits = {
        i
        for i in range(len(items["id"]))
        if word.lower() in " ".join(str(items[k][i] or "") for k in ("title", "date", "culture")).lower()
    }
    return [cell for cell, item in enumerate(mp.meta["cells"]) if item in hits]


def inside(rect: tuple[float, float, float, float], box: dict, slack: float = 1.0) -> bool:
    x0, y0, x1, y1 = rect
    return (
        box["x"] - slack <= x0
        and box["y"] - slack <= y0
        and x1 <= box["x"] + box["width"] + slack
        and y1 <= box["y"] + box["height"] + slack
    )


def uncovered_map_area(mp: MapPage) -> dict:
    """The map's box less the details panel where the panel lies over it (the phones' bottom sheet)."""
    box = mp.map_box()
    panel = mp.page.locator("#panel").bounding_box()
    over = panel and panel["x"] < box["x"] + box["width"] and panel["x"] + panel["width"] > box["x"]
    if over and panel["y"] < box["y"] + box["height"]:
        return {**box, "height": panel["y"] - box["y"]}
    return box


def test_typing_frames_all_matches_instead_of_jumping_to_the_first(map_page: MapPage) -> None:
    mp = map_page.open()
    page = mp.page
    search = page.get_by_label("Search titles and fields")

    # Several matches, however far apart: all of them in view, no image opened.
    search.fill("bce")
    cells = matching_cells(mp, "bce")
    expect(page.locator("#match-count")).to_have_text(f"{len(cells)} matches")
    mp.settle()
    expect(page.locator("#panel")).to_be_hidden()
    for cell in cells:
        assert inside(mp.cell_screen_rect(cell), mp.map_box()), mp.title_in(cell)

    # One match: framed among its neighbours, closer than the whole map and far from full zoom.
    search.fill("kylix")
    expect(page.locator("#match-count")).to_have_text("1 match")
    mp.settle()
    cell = mp.cell_of("Yellow kylix")
    assert inside(mp.cell_screen_rect(cell), mp.map_box())
    zoom, home, most = page.evaluate(ZOOM_JS)
    assert home * 1.2 < zoom < most / 2, (home, zoom, most)
    expect(page.locator("#panel")).to_be_hidden()

    # Enter still steps onto the match, zoomed onto it.
    search.press("Enter")
    expect(page.locator("#panel-title")).to_have_text("Yellow kylix")
    mp.settle()
    assert mp.centre_cell() == cell
    assert page.evaluate(ZOOM_JS)[0] > zoom * 1.5


def test_a_search_link_opens_framed_on_its_matches(map_page: MapPage) -> None:
    mp = map_page.open("q=stele")
    page = mp.page
    expect(page.locator("#search-input")).to_have_value("stele")
    expect(page.locator("#match-count")).to_have_text("1 match")
    mp.settle()
    assert inside(mp.cell_screen_rect(mp.cell_of("Cyan stele")), mp.map_box())
    zoom, home, most = page.evaluate(ZOOM_JS)
    assert home * 1.2 < zoom < most / 2, (home, zoom, most)
    expect(page.locator("#panel")).to_be_hidden()


def test_results_list_shows_thumbnails_and_titles_and_steps_through_them(map_page: MapPage, artifacts: Path) -> None:
    mp = map_page.open()
    page = mp.page
    toggle = page.get_by_role("button", name="List the results")
    expect(toggle).to_be_disabled()  # no search, no list
    page.get_by_label("Search titles and fields").fill("bce")
    cells = matching_cells(mp, "bce")
    expect(page.locator("#match-count")).to_have_text(f"{len(cells)} matches")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    results = page.get_by_role("region", name="Results")
    rows = results.get_by_role("button").filter(has_not_text="Select all results")
    expect(rows).to_have_count(len(cells))  # fewer than a page: no "more" button
    expect(rows).to_have_text([mp.title_in(c) for c in cells])
    mp.settle()  # the list narrowed the map: the matches are framed again in what is left
    for cell in cells:
        assert inside(mp.cell_screen_rect(cell), mp.map_box()), mp.title_in(cell)

    # Each thumbnail is its image's cell, cut from the tiles.
    for i in (0, len(cells) - 1):
        expect(rows.nth(i)).to_have_attribute("data-drawn", "true")
        thumb = Image.open(io.BytesIO(rows.nth(i).locator("canvas").screenshot())).convert("RGB")
        expected = colour_of(mp.items["id"][mp.item_in(cells[i])])
        assert close(thumb.getpixel((thumb.width // 6, thumb.height // 6)), expected), (i, thumb.getpixel((2, 2)))
    mp.screenshot(artifacts / "results-list.png")

    # Choosing a row opens its image and moves the map onto it; the row is marked current.
    rows.nth(2).click()
    expect(page.locator("#panel-title")).to_have_text(mp.title_in(cells[2]))
    expect(page.locator("#match-count")).to_have_text(f"3 of {len(cells)} matches")
    expect(rows.nth(2)).to_have_attribute("aria-current", "true")
    mp.settle()
    assert mp.centre_cell() == cells[2]

    # From the keyboard: the next row is a Tab away, Enter chooses it.
    page.keyboard.press("Tab")
    expect(rows.nth(3)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#panel-title")).to_have_text(mp.title_in(cells[3]))
    expect(rows.nth(3)).to_have_attribute("aria-current", "true")
    expect(rows.nth(2)).not_to_have_attribute("aria-current", "true")
    mp.settle()
    assert mp.centre_cell() == cells[3]

    # A new search starts the list over; clearing the search closes it.
    page.get_by_label("Search titles and fields").fill("amphora")
    expect(rows).to_have_count(2)
    page.get_by_label("Search titles and fields").fill("")
    expect(results).to_be_hidden()
    expect(toggle).to_be_disabled()


def test_the_panel_steps_through_the_results(map_page: MapPage) -> None:
    mp = map_page.open()
    page = mp.page
    steps = page.get_by_role("group", name="Results")
    page.mouse.click(*mp.cell_point(mp.cell_of("Red amphora")))
    expect(page.locator("#panel-title")).to_have_text("Red amphora")
    expect(steps).to_be_hidden()  # no search: nothing to step through

    page.get_by_label("Search titles and fields").fill("bce")
    cells = matching_cells(mp, "bce")
    n = len(cells)
    first = cells.index(mp.cell_of("Red amphora"))
    expect(steps).to_contain_text(f"{first + 1} of {n} results")
    nxt, prev = page.get_by_role("button", name="Next result"), page.get_by_role("button", name="Previous result")
    for button, expected in ((nxt, first + 1), (nxt, first + 2), (prev, first + 1), (prev, first), (prev, first - 1)):
        button.click()
        pos = expected % n
        expect(steps).to_contain_text(f"{pos + 1} of {n} results")
        expect(page.locator("#panel-title")).to_have_text(mp.title_in(cells[pos]))
    mp.settle()
    assert mp.centre_cell() == cells[(first - 1) % n]

    # An image outside the results: the steps say how many there are and start from the first.
    outside = next(c for c, item in enumerate(mp.meta["cells"]) if item >= 0 and c not in cells)
    page.get_by_role("button", name="Show the whole map").click()
    mp.settle()
    page.mouse.click(*mp.cell_point(outside))
    expect(page.locator("#panel-title")).to_have_text(mp.title_in(outside))
    expect(steps).to_contain_text(f"{n} results")
    nxt.click()
    expect(page.locator("#panel-title")).to_have_text(mp.title_in(cells[0]))


def test_the_details_open_at_the_title_however_far_the_last_ones_were_scrolled(map_page: MapPage) -> None:
    mp = map_page.open()
    page = mp.page
    page.set_viewport_size({"width": 1280, "height": 300})  # a short screen: the details scroll, even before the image comes
    page.get_by_label("Search titles and fields").fill("bce")
    mp.settle()
    first = matching_cells(mp, "bce")[0]
    page.mouse.click(*mp.cell_point(first))
    expect(page.locator("#panel-title")).to_have_text(mp.title_in(first))
    panel = page.locator("#panel")
    expect(page.locator("#similar-list button").first).to_be_attached()
    assert panel.evaluate("p => (p.scrollTop = p.scrollHeight, p.scrollTop)") > 0
    page.keyboard.press("Escape")  # closed, then opened again on the next match
    expect(panel).to_be_hidden()
    page.get_by_role("button", name="Next match").click()  # the toolbar's: no scrolling to reach it
    expect(panel).to_be_visible()
    assert panel.evaluate("p => p.scrollTop") == 0
    expect(page.locator("#panel-title")).to_be_in_viewport()


def test_a_stale_notice_goes_when_the_link_changes(map_page: MapPage) -> None:
    mp = map_page.open("item=no-such-image")
    page = mp.page
    status = page.locator("#map-status")
    expect(status).to_have_text("That image is not in this collection.")
    page.evaluate("() => { location.hash = 'q=amphora'; }")
    expect(page.locator("#match-count")).to_have_text("2 matches")
    expect(status).not_to_have_text("That image is not in this collection.")
    expect(status).to_have_text(f"{sum(1 for c in mp.meta['cells'] if c >= 0)} images")


def rightmost_cell(mp: MapPage) -> int:
    """An occupied cell in the rightmost occupied column, as near the middle row as there is."""
    cols, rows = mp.grid["cols"], mp.grid["rows"]
    occupied = (c for c, item in enumerate(mp.meta["cells"]) if item >= 0)
    return max(occupied, key=lambda c: (c % cols, -abs(c // cols - rows // 2)))


def bottom_cell(mp: MapPage) -> int:
    """An occupied cell in the bottom occupied row, as near the middle column as there is."""
    cols = mp.grid["cols"]
    occupied = (c for c, item in enumerate(mp.meta["cells"]) if item >= 0)
    return max(occupied, key=lambda c: (c // cols, -abs(c % cols - cols // 2)))


def test_the_selected_image_stays_beside_the_panel_on_a_desktop(map_page: MapPage) -> None:
    mp = map_page.open()
    page = mp.page
    cell = rightmost_cell(mp)  # where the opening side panel would push it out of the map
    x0, y0, x1, y1 = mp.cell_screen_rect(cell)
    width = mp.map_box()["width"]
    page.mouse.click(*mp.cell_point(cell, 0.8, 0.5))
    expect(page.locator("#panel-title")).to_have_text(mp.title_in(cell))
    mp.settle()
    # The narrower map keeps its centre: left there, the cell would stick out past the panel.
    box = mp.map_box()
    assert x1 - (width - box["width"]) / 2 > box["x"] + box["width"] + 1
    after = mp.cell_screen_rect(cell)
    assert inside(after, uncovered_map_area(mp)), (after, uncovered_map_area(mp))
    assert abs((after[2] - after[0]) - (x1 - x0)) < 1  # panned, not zoomed


def test_the_selected_image_stays_above_the_bottom_sheet_on_a_phone(phone_page: MapPage, artifacts: Path) -> None:
    mp = phone_page.open()
    page = mp.page
    cell = bottom_cell(mp)  # on the whole map, where the bottom sheet comes up
    before = mp.cell_screen_rect(cell)
    assert inside(before, mp.map_box())
    page.touchscreen.tap(*mp.cell_point(cell, 0.5, 0.2))
    expect(page.locator("#panel-title")).to_have_text(mp.title_in(cell))
    mp.settle()
    area = uncovered_map_area(mp)
    assert before[3] > area["y"] + area["height"] + 1  # left where it was, the sheet would cover it
    after = mp.cell_screen_rect(cell)
    assert inside(after, area), (after, area)
    assert abs((after[2] - after[0]) - (before[2] - before[0])) < 1  # panned, not zoomed
    page.screenshot(path=artifacts / "phone-panel.png")

    # Steps through the results keep each one above the sheet too.
    page.get_by_label("Search titles and fields").fill("bce")
    page.get_by_role("button", name="Next result").click()
    mp.settle()
    shown = page.locator("#panel").get_attribute("data-item")
    item = mp.items["id"].index(shown)
    assert inside(mp.cell_screen_rect(mp.meta["cells"].index(item)), uncovered_map_area(mp))

    # The results list lies over the map on a phone: choosing a row gives the map back.
    page.get_by_role("button", name="List the results").click()
    results = page.get_by_role("region", name="Results")
    box = results.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    last = matching_cells(mp, "bce")[-1]
    results.get_by_role("button").last.click()
    expect(results).to_be_hidden()
    expect(page.locator("#panel-title")).to_have_text(mp.title_in(last))
    expect(page.locator("#panel-title")).to_be_focused()
    mp.settle()
    assert inside(mp.cell_screen_rect(last), uncovered_map_area(mp))
