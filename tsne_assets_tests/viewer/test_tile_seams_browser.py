"""Tiles without overlap (the map's default) show no seams in the browser at fractional zoom.

The map is one uniform grey over 160 x 120 cells, tiled by the pipeline's own mosaic code into
256-pixel tiles without overlap: any seam between two tiles (a line where the canvas shows
through or a tile edge is resampled against nothing) would be a line of another colour. The
test reads OpenSeadragon's own canvas, so the viewer's controls over the map do not matter.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from tsne_assets.core.mosaic import MosaicOptions, build_deep_zoom
from tsne_assets.core.site import publish_site
from tsne_assets.core.viewer_data import viewer_metadata

from .map_page import SETTLED_JS

GREY = (128, 128, 128)
CELL = (160, 120)  # not a divisor of the tile size: tile edges run through the cells
COLS, ROWS = 9, 7  # 1,440 x 840 pixels: 6 x 4 tiles at the deepest level

#: In the canvas, the map's pixels farther than 6 levels from opaque grey on any channel (``off``),
#: the farthest (``worst``) and how many were read (``pixels``).
OFF_GREY_JS = """() => {
  const viewer = window.tsneViewer.viewer;
  const canvas = viewer.drawer.canvas;
  const ratio = canvas.width / canvas.clientWidth;
  const tiled = viewer.world.getItemAt(0);
  const size = tiled.getContentSize();
  const a = tiled.imageToViewerElementCoordinates(new window.tsneViewer.OpenSeadragon.Point(0, 0));
  const b = tiled.imageToViewerElementCoordinates(new window.tsneViewer.OpenSeadragon.Point(size.x, size.y));
  // Inset by 3 px from the map's edges and the canvas's (whose last pixels are never drawn).
  const x0 = Math.max(3, Math.ceil(a.x * ratio) + 3), y0 = Math.max(3, Math.ceil(a.y * ratio) + 3);
  const x1 = Math.min(canvas.width - 3, Math.floor(b.x * ratio) - 3);
  const y1 = Math.min(canvas.height - 3, Math.floor(b.y * ratio) - 3);
  const data = canvas.getContext('2d').getImageData(x0, y0, x1 - x0, y1 - y0).data;
  let off = 0, worst = 0;
  for (let i = 0; i < data.length; i += 4) {
    // A seam is a pixel the tiles do not cover fully: transparent in part, or of another colour.
    const d = Math.max(Math.abs(data[i] - 128), Math.abs(data[i + 1] - 128), Math.abs(data[i + 2] - 128), 255 - data[i + 3]);
    if (d > 6) off += 1;
    worst = Math.max(worst, d);
  }
  return { off, worst, pixels: data.length / 4 };
}"""


@pytest.fixture(scope="module")
def grey_site(viewer_dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A published map of one grey image in every cell, served; yields its page's URL."""
    from tsne_assets.serve import serve

    root = tmp_path_factory.mktemp("seams")
    image = root / "grey.png"
    Image.new("RGB", CELL, GREY).save(image)
    count = COLS * ROWS
    tiles_dir = root / "tiles" / "seams" / "v1"
    options = MosaicOptions(cell_size=CELL, resize="fill", background=(28, 30, 34))
    info = build_deep_zoom([str(image)] * count, np.arange(count), COLS, ROWS, tiles_dir, options)
    assert info.overlap == 0 and info.failed == {}
    records = pd.DataFrame({"id": [f"{i}.png" for i in range(count)], "title": ["grey"] * count, "url": [""] * count})
    metadata = viewer_metadata("seams", records, np.arange(count), cols=COLS, rows=ROWS, cell_size=CELL)
    publish_site(root / "site" / "seams", version="v1", tiles_dir=tiles_dir, metadata=metadata, viewer_dist=viewer_dist)
    server, url, thread = serve(root, host="127.0.0.1", port=0)
    try:
        yield f"{url}seams/"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.mark.parametrize("zoom", [0.83, 1.37, 2.71])
def test_tiles_without_overlap_show_no_seams_at_fractional_zoom(browser, grey_site: str, artifacts: Path, zoom: float):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(grey_site)
    page.wait_for_function(SETTLED_JS)
    # Zoom (fractional: tiles land on fractional screen pixels) around a point off every tile
    # edge and cell edge, so that several tile edges cross the screen.
    page.evaluate(
        """z => {
          const { viewer, OpenSeadragon } = window.tsneViewer;
          const point = viewer.world.getItemAt(0).imageToViewportCoordinates(new OpenSeadragon.Point(517.3, 389.7));
          viewer.viewport.zoomTo(viewer.viewport.getHomeZoom() * z, point, true);
          viewer.viewport.panTo(point, true);
        }""",
        zoom,
    )
    page.wait_for_function(SETTLED_JS)
    page.screenshot(path=str(artifacts / f"seams-{zoom}.png"))
    result = page.evaluate(OFF_GREY_JS)
    context.close()
    assert result["pixels"] > 100_000
    assert result["off"] == 0, result
