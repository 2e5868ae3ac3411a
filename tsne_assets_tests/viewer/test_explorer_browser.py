"""The explorer's additions in a real browser, on the collection the pipeline built: the
collection's identity (header, tab title, credit, About dialog), similar objects and cluster
labels. Expectations come from the published metadata.json and the test collection's spec."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
from PIL import Image
from playwright.sync_api import expect

from .collection import IDENTITY, BuiltCollection, colour_of
from .test_accessibility import audit, axe_script, describe, screen  # noqa: F401 (fixtures)
from .map_page import MapPage, close


def test_identity_is_shown_as_text_in_header_title_credit_and_about_dialog(map_page: MapPage, artifacts: Path) -> None:
    mp = map_page.open()
    page = mp.page
    expect(page.locator("#collection-title")).to_have_text(IDENTITY["name"])
    expect(page).to_have_title(f"{IDENTITY['name']} — map")
    expect(page.locator("#map-credit")).to_have_text(f"{IDENTITY['credit']} · {IDENTITY['license']}")

    # A selected image stays selected through the dialog: Escape closes the dialog only.
    page.mouse.click(*mp.cell_point(mp.cell_of("Red amphora")))
    expect(page.locator("#panel-title")).to_have_text("Red amphora")
    about = page.get_by_role("button", name="About")
    about.click()
    dialog = page.get_by_role("dialog", name=IDENTITY["name"])
    expect(dialog).to_be_visible()
    expect(page.locator("#about-close")).to_be_focused()
    first, second = IDENTITY["about"].split("\n\n")
    expect(dialog.locator(".about-text p")).to_have_text([first, second])
    expect(dialog.locator(".about-facts")).to_contain_text("Credit" + IDENTITY["credit"])
    expect(dialog.locator(".about-facts")).to_contain_text("Licence" + IDENTITY["license"])
    mp.screenshot(artifacts / "about.png")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(about).to_be_focused()
    expect(page.locator("#panel-title")).to_have_text("Red amphora")

    # The markup in the name and the about text stayed text: nothing was parsed, loaded or run.
    assert page.locator("#collection-title b, #about b, #about img").count() == 0
    assert not [url for url in mp.requests if url.endswith("/x")]
    assert mp.dialogs == []


def test_the_about_dialog_links_the_maps_iiif_manifest(map_page: MapPage) -> None:
    page = map_page.open().page
    page.get_by_role("button", name="About").click()
    facts = page.get_by_role("dialog", name=IDENTITY["name"]).locator(".about-facts")
    expect(facts).to_contain_text("IIIF manifest")
    link = facts.get_by_role("link")
    href = link.get_attribute("href")
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/.*/versions/[^/]+/manifest\.json", href), href
    expect(link).to_have_text(href)
    assert page.request.get(href).json()["type"] == "Manifest"


def test_the_explorers_controls_pass_the_accessibility_audit(axe_script: Path, screen) -> None:  # noqa: F811
    name, mp = screen
    page = mp.open().page
    expect(page.locator(".cluster-label:visible").first).to_be_visible()
    violations = audit(page, axe_script, f"{name}: cluster labels")
    page.evaluate("id => { location.hash = 'item=' + encodeURIComponent(id); }", "red.png")  # the panel opens
    expect(page.locator("#similar-list button").first).to_have_attribute("data-drawn", "true")
    violations += audit(page, axe_script, f"{name}: similar objects")
    page.get_by_role("button", name="About").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    violations += audit(page, axe_script, f"{name}: about dialog open")
    assert not violations, describe(violations)


def test_similar_objects_are_drawn_from_the_tiles_fetched_by_row_and_choosing_one_moves_the_map(
    map_page: MapPage, collection: BuiltCollection, artifacts: Path
) -> None:
    mp = map_page.open()
    page = mp.page
    k = mp.meta["similar"]["k"]
    published = collection.root / "site" / collection.id / collection.site.path / "similar.bin"
    table = np.frombuffer(published.read_bytes(), "<i4").reshape(-1, k)
    ids, titles = mp.items["id"], mp.items["title"]
    item = ids.index("red.png")
    page.mouse.click(*mp.cell_point(mp.meta["cells"].index(item)))
    expect(page.locator("#panel-title")).to_have_text(titles[item])

    # The published neighbours, nearest first, each named by its title.
    buttons = page.locator("#similar-list button")
    expect(buttons).to_have_count(k)
    assert buttons.evaluate_all("bs => bs.map(b => b.dataset.item)") == [ids[j] for j in table[item]]
    nearest = int(table[item][0])
    expect(page.get_by_role("button", name=titles[nearest], exact=True)).to_have_attribute("data-drawn", "true")
    # Its thumbnail is its own cell, cut from the tiles: the image's colour away from its centre.
    thumb = Image.open(io.BytesIO(buttons.first.locator("canvas").screenshot())).convert("RGB")
    assert close(thumb.getpixel((thumb.width // 6, thumb.height // 6)), colour_of(ids[nearest])), thumb.getpixel((2, 2))
    mp.screenshot(artifacts / "similar.png")

    buttons.first.click()
    expect(page.locator("#panel-title")).to_have_text(titles[nearest])
    expect(page.locator("#panel-title")).to_be_focused()
    mp.settle()
    assert mp.centre_cell() == mp.meta["cells"].index(nearest)
    assert page.evaluate("location.hash") == f"#item={ids[nearest]}"
    expect(buttons.first).to_have_attribute("data-item", ids[int(table[nearest][0])])

    # Each shown image's row came alone, by an HTTP Range request: the table never came whole.
    fetched = page.evaluate(
        """() => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/similar.bin'))
                 .map((e) => [e.responseStatus, e.encodedBodySize])"""
    )
    assert fetched == [[206, k * 4], [206, k * 4]], fetched


LABELS_JS = """() => [...document.querySelectorAll('.cluster-label')].map(b => {
  const r = b.getBoundingClientRect();
  return {text: b.textContent, shown: !b.hidden && !b.closest('[hidden]'), box: [r.left, r.top, r.right, r.bottom]};
})"""


def test_cluster_labels_are_drawn_apart_frame_their_cluster_and_fade_when_zoomed_in(
    map_page: MapPage, artifacts: Path
) -> None:
    mp = map_page.open()
    page = mp.page
    clusters = mp.meta["clusters"]
    assert clusters, "the test collection's layout has no groups"
    labels = page.evaluate(LABELS_JS)
    assert [label["text"] for label in labels] == [c["label"] for c in clusters]
    shown = [label for label in labels if label["shown"]]
    assert shown, "no cluster label is shown on the whole map"
    for i, a in enumerate(shown):  # never on top of one another
        for b in shown[i + 1 :]:
            ax0, ay0, ax1, ay1 = a["box"]
            bx0, by0, bx1, by1 = b["box"]
            assert ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0, (a, b)
    mp.screenshot(artifacts / "cluster-labels.png")

    # Clicking a label frames its cluster: its whole extent in view, centred.
    cluster = clusters[[label["text"] for label in labels].index(shown[0]["text"])]
    page.get_by_role("button", name=f"{cluster['label']}: show this group").click()
    mp.settle()
    col0, row0, col1, row1 = cluster["extent"]
    w, h = mp.grid["cell_width"], mp.grid["cell_height"]
    left, top = mp.to_page(col0 * w, row0 * h)
    right, bottom = mp.to_page(col1 * w, row1 * h)
    box = mp.map_box()
    assert box["x"] - 1 <= left and right <= box["x"] + box["width"] + 1
    assert box["y"] - 1 <= top and bottom <= box["y"] + box["height"] + 1
    cx, cy = mp.view_centre_image()
    assert col0 * w <= cx <= col1 * w and row0 * h <= cy <= row1 * h

    # Close up, the labels are gone (they fade out as the visitor zooms in).
    page.evaluate("() => { const vp = window.tsneViewer.viewer.viewport; vp.zoomTo(vp.getHomeZoom() * 10, null, true); }")
    expect(page.locator(".cluster-labels")).to_be_hidden()
