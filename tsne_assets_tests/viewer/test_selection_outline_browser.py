"""The selection's outline in a real browser: a selected cell is ringed by a dark line with a light
one along it, so that it shows on orange and yellow images, where the tint alone was faint.

The same pixels are read before and after the selection, from screenshots; where the cell lies
on the screen comes from OpenSeadragon's viewport, never from the viewer's own geometry."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from .map_page import MapPage
from .selection_page import encode_sel

#: How far from the cell's edge, on either side, the outline is looked for (pixels).
REACH = 4
#: The least change of a pixel by the outline; the tint alone changes an orange pixel by about 40.
LEAST_CHANGE = 150


def channel_difference(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    """The sum of two RGB colours' differences, channel by channel."""
    return sum(abs(int(x) - int(y)) for x, y in zip(a, b))


def edge_strips(rect: tuple[float, float, float, float]) -> dict[str, list[tuple[int, int]]]:
    """The pixels across each of the cell's edges, at its middle, `REACH` either side of it."""
    x0, y0, x1, y1 = (round(v) for v in rect)
    mx, my = (x0 + x1) // 2, (y0 + y1) // 2
    return {
        "top": [(mx, y0 + k) for k in range(-REACH, REACH)],
        "bottom": [(mx, y1 + k) for k in range(-REACH, REACH)],
        "left": [(x0 + k, my) for k in range(-REACH, REACH)],
        "right": [(x1 + k, my) for k in range(-REACH, REACH)],
    }


@pytest.mark.parametrize("title", ["Orange krater", "Yellow kylix"])
def test_a_selected_cell_is_outlined_in_colours_far_from_its_own(map_page: MapPage, title: str, artifacts: Path) -> None:
    mp = map_page.open()
    page = mp.page
    cell = mp.cell_of(title)
    own = mp.colour_in(cell)
    rect = mp.cell_screen_rect(cell)
    before = mp.screenshot()
    page.evaluate("code => { location.hash = 'sel=' + code; }", encode_sel([mp.item_in(cell)]))
    expect(page.locator("#selection-count")).to_have_text("1")
    mp.settle()
    assert mp.cell_screen_rect(cell) == pytest.approx(rect, abs=0.5)  # the map did not move
    after: Image.Image = mp.screenshot(artifacts / f"selection-outline-{own[0]}-{own[1]}-{own[2]}.png")

    for edge, pixels in edge_strips(rect).items():
        # The outline: the pixels across the edge that the selection changed by far more than the
        # tint changes any, and among them one far from the image's own colour.
        outline = [after.getpixel(p) for p in pixels if channel_difference(after.getpixel(p), before.getpixel(p)) >= LEAST_CHANGE]
        assert outline, (edge, [(before.getpixel(p), after.getpixel(p)) for p in pixels])
        assert max(channel_difference(c, own) for c in outline) >= 2 * LEAST_CHANGE, (edge, outline)

    # The image itself shows through, tinted, inside the outline.
    x0, y0, x1, y1 = rect
    inside = (round(x0 + 0.25 * (x1 - x0)), round(y0 + 0.25 * (y1 - y0)))
    assert channel_difference(after.getpixel(inside), own) < 100

    # Cleared, the outline goes with the selection.
    page.evaluate("() => { location.hash = ''; }")
    expect(page.locator("#selection-count")).to_have_text("0")
    mp.settle()
    cleared = mp.screenshot()
    for pixels in edge_strips(rect).values():
        assert max(channel_difference(cleared.getpixel(p), before.getpixel(p)) for p in pixels) < 30
