"""The timeline arrangement in a real browser, on the test collection built with ``timeline="date"``.

Where each image should be comes from its date (read here with ``core.timeline.year_of``) and the
axis of the published ``timeline.json``; where a cell is on screen is asked of OpenSeadragon's
viewport transform, and what is there is read from the hover label and the screen's pixels.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tsne_assets.core.timeline import UNDATED, year_of

from .collection import ITEMS, BuiltCollection, colour_of
from .map_page import MapPage, close


@pytest.fixture(scope="module")
def timeline(collection: BuiltCollection) -> dict:
    """The published timeline.json of the test collection."""
    version = collection.root / "site" / collection.id / collection.site.path
    return json.loads((version / "timeline.json").read_text(encoding="utf-8"))


def arranged(mp: MapPage, name: str) -> None:
    """Waits until the map shows arrangement ``name`` and has settled there."""
    mp.page.wait_for_function("name => document.documentElement.dataset.arrangement === name", arg=name)
    mp.settle()


def timeline_point(mp: MapPage, timeline: dict, cell: int, fx: float = 0.5, fy: float = 0.5) -> tuple[float, float]:
    grid = timeline["grid"]
    w, h = grid["cell_width"], grid["cell_height"]
    return mp.to_page((cell % grid["cols"] + fx) * w, (cell // grid["cols"] + fy) * h)


def centre_timeline_cell(mp: MapPage, timeline: dict) -> int:
    grid = timeline["grid"]
    x, y = mp.view_centre_image()
    return int(y // grid["cell_height"]) * grid["cols"] + int(x // grid["cell_width"])


def band_of(timeline: dict, column: int) -> dict:
    [band] = [b for b in timeline["axis"] if b["col"] <= column < b["col"] + b["cols"]]
    return band


def test_switching_to_the_timeline_and_back_keeps_search_filters_and_selection(
    map_page: MapPage, timeline: dict, artifacts: Path
) -> None:
    mp = map_page
    item = mp.items["title"].index("Red amphora")
    mp.open(urlencode({"item": mp.items["id"][item], "q": "amphora", "f.culture": "Etruscan"}))
    page = mp.page
    count = page.locator("#match-count")
    expect(count).to_have_text("2 matches")
    expect(page.locator("#panel-title")).to_have_text("Red amphora")
    badge = page.locator("#filters-badge")
    expect(badge).to_have_text(re.compile(r"2 of 11"))
    shown = badge.inner_text()
    switch = page.get_by_role("group", name="Arrangement")
    expect(switch.get_by_role("button", name="Similarity")).to_have_attribute("aria-pressed", "true")

    switch.get_by_role("button", name="Timeline").click()
    arranged(mp, "timeline")
    expect(switch.get_by_role("button", name="Timeline")).to_have_attribute("aria-pressed", "true")
    expect(switch.get_by_role("button", name="Similarity")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#search-input")).to_have_value("amphora")
    expect(count).to_have_text("2 matches")
    expect(page.locator("#panel-title")).to_have_text("Red amphora")
    expect(badge).to_have_text(shown)
    link = page.evaluate("location.hash")
    assert all(part in link for part in ("view=timeline", "q=amphora", "f.culture=Etruscan", "item=red.png")), link
    # The selected image is re-centred at its timeline cell, outlined, and not dimmed.
    cell = timeline["item_cells"][item]
    assert centre_timeline_cell(mp, timeline) == cell
    shot = mp.screenshot(artifacts / "timeline-selected.png")
    x, y = (int(v) for v in timeline_point(mp, timeline, cell, 0.25, 0.25))
    assert close(shot.getpixel((x, y)), colour_of(mp.items["id"][item]))
    x0, y0 = timeline_point(mp, timeline, cell, 0, 0)
    outline = page.locator(".cell-outline.selected").bounding_box()
    assert abs(outline["x"] - x0) < 6 and abs(outline["y"] - y0) < 6
    # An image the filter leaves out is dimmed where the timeline shows it, if in view.
    box = mp.map_box()
    for other, title in enumerate(mp.items["title"]):
        if "amphora" in title.lower():
            continue
        ox, oy = (int(v) for v in timeline_point(mp, timeline, timeline["item_cells"][other], 0.25, 0.25))
        if box["x"] <= ox < box["x"] + box["width"] and box["y"] <= oy < box["y"] + box["height"]:
            colour = colour_of(mp.items["id"][other])
            assert sum(shot.getpixel((ox, oy))) < 0.45 * sum(colour), title

    switch.get_by_role("button", name="Similarity").click()
    arranged(mp, "similarity")
    expect(page.locator("#search-input")).to_have_value("amphora")
    expect(count).to_have_text("2 matches")
    expect(page.locator("#panel-title")).to_have_text("Red amphora")
    expect(badge).to_have_text(shown)
    link = page.evaluate("location.hash")
    assert "view=" not in link and "f.culture=Etruscan" in link and "q=amphora" in link, link
    assert mp.centre_cell() == mp.cell_of("Red amphora")


def test_an_items_timeline_column_matches_its_date(map_page: MapPage, timeline: dict, artifacts: Path) -> None:
    mp = map_page.open("view=timeline")
    arranged(mp, "timeline")
    page = mp.page
    # The map's world and the minimap's both hold the timeline's pyramid alone.
    widths = page.evaluate(
        """() => [window.tsneViewer.viewer.world, window.tsneViewer.viewer.navigator.world].map(
             (w) => [...Array(w.getItemCount()).keys()].map((i) => w.getItemAt(i).source.dimensions.x))"""
    )
    assert widths == [[timeline["image"]["width"]], [timeline["image"]["width"]]]
    shot = mp.screenshot(artifacts / "timeline.png")
    label = page.locator("#hover-label")
    cols = timeline["grid"]["cols"]
    for item, date in enumerate(mp.items["date"]):
        cell = timeline["item_cells"][item]
        band = band_of(timeline, cell % cols)
        year = year_of(date)
        if year is None:
            assert band["label"] == UNDATED, date
        else:
            assert band["start"] <= year <= band["end"], (date, band)
        # The viewer hit-tests that cell to this image, and the timeline's tiles draw it there.
        page.mouse.move(*timeline_point(mp, timeline, cell))
        expect(label).to_have_text(mp.items["title"][item])
        x, y = (int(v) for v in timeline_point(mp, timeline, cell, 0.25, 0.25))
        assert close(shot.getpixel((x, y)), colour_of(mp.items["id"][item])), mp.items["title"][item]


def test_the_axis_labels_the_years_and_the_undated_column(map_page: MapPage, timeline: dict) -> None:
    mp = map_page.open()
    page = mp.page
    axis = page.locator(".timeline-axis")
    expect(axis).to_be_hidden()
    page.get_by_role("button", name="Timeline").click()
    arranged(mp, "timeline")
    expect(axis).to_be_visible()
    undated = axis.locator(".timeline-label", has_text=UNDATED)
    expect(undated).to_be_visible()
    shown = axis.locator(".timeline-label:visible")
    assert shown.count() >= 3
    grid = timeline["grid"]
    for i in range(shown.count()):
        label = shown.nth(i)
        col, width = int(label.get_attribute("data-col")), int(label.get_attribute("data-cols"))
        text = label.inner_text()
        assert text.startswith(band_of(timeline, col)["label"])
        left, _ = mp.to_page(col * grid["cell_width"], 0)
        right, _ = mp.to_page((col + width) * grid["cell_width"], 0)
        box = label.bounding_box()
        assert box["x"] < right and left < box["x"] + box["width"], text  # over its columns
    expect(page.locator(".cluster-labels")).to_be_hidden()

    page.get_by_role("button", name="Similarity").click()
    arranged(mp, "similarity")
    expect(axis).to_be_hidden()


def test_a_view_timeline_link_opens_the_timeline_and_history_switches_back(map_page: MapPage, timeline: dict) -> None:
    mp = map_page
    cell = mp.cell_of("Cyan stele")
    item = mp.item_in(cell)
    mp.open(urlencode({"item": mp.items["id"][item], "view": "timeline"}))
    arranged(mp, "timeline")
    page = mp.page
    expect(page.get_by_role("button", name="Timeline")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#panel-title")).to_have_text("Cyan stele")
    assert centre_timeline_cell(mp, timeline) == timeline["item_cells"][item]

    page.get_by_role("button", name="Similarity").click()
    arranged(mp, "similarity")
    page.go_back()
    arranged(mp, "timeline")
    expect(page.locator("#panel-title")).to_have_text("Cyan stele")
    page.go_forward()
    arranged(mp, "similarity")
    assert mp.centre_cell() == cell


# -- the axis's labels as controls (timeline-axis.js, timeline-bands.js) ------------------------
def band_named(timeline: dict, label: str) -> dict:
    [band] = [b for b in timeline["axis"] if b["label"] == label]
    return band


def label_name(band: dict) -> str:
    """A band's label button's accessible name: its years and its image count."""
    return f"{band['label']}, {band['count']} {'image' if band['count'] == 1 else 'images'}"


def dated_in(band: dict) -> list[str]:
    """The ids of the images whose date in the source CSV falls in ``band`` (none: undated)."""
    years = {name: year_of(date) for name, _title, date, *_rest in ITEMS}
    if band["start"] is None:
        return sorted(name for name, year in years.items() if year is None)
    return sorted(name for name, year in years.items() if year is not None and band["start"] <= year <= band["end"])


def expect_framed(mp: MapPage, timeline: dict, band: dict) -> None:
    """The band's columns, down to its lowest image, lie in the map's element and fill a good
    part of it (at the whole map's view a band is a sliver a few pixels wide)."""
    mp.settle()
    grid = timeline["grid"]
    cols = grid["cols"]
    rows = 1 + max(cell // cols for cell in timeline["item_cells"] if band["col"] <= cell % cols < band["col"] + band["cols"])
    left, top = mp.to_page(band["col"] * grid["cell_width"], 0)
    right, bottom = mp.to_page((band["col"] + band["cols"]) * grid["cell_width"], rows * grid["cell_height"])
    box = mp.map_box()
    assert box["x"] <= left < right <= box["x"] + box["width"], (band["label"], left, right, box)
    assert box["y"] <= top < bottom <= box["y"] + box["height"], (band["label"], top, bottom, box)
    assert max((right - left) / box["width"], (bottom - top) / box["height"]) > 0.25, (band["label"], box)


def expect_band_selected(mp: MapPage, band: dict) -> None:
    """The selection list (opened here) lists exactly the band's images."""
    page = mp.page
    expected = dated_in(band)
    expect(page.locator("#selection-count")).to_have_text(str(len(expected)))
    page.locator("#selection-toggle").click()
    rows = page.locator("#selection-list button.result")
    expect(rows).to_have_count(len(expected))
    assert sorted(rows.evaluate_all("bs => bs.map(b => b.dataset.item)")) == expected


def test_a_timeline_label_frames_its_band_and_offers_to_select_its_images(map_page: MapPage, timeline: dict) -> None:
    mp = map_page.open("view=timeline")
    arranged(mp, "timeline")
    page = mp.page
    axis = page.get_by_role("group", name="Timeline: columns by date, oldest on the left")
    first, wanted = timeline["axis"][0], band_named(timeline, "450–401 BCE")
    assert first["count"] == 1 and wanted["count"] == 3 and wanted["col"] > first["col"] + 1
    # At the whole map's view only some labels show: the oldest band's does.
    axis.get_by_role("button", name=label_name(first)).click()
    expect_framed(mp, timeline, first)
    expect(page.locator("#view-announce")).to_have_text(f"Showing {label_name(first)}")
    # Framed there, the neighbouring bands' labels show too.
    axis.get_by_role("button", name=label_name(wanted)).click()
    expect_framed(mp, timeline, wanted)
    expect(page.locator("#view-announce")).to_have_text(f"Showing {label_name(wanted)}")
    expect(page.locator("#selection-count")).to_have_text("0")
    page.get_by_role("button", name=f"Select “{wanted['label']}”").click()
    expect_band_selected(mp, wanted)


def test_a_timeline_label_works_from_the_keyboard(map_page: MapPage, timeline: dict) -> None:
    mp = map_page.open("view=timeline")
    arranged(mp, "timeline")
    page = mp.page
    first, wanted = timeline["axis"][0], band_named(timeline, "500–451 BCE")

    def tab_to(band: dict) -> None:
        label = page.get_by_role("button", name=label_name(band), exact=True)
        for _ in range(40):  # past the map, the labels in view left to right
            page.keyboard.press("Tab")
            if label.evaluate("b => b === document.activeElement"):
                return
        raise AssertionError(f"Tab never reached {label_name(band)}")

    page.locator(".skip-link").focus()
    page.keyboard.press("Enter")  # to the map
    tab_to(first)
    page.keyboard.press("Enter")
    expect_framed(mp, timeline, first)
    tab_to(wanted)
    page.keyboard.press("Enter")
    expect_framed(mp, timeline, wanted)
    offer = page.get_by_role("button", name=f"Select “{wanted['label']}”")
    offer.focus()
    page.keyboard.press("Enter")
    expect_band_selected(mp, wanted)
