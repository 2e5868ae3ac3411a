"""What the selection's browser tests draw and expect: each item's cell centre in image pixels,
the items inside a rectangle or a polygon, the `sel=` link value decoded, the selection list's
rows, and drags drawn with Playwright's mouse at the screen points OpenSeadragon's viewport
gives (``test_selection_browser.py``, ``test_selection_export_browser.py``)."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from .map_page import MapPage

Point = tuple[float, float]


# -- expectations from the metadata -------------------------------------------------------------
def centres(mp: MapPage) -> dict[int, Point]:
    """Item -> its cell's centre in image pixels."""
    w, h, cols = mp.grid["cell_width"], mp.grid["cell_height"], mp.grid["cols"]
    return {item: ((c % cols + 0.5) * w, (c // cols + 0.5) * h) for c, item in enumerate(mp.meta["cells"]) if item >= 0}


def in_rect(mp: MapPage, a: Point, b: Point) -> set[int]:
    (x0, x1), (y0, y1) = sorted((a[0], b[0])), sorted((a[1], b[1]))
    return {i for i, (x, y) in centres(mp).items() if x0 <= x <= x1 and y0 <= y <= y1}


def in_polygon(mp: MapPage, polygon: list[Point]) -> set[int]:
    def inside(x: float, y: float) -> bool:
        odd = False
        for (ax, ay), (bx, by) in zip(polygon, polygon[-1:] + polygon[:-1]):
            if (ay > y) != (by > y) and x < (bx - ax) * (y - ay) / (by - ay) + ax:
                odd = not odd
        return odd

    return {i for i, (x, y) in centres(mp).items() if inside(x, y)}


def ids(mp: MapPage, items: set[int]) -> list[str]:
    return sorted(mp.items["id"][i] for i in items)


def encode_sel(items: list[int]) -> str:
    """A `sel=` value (viewer/src/selection-codec.js's gap list: "d", base64url of varints)."""
    data, previous = bytearray(), -1
    for item in sorted(items):
        gap, previous = item - previous - 1, item
        while True:
            data.append((gap & 0x7F) | (0x80 if gap > 0x7F else 0))
            gap >>= 7
            if not gap:
                break
    return "d" + base64.urlsafe_b64encode(bytes(data)).decode().rstrip("=")


def decode_sel(code: str) -> set[int]:
    """The `sel=` value's items (viewer/src/selection-codec.js), decoded independently of it."""
    data = base64.urlsafe_b64decode(code[1:] + "=" * (-len(code[1:]) % 4))
    values, value, shift = [], 0, 0
    for i, byte in enumerate(data):
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            values.append(value)
            value, shift = 0, 0
            if code[0] == "b":
                first, bits = values[0], data[i + 1 :]
                return {first + 8 * k + b for k, byte_ in enumerate(bits) for b in range(8) if byte_ >> b & 1}
    items, previous = set(), -1
    for gap in values:
        previous += gap + 1
        items.add(previous)
    return items


# -- the page -------------------------------------------------------------------------------------
def link_selection(mp: MapPage) -> set[int]:
    sel = parse_qs(urlsplit(mp.page.url).fragment).get("sel", [""])[0]
    return decode_sel(sel) if sel else set()


def listed(mp: MapPage) -> list[str]:
    """The ids in the selection list (opened if closed), checked against the link and the count."""
    page = mp.page
    closed = page.locator("#selection").is_hidden()
    if closed:
        page.locator("#selection-toggle").click()
    rows = page.locator("#selection-list button.result")
    shown = sorted(rows.evaluate_all("bs => bs.map(b => b.dataset.item)"))
    expect(page.locator("#selection-count")).to_have_text(str(len(shown)))
    assert shown == ids(mp, link_selection(mp)), "the list and the link disagree"
    if closed:  # as it was: the list beside the map narrows it, and the shapes drawn next must be in view
        page.locator("#selection-toggle").click()
        mp.settle()
    return shown


def open_list(mp: MapPage) -> None:
    if mp.page.locator("#selection").is_hidden():
        mp.page.locator("#selection-toggle").click()
        mp.settle()


def expect_selected(mp: MapPage, items: set[int]) -> None:
    expect(mp.page.locator("#selection-count")).to_have_text(str(len(items)))
    assert listed(mp) == ids(mp, items)


#: The selection's tint, as selection-geometry.js's TINT_RGBA (255, 210, 74, 110).
TINT, TINT_ALPHA = (255, 210, 74), 110 / 255


def colour_distance(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """The Euclidean distance between two RGB colours."""
    return sum((float(x) - float(y)) ** 2 for x, y in zip(a, b)) ** 0.5


def drag(mp: MapPage, points: list[Point], modifier: str | None = None) -> None:
    """Presses at the first image point, moves through the others and releases at the last."""
    page = mp.page
    screen = [mp.to_page(*p) for p in points]
    if modifier:
        page.keyboard.down(modifier)
    page.mouse.move(*screen[0])
    page.mouse.down()
    for p in screen[1:]:
        page.mouse.move(*p, steps=8)
    page.mouse.up()
    if modifier:
        page.keyboard.up(modifier)


def cell_fraction(mp: MapPage, fx: float, fy: float) -> Point:
    """A point at (fx, fy) of the whole grid, in image pixels."""
    return fx * mp.grid["cols"] * mp.grid["cell_width"], fy * mp.grid["rows"] * mp.grid["cell_height"]


def margin(mp: MapPage, polygon: list[Point]) -> float:
    """The least distance between a cell centre and an edge of `polygon` (a test's shape must not graze one)."""

    def segment_distance(p: Point, a: Point, b: Point) -> float:
        (px, py), (ax, ay), (bx, by) = p, a, b
        t = max(0.0, min(1.0, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)))
        return ((px - ax - t * (bx - ax)) ** 2 + (py - ay - t * (by - ay)) ** 2) ** 0.5

    edges = list(zip(polygon, polygon[1:] + polygon[:1]))
    return min(segment_distance(c, a, b) for c in centres(mp).values() for a, b in edges)


def select_some(mp: MapPage) -> set[int]:
    mp.page.get_by_role("button", name="Rectangle").click()
    a, b = cell_fraction(mp, 0.02, 0.02), cell_fraction(mp, 0.7, 0.98)
    drag(mp, [a, b])
    expected = in_rect(mp, a, b)
    expect_selected(mp, expected)
    return expected
