"""The viewer's search in a real browser (the map dimmed but for the matches, the count, stepping
through the matches) and its deep links with the browser's history; more of the search in
``test_search_browser.py``. Expectations come from the published metadata.json and the test
collection's colours; cells are placed on screen through OpenSeadragon's viewport.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import expect

from .map_page import TILE_RE, MapPage, close


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
