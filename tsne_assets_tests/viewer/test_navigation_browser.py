"""The navigation aids in a real browser: the minimap (OpenSeadragon's navigator), full screen,
copying the link of the view and the `?` keyboard help listing viewer/src/keys.js.

Where a test must know where something is on screen it asks OpenSeadragon (the main viewer's and
the navigator's viewport transforms), never the viewer's own code.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from .collection import BuiltCollection
from .conftest import VIEWER
from .test_detail_browser import open_map, served, settle, zoom_to_original_pixels  # noqa: F401 (fixture)
from .map_page import DESKTOP, MapPage, new_map_page

CANVAS = "#map .openseadragon-canvas"

#: Image pixel (of the main map) -> page coordinates, through the navigator's own viewport.
MINIMAP_POINT_JS = """([x, y]) => {
  const {viewer, OpenSeadragon} = window.tsneViewer;
  const nav = viewer.navigator;
  const p = nav.world.getItemAt(0).imageToViewerElementCoordinates(new OpenSeadragon.Point(x, y));
  const r = nav.container.getBoundingClientRect();
  return [r.left + p.x, r.top + p.y];
}"""

MINIMAP_DRAWN_JS = """() => {
  const nav = window.tsneViewer.viewer.navigator;
  const item = nav.world.getItemAt(0);
  return !!item && item.getFullyLoaded() && !nav.world.needsDraw() && nav.container.clientWidth > 0;
}"""


@pytest.fixture(scope="module")
def shortcuts() -> list[dict]:
    """viewer/src/keys.js's KEYS, read by Node (the list the help dialog must show)."""
    node = shutil.which("node")
    assert node, "node is needed to read viewer/src/keys.js"
    script = "import('./src/keys.js').then((m) => console.log(JSON.stringify(m.KEYS)))"
    out = subprocess.run([node, "--input-type=module", "-e", script], cwd=VIEWER, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


@pytest.fixture()
def clipboard_page(browser, site_url: str, collection: BuiltCollection) -> Iterator[MapPage]:
    """A desktop page allowed to read and write the clipboard."""
    yield from new_map_page(browser, site_url, collection, **DESKTOP, permissions=["clipboard-read", "clipboard-write"])


def show_minimap(page: Page) -> None:
    toggle = page.get_by_role("button", name="Minimap")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#minimap")).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("img", name="Minimap", exact=False)).to_be_visible()
    page.wait_for_function(MINIMAP_DRAWN_JS)


def minimap_point(page: Page, x: float, y: float) -> tuple[float, float]:
    return tuple(page.evaluate(MINIMAP_POINT_JS, [x, y]))


def zoom_in(mp: MapPage, times: int = 2) -> None:
    for _ in range(times):
        mp.page.get_by_role("button", name="Zoom in").click()
    mp.settle()


def test_clicking_and_dragging_on_the_minimap_move_the_main_view(map_page: MapPage) -> None:
    mp = map_page.open()
    page = mp.page
    show_minimap(page)
    # It lies on the map (which keeps the page's width), clear of the status line and the credit.
    box, status, credit, whole = (page.locator(s).bounding_box() for s in ("#minimap", "#map-status", "#map-credit", "#map"))
    assert whole["width"] == 1280 and whole["x"] <= box["x"] and box["x"] + box["width"] <= whole["x"] + whole["width"]
    for other in (status, credit):
        assert box["y"] + box["height"] < other["y"] or box["x"] + box["width"] < other["x"], (box, other)
    zoom_in(mp)
    w, h = mp.meta["image"]["width"], mp.meta["image"]["height"]

    # A click centres the main view on the point clicked.
    target = (0.3 * w, 0.35 * h)
    page.mouse.click(*minimap_point(page, *target))
    mp.settle()
    centre = mp.view_centre_image()
    assert abs(centre[0] - target[0]) < 0.03 * w and abs(centre[1] - target[1]) < 0.03 * h, (centre, target)

    # A drag moves it by as much as the drag covers on the minimap.
    start, end = (0.3 * w, 0.35 * h), (0.6 * w, 0.55 * h)
    page.mouse.move(*minimap_point(page, *start))
    page.mouse.down()
    page.mouse.move(*minimap_point(page, *end), steps=8)
    page.mouse.up()
    mp.settle()
    moved = mp.view_centre_image()
    assert abs(moved[0] - end[0]) < 0.03 * w and abs(moved[1] - end[1]) < 0.03 * h, (moved, end)

    # Hidden again by its button.
    page.get_by_role("button", name="Minimap").click()
    expect(page.locator("#minimap")).to_be_hidden()


def test_the_minimap_shows_the_map_only_not_the_images_own_pyramids(browser, served: str) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    open_map(page, f"{served}detail-contain/")
    page.get_by_role("button", name="Minimap").click()
    page.wait_for_function(MINIMAP_DRAWN_JS)
    zoom_to_original_pixels(page)
    settle(page, 1)  # the fine image's own pyramid is open over its cell in the main view
    layers = page.evaluate(
        """() => {
          const {viewer} = window.tsneViewer;
          const nav = viewer.navigator.world;
          return [viewer.world.getItemCount(), nav.getItemCount(),
                  nav.getItemAt(0).source === viewer.world.getItemAt(0).source];
        }"""
    )
    assert layers == [2, 1, True]
    context.close()


def test_full_screen_button_and_f_key_put_the_whole_page_in_full_screen(map_page: MapPage) -> None:
    mp = map_page.open()
    page = mp.page
    button = page.get_by_role("button", name="Full screen")
    expect(button).to_have_attribute("aria-pressed", "false")
    is_full = "() => document.fullscreenElement === document.documentElement"

    button.click()
    page.wait_for_function(is_full)
    expect(button).to_have_attribute("aria-pressed", "true")
    # The whole page, not only the map: a click on an image still opens the panel beside it.
    mp.settle()
    page.mouse.click(*mp.cell_point(mp.cell_of("Red amphora")))
    expect(page.locator("#panel-title")).to_have_text("Red amphora")
    expect(page.get_by_role("link", name="View the record")).to_be_visible()

    page.locator(CANVAS).focus()
    page.keyboard.press("f")  # the map's own F (flip) is off: ours leaves full screen
    page.wait_for_function("() => document.fullscreenElement === null")
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#view-announce")).to_have_text("Full screen off")
    assert page.evaluate("() => window.tsneViewer.viewer.viewport.getFlip()") is False
    page.keyboard.press("F")
    page.wait_for_function(is_full)
    expect(page.locator("#view-announce")).to_have_text("Full screen on")
    button.click()
    page.wait_for_function("() => document.fullscreenElement === null")


def test_copy_link_copies_the_deep_link_and_announces_it(clipboard_page: MapPage) -> None:
    mp = clipboard_page.open("item=red.png&q=amphora")
    page = mp.page
    expect(page.locator("#panel-title")).to_have_text("Red amphora")
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("#view-announce")).to_have_text("Link copied")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == page.url and "item=red.png" in copied and "q=amphora" in copied
    expect(page.locator("#copy-link-fallback")).to_be_hidden()


def test_copy_link_selects_the_link_in_a_box_where_the_clipboard_is_refused(map_page: MapPage) -> None:
    page = map_page.page
    page.add_init_script(
        "navigator.clipboard.writeText = () => Promise.reject(new DOMException('refused', 'NotAllowedError'));"
    )
    mp = map_page.open("item=red.png")
    page.get_by_role("button", name="Copy link").click()
    box = page.get_by_role("textbox", name="Link to this view")
    expect(box).to_be_visible()
    expect(box).to_be_focused()
    expect(box).to_have_value(page.url)
    selected = page.evaluate("() => { const b = document.activeElement; return [b.selectionStart, b.selectionEnd]; }")
    assert selected == [0, len(page.url)]
    expect(page.locator("#view-announce")).to_contain_text("Ctrl+C")
    page.keyboard.press("Escape")  # closes the box, not the details
    expect(box).to_be_hidden()
    expect(page.get_by_role("button", name="Copy link")).to_be_focused()
    expect(page.locator("#panel-title")).to_have_text("Red amphora")
    assert mp.errors == []


def test_question_mark_opens_the_help_listing_every_shortcut_and_escape_returns_focus(
    map_page: MapPage, shortcuts: list[dict]
) -> None:
    mp = map_page.open("item=red.png")
    page = mp.page
    canvas = page.locator(CANVAS)
    canvas.focus()
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(page.locator("#help-close")).to_be_focused()  # focus moved in

    groups = list(dict.fromkeys(entry["group"] for entry in shortcuts))
    expect(dialog.locator("h3")).to_have_text(groups)
    expect(dialog.locator("dt")).to_have_text([" or ".join(entry["keys"]) for entry in sorted_by_group(shortcuts)])
    expect(dialog.locator("dd")).to_have_text([entry["action"] for entry in sorted_by_group(shortcuts)])
    assert dialog.locator("dt kbd").count() == sum(len(entry["keys"]) for entry in shortcuts)

    page.keyboard.press("Escape")  # closes the dialog only: the details stay open
    expect(dialog).to_be_hidden()
    expect(canvas).to_be_focused()
    expect(page.locator("#panel-title")).to_have_text("Red amphora")

    # The toolbar's button opens it too; its close button returns the focus to that button.
    help_button = page.get_by_role("button", name="Keyboard shortcuts")
    help_button.click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    expect(help_button).to_be_focused()


def sorted_by_group(entries: list[dict]) -> list[dict]:
    """The entries as the dialog lists them: grouped, groups in order of first appearance."""
    groups = list(dict.fromkeys(entry["group"] for entry in entries))
    return sorted(entries, key=lambda entry: groups.index(entry["group"]))


def test_question_mark_and_f_typed_in_the_search_box_are_text(map_page: MapPage) -> None:
    mp = map_page.open()
    page = mp.page
    search = page.get_by_label("Search titles and fields")
    search.click()
    page.keyboard.type("f?")
    expect(search).to_have_value("f?")
    expect(page.locator("#help")).to_be_hidden()
    assert page.evaluate("() => document.fullscreenElement") is None
    # Outside the box the same key opens the help.
    page.get_by_role("button", name="Zoom in").focus()
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()


def test_the_minimap_follows_a_switch_to_the_timeline_and_back(map_page: MapPage) -> None:
    mp = map_page.open()
    page = mp.page
    show_minimap(page)
    mirrors = """() => {
      const {viewer} = window.tsneViewer;
      const nav = viewer.navigator.world;
      return [nav.getItemCount(), nav.getItemAt(0).source === viewer.world.getItemAt(0).source];
    }"""
    for arrangement, button in (("timeline", "Timeline"), ("similarity", "Similarity")):
        page.get_by_role("button", name=button, exact=True).click()
        page.wait_for_function("a => document.documentElement.dataset.arrangement === a", arg=arrangement)
        mp.settle()
        page.wait_for_function(MINIMAP_DRAWN_JS)
        assert page.evaluate(mirrors) == [1, True], arrangement  # the arrangement's pyramid, nothing else
        # A click on the minimap centres the view on that point of the arrangement shown.
        zoom_in(mp)
        w, h = page.evaluate("() => { const d = window.tsneViewer.viewer.world.getItemAt(0).source.dimensions; return [d.x, d.y]; }")
        # The minimap shows all of it.
        box = page.locator("#minimap").bounding_box()
        for corner in ((0, 0), (w, h)):
            x, y = minimap_point(page, *corner)
            assert box["x"] - 1 <= x <= box["x"] + box["width"] + 1 and box["y"] - 1 <= y <= box["y"] + box["height"] + 1
        target = (0.7 * w, 0.4 * h)
        page.mouse.click(*minimap_point(page, *target))
        mp.settle()
        centre = mp.view_centre_image()
        assert abs(centre[0] - target[0]) < 0.03 * w and abs(centre[1] - target[1]) < 0.03 * h, (arrangement, centre, target)
