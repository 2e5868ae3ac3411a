"""Deep zoom to the original pixels, in a real browser: each image's own pyramid is drawn over
its cell when the view goes past the mosaic's resolution, and the details panel shows it sharp.

The collection is built here with the pipeline's own core functions (mosaic, detail pyramids,
viewer metadata, publishing) on a fixed 8 x 8 grid, large enough that the whole map is shown
below the mosaic's resolution. One image is full of detail (a 2-pixel checkerboard and thin
stripes) that its 128-pixel cell blurs away; the others are their cells' size (no pyramid). The drawn pixels are read
from OpenSeadragon's canvas and compared with the original at the same scale.
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tsne_assets.core.detail import DetailOptions, DetailSource, build_detail_pyramids
from tsne_assets.core.mosaic import MosaicOptions, build_deep_zoom
from tsne_assets.core.site import publish_site
from tsne_assets.core.viewer_data import detail_section, viewer_metadata

CELL = (128, 128)
FINE = "fine.png"
FINE_SIZE = (1024, 768)
COLS = ROWS = 8
#: The fine image's cell, and where its pyramid goes in it (contain: 128 x 96, centred vertically).
FINE_CELL = 3 * COLS + 3
FINE_PLACEMENT = (3 * 128, 3 * 128 + 16, 128, 96)  # x, y, width, height in mosaic pixels
#: How far the drawn pixels may be from the original (mean absolute difference, 0..255), and
#: how far the mosaic alone is at least: it blurs the checkerboard to grey.
SHARP, BLURRED = 12, 60


def fine_pixels() -> np.ndarray:
    """Left half a checkerboard of 2-pixel squares, right half 8-pixel stripes, on a frame."""
    w, h = FINE_SIZE
    y, x = np.indices((h, w))
    grey = np.where(x < w // 2, ((x // 2 + y // 2) % 2) * 255, ((x // 8) % 2) * 255).astype(np.uint8)
    rgb = np.repeat(grey[..., None], 3, axis=2)
    rgb[:8], rgb[-8:], rgb[:, :8], rgb[:, -8:] = (200, 30, 30), (200, 30, 30), (200, 30, 30), (200, 30, 30)
    return rgb


def publish_collection(root: Path, images: Path, resize: str) -> str:
    """Publish the fine image and three plain ones as collection ``detail-<resize>``; its id."""
    collection = f"detail-{resize}"
    names = ["red.png", "green.png", "blue.png", FINE]
    cells = np.array([0, FINE_CELL - 1, COLS * ROWS - 1, FINE_CELL])
    tiles = root / "tiles" / collection / "v1"
    options = MosaicOptions(cell_size=CELL, resize=resize)
    build_deep_zoom([str(images / n) for n in names], cells, COLS, ROWS, tiles, options)
    sources = []
    for name in names:
        data = (images / name).read_bytes()
        with Image.open(images / name) as image:
            sources.append(DetailSource(name, str(images / name), hashlib.sha256(data).hexdigest(), *image.size))
    cache = root / "cache" / "detail"
    report = build_detail_pyramids(
        sources, cache, DetailOptions(), cell_size=CELL, resize=resize, read=lambda p: Path(p).read_bytes()
    )
    assert report.failed == {} and list(report.pyramids) == [FINE]  # the others are their cells' size
    records = pd.DataFrame({"id": names, "title": [n.split(".")[0] for n in names], "url": [""] * 4})
    sizes = {name: (p.width, p.height) for name, p in report.pyramids.items()}
    detail = detail_section(names, sizes, resize=resize, tile_size=256, overlap=1, tile_format="jpg")
    metadata = viewer_metadata(collection, records, cells, cols=COLS, rows=ROWS, cell_size=CELL, detail=detail)
    publish_site(
        root / "site" / collection,
        version="v1",
        tiles_dir=tiles,
        metadata=metadata,
        detail_dirs={names.index(FINE): cache / report.pyramids[FINE].folder},
    )
    return collection


@pytest.fixture(scope="module")
def served(viewer_dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The collections, letterboxed (``contain``) and cropped (``fill``), served; yields the
    server's URL."""
    from tsne_assets.serve import serve

    base = tmp_path_factory.mktemp("detail-collection")
    images = base / "images"
    images.mkdir()
    Image.fromarray(fine_pixels()).save(images / FINE)
    for name, colour in (("red.png", (220, 40, 40)), ("green.png", (40, 180, 60)), ("blue.png", (40, 70, 210))):
        Image.new("RGB", CELL, colour).save(images / name)
    for resize in ("contain", "fill"):
        publish_collection(base / "root", images, resize)
    server, url, thread = serve(base / "root", host="127.0.0.1", port=0)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture()
def detail_site(served: str) -> str:
    return f"{served}detail-contain/"


@pytest.fixture()
def page(browser, detail_site: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    assert errors == [], f"uncaught errors in the page: {errors}"
    context.close()


def open_map(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("() => document.documentElement.dataset.state === 'ready'")


#: The view is still, and every image in the world (mosaic and detail layers) is drawn.
SETTLED_JS = """(layers) => {
  const {viewer} = window.tsneViewer;
  const vp = viewer.viewport, world = viewer.world;
  if (world.getItemCount() !== 1 + layers) return false;
  for (let i = 0; i < world.getItemCount(); i++) {
    const item = world.getItemAt(i);
    if (item.getOpacity() > 0 && !item.getFullyLoaded()) return false;  // hidden layers are off screen
  }
  return vp.zoomSpring.isAtTargetValue() && vp.centerSpringX.isAtTargetValue()
    && vp.centerSpringY.isAtTargetValue() && !world.needsDraw();
}"""


def settle(page: Page, layers: int) -> None:
    page.wait_for_function(SETTLED_JS, arg=layers)
    page.wait_for_function("() => new Promise((done) => requestAnimationFrame(() => done(true)))")


def canvas(page: Page, selector: str | None = None) -> Image.Image:
    """The pixels of OpenSeadragon's drawing canvas (or of the canvas at ``selector``)."""
    url = page.evaluate(
        "(sel) => (sel ? document.querySelector(sel) : window.tsneViewer.viewer.drawer.canvas).toDataURL('image/png')",
        selector,
    )
    return Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGB")


def screen_rect(page: Page, rect: tuple[int, int, int, int] = FINE_PLACEMENT) -> tuple[float, float, float, float]:
    """``rect`` (mosaic pixels; default the fine image's) on the drawing canvas (x, y, width,
    height), from the mosaic's own transform in OpenSeadragon."""
    return tuple(
        page.evaluate(
            """([x, y, w, h]) => {
              const {viewer, OpenSeadragon} = window.tsneViewer;
              const mosaic = viewer.world.getItemAt(0);
              const a = mosaic.imageToViewerElementCoordinates(new OpenSeadragon.Point(x, y));
              const b = mosaic.imageToViewerElementCoordinates(new OpenSeadragon.Point(x + w, y + h));
              return [a.x, a.y, b.x - a.x, b.y - a.y];
            }""",
            list(rect),
        )
    )


def difference(
    drawn: Image.Image, rect: tuple[float, float, float, float], stripes: bool = False, original: np.ndarray | None = None
) -> float:
    """Mean absolute difference between the drawn image at ``rect`` (clipped to the canvas)
    and the ``original`` (default: the fine image) resized to ``rect``'s size; with ``stripes``,
    of its right half only (below full size the checkerboard aliases differently in every
    resampler)."""
    x, y, w, h = (round(v) for v in rect)
    pixels = fine_pixels() if original is None else original
    original = Image.fromarray(pixels).resize((w, h), Image.Resampling.LANCZOS)
    left, top = (w // 2 if stripes else 0) + max(0, -x), max(0, -y)
    right, bottom = min(w, drawn.width - x), min(h, drawn.height - y)
    want = np.asarray(original.crop((left, top, right, bottom)), dtype=np.int16)
    got = np.asarray(drawn.crop((x + left, y + top, x + right, y + bottom)), dtype=np.int16)
    return float(np.abs(want - got).mean())


def edges(image: Image.Image, rect: tuple[float, float, float, float]) -> float:
    """Sharpness of the stripes (the right half of ``rect``, clipped to ``image``): the mean
    absolute difference between horizontally neighbouring pixels, which blurring lowers."""
    x, y, w, h = (round(v) for v in rect)
    box = (max(0, x + w // 2 + 4), max(0, y + 4), min(image.width, x + w - 4), min(image.height, y + h - 4))
    pixels = np.asarray(image.crop(box).convert("L"), dtype=np.int16)
    return float(np.abs(np.diff(pixels, axis=1)).mean())


def zoom_to_original_pixels(
    page: Page, rect: tuple[int, int, int, int] = FINE_PLACEMENT, ratio: float = FINE_SIZE[0] / FINE_PLACEMENT[2]
) -> None:
    """Show the fine image at one screen pixel per original pixel (``ratio`` of them per mosaic
    pixel), centred on ``rect`` (mosaic pixels), whose corner falls on a whole pixel."""
    page.evaluate(
        """([x, y, w, h, ratio]) => {
          const {viewer, OpenSeadragon} = window.tsneViewer;
          const vp = viewer.viewport, mosaic = viewer.world.getItemAt(0);
          vp.zoomTo(mosaic.imageToViewportZoom(ratio), null, true);
          vp.panTo(mosaic.imageToViewportCoordinates(x + w / 2, y + h / 2), true);
          const corner = mosaic.imageToViewerElementCoordinates(new OpenSeadragon.Point(x, y));
          const shift = new OpenSeadragon.Point(corner.x - Math.floor(corner.x), corner.y - Math.floor(corner.y));
          vp.panBy(vp.deltaPointsFromPixels(shift), true);
        }""",
        [*rect, ratio],
    )


def test_zooming_in_draws_the_original_pixels_over_the_cell_and_zooming_out_drops_them(
    page: Page, detail_site: str
) -> None:
    open_map(page, detail_site)
    settle(page, 0)  # the whole map: the mosaic is fine, no detail layer is open
    zoom_to_original_pixels(page)
    settle(page, 1)
    rect = screen_rect(page)
    assert abs(rect[2] - FINE_SIZE[0]) < 0.01  # one screen pixel per original pixel
    sharp = difference(canvas(page), rect)
    assert sharp < SHARP, sharp

    # The same view without the detail layer: the mosaic's cell, enlarged 8 times, is a blur.
    page.evaluate("() => window.tsneViewer.viewer.world.getItemAt(1).setOpacity(0)")
    settle(page, 1)
    blurred = difference(canvas(page), rect)
    assert blurred > BLURRED, blurred
    page.evaluate("() => window.tsneViewer.viewer.world.getItemAt(1).setOpacity(1)")

    # The zoom stops at those original pixels; over a cell with none finer, at a cell filling the view.
    limits = page.evaluate(
        """(ratio) => {
          const {viewer} = window.tsneViewer;
          return [viewer.viewport.getMaxZoom(), viewer.world.getItemAt(0).imageToViewportZoom(ratio)];
        }""",
        FINE_SIZE[0] / FINE_PLACEMENT[2],
    )
    assert limits[0] == pytest.approx(limits[1], rel=1e-6)
    page.evaluate("() => window.tsneViewer.viewer.viewport.zoomBy(4)")
    page.evaluate("() => window.tsneViewer.viewer.viewport.applyConstraints(true)")
    settle(page, 1)
    assert page.evaluate("() => window.tsneViewer.viewer.viewport.getZoom()") == pytest.approx(limits[1], rel=1e-6)

    # Panned away: the layer is hidden (kept open, off screen, until a newer one needs its place).
    page.evaluate(
        """() => {
          const {viewer, OpenSeadragon} = window.tsneViewer;
          viewer.viewport.panBy(viewer.viewport.deltaPointsFromPixels(new OpenSeadragon.Point(0, -3000)), true);
        }"""
    )
    page.wait_for_function("() => window.tsneViewer.viewer.world.getItemAt(1).getOpacity() === 0")

    # Zoomed out to the whole map: the detail layer is closed.
    page.get_by_role("button", name="Show the whole map").click()
    settle(page, 0)
    assert page.evaluate("() => window.tsneViewer.viewer.world.getItemCount()") == 1


def test_the_panel_shows_the_image_sharp_from_its_pyramid(page: Page, detail_site: str) -> None:
    open_map(page, detail_site)
    page.goto(f"{detail_site}#item={FINE}")
    page.wait_for_function("() => document.documentElement.dataset.state === 'ready'")
    image = page.locator("#panel canvas.panel-image")
    expect(image).to_have_attribute("data-state", "ready")
    expect(image).to_have_attribute("data-item", FINE)
    expect(image).to_have_accessible_name("fine")  # the image's title
    drawn = canvas(page, "#panel canvas.panel-image")
    assert drawn.width >= page.evaluate("() => document.querySelector('#panel canvas.panel-image').clientWidth")
    sharp = difference(drawn, (0, 0, drawn.width, drawn.height), stripes=True)
    # The mosaic's 128-pixel cell at the panel's size, for comparison: the stripes are gone.
    cell = Image.fromarray(fine_pixels()).resize((128, 96), Image.Resampling.LANCZOS).resize(drawn.size)
    blurred = difference(cell, (0, 0, drawn.width, drawn.height), stripes=True)
    assert sharp < SHARP and blurred > 2 * sharp, (sharp, blurred)


def test_a_deep_link_opens_on_a_sharp_image(page: Page, detail_site: str) -> None:
    page.goto(f"{detail_site}#item={FINE}")
    page.wait_for_function("() => document.documentElement.dataset.state === 'ready'")
    settle(page, 1)
    rect = screen_rect(page)
    x, y, w, h = (round(v) for v in rect)
    # The original at the size it is shown, where the view shows it: as sharp as it can be there.
    original = Image.new("RGB", canvas(page).size)
    original.paste(Image.fromarray(fine_pixels()).resize((w, h), Image.Resampling.LANCZOS), (x, y))
    expected, sharp = edges(original, rect), edges(canvas(page), rect)
    page.evaluate("() => window.tsneViewer.viewer.world.getItemAt(1).setOpacity(0)")
    settle(page, 1)
    blurred = edges(canvas(page), rect)
    assert sharp > 0.8 * expected and blurred < 0.5 * expected, (expected, sharp, blurred)


def test_fill_crops_the_pyramid_to_its_cell(page: Page, served: str) -> None:
    # fill: the 1024 x 768 image covers its 128-pixel cell at 1/6, its sides cut off; at one
    # screen pixel per original pixel the cell shows the middle 768 x 768 of it, and no more.
    open_map(page, f"{served}detail-fill/")
    cell = (3 * 128, 3 * 128, 128, 128)
    zoom_to_original_pixels(page, cell, FINE_SIZE[1] / CELL[1])
    settle(page, 1)
    drawn, rect = canvas(page), screen_rect(page, cell)
    assert abs(rect[2] - 768) < 0.01
    middle = fine_pixels()[:, 128:896]
    sharp = difference(drawn, rect, original=middle)
    assert sharp < SHARP, sharp
    # Left of the cell the green neighbour's cell shows, not the fine image's cut-off side.
    x, y = round(rect[0]), round(rect[1])
    strip = np.asarray(drawn.crop((x - 100, y + 100, x - 10, y + 300)), dtype=np.int16)
    assert np.abs(strip - np.array([40, 180, 60])).max() < 30
