"""Draw the mosaic's grid rows: each source decoded, resized into its cell, on the background."""

from __future__ import annotations

import io
import math
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from PIL import Image

from ..images import open_rgb
from ..spec_values import ResizeMode
from .options import MosaicOptions

#: Sources read and decoded ahead of the row being drawn: enough to keep every thread busy,
#: few enough that the decoded cells waiting in memory stay small.
_WINDOW = 256


@dataclass(frozen=True)
class GridRow:
    """One drawn grid row, as :func:`render_rows` yields it.

    ``pixels`` is the ``(cell_height, cols * cell_width, 3)`` uint8 strip, valid only until
    the next row is drawn into the same buffer; ``placed`` the number of sources processed in
    this row (drawn or failed); ``failed`` maps the index of each source in this row that
    could not be read or decoded to the reason.
    """

    pixels: np.ndarray
    placed: int
    failed: dict[int, str]


def render_cell(
    image: Image.Image,
    cell_size: tuple[int, int],
    resize: ResizeMode = "contain",
    background: tuple[int, int, int] = (255, 255, 255),
) -> np.ndarray:
    """One RGB image resized into a cell: a ``(cell_height, cell_width, 3)`` uint8 array.

    ``resize`` and ``background`` are as in :class:`~tsne_assets.core.mosaic.MosaicOptions`.
    """
    cell_w, cell_h = cell_size
    width, height = image.size
    if resize == "fill":
        # Crop the largest centred box with the cell's aspect, then scale it to the cell.
        scale = max(cell_w / width, cell_h / height)
        box_w, box_h = cell_w / scale, cell_h / scale
        left, top = (width - box_w) / 2, (height - box_h) / 2
        fitted = image.resize(
            (cell_w, cell_h), Image.Resampling.LANCZOS, box=(left, top, left + box_w, top + box_h), reducing_gap=3.0
        )
        return np.asarray(fitted, dtype=np.uint8)
    scale = min(cell_w / width, cell_h / height)
    size = (min(cell_w, max(1, round(width * scale))), min(cell_h, max(1, round(height * scale))))
    fitted = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    out = np.empty((cell_h, cell_w, 3), dtype=np.uint8)
    out[:] = background
    x, y = (cell_w - size[0]) // 2, (cell_h - size[1]) // 2
    out[y : y + size[1], x : x + size[0]] = np.asarray(fitted, dtype=np.uint8)
    return out


def draw_source(source: str, options: MosaicOptions, read: Callable[[str], bytes]) -> np.ndarray | str:
    """One source read with ``read``, decoded and drawn into its cell (:func:`render_cell`), or
    the reason it could not be: a bad source is reported, never fatal."""
    try:
        data = read(source)
    except Exception as error:  # any reader (local, S3, HTTP): report, never abort
        return f"cannot read: {type(error).__name__}: {error}"
    try:
        # JPEGs decode at reduced scale, never smaller than the image's drawn size.
        image = open_rgb(data, min_size=decode_size(data, options))
        return render_cell(image, options.cell_size, options.resize, options.background)
    except Exception as error:  # open_rgb raises UnreadableImageError; anything else too
        return getattr(error, "reason", None) or f"{type(error).__name__}: {error}"


def decode_size(data: bytes, options: MosaicOptions) -> int:
    """The shorter side of the size at which an image (``data``, an encoded file) is drawn into
    its cell, either way up (EXIF may turn it): decoded with both sides at least this large
    (:func:`~tsne_assets.core.images.open_rgb`'s ``min_size``), it is never enlarged.

    A 640x480 JPEG drawn into a 128x128 cell (``"contain"``: 128x96) decodes at a quarter of its
    size, 160x120, where the cell's longer side would ask for half; the entropy decoding is the
    same, the pixels to resize a quarter. Where the header cannot be read, the cell's longer
    side (``open_rgb`` then says why the image cannot be drawn)."""
    cell_w, cell_h = options.cell_size
    try:
        with Image.open(io.BytesIO(data)) as image:  # the header only: nothing is decoded
            width, height = image.size
    except Exception:  # any reason: open_rgb reports it
        return max(cell_w, cell_h)
    fit = max if options.resize == "fill" else min
    return max(math.ceil(min(width, height) * fit(cell_w / w, cell_h / h)) for w, h in ((width, height), (height, width)))


def render_rows(
    pool: ThreadPoolExecutor,
    sources: Sequence[str],
    cells: np.ndarray,
    cols: int,
    rows: int,
    options: MosaicOptions,
    read: Callable[[str], bytes],
) -> Iterator[GridRow]:
    """Draw the grid top to bottom, yielding each of its ``rows`` rows once drawn.

    ``cells`` are distinct, ``cells[i] = row * cols + col`` for ``sources[i]``; ``read``
    returns a source's bytes. Sources are read, decoded and resized on ``pool`` in row-major
    cell order, at most a fixed window ahead of the row being drawn, so memory stays bounded
    by one strip and that window, however many sources there are.
    """
    cell_w, cell_h = options.cell_size
    order = np.argsort(cells, kind="stable")  # sources in row-major cell order
    strip = np.empty((cell_h, cols * cell_w, 3), dtype=np.uint8)

    def render(i: int) -> np.ndarray | str:
        return draw_source(sources[i], options, read)

    results = _ordered_map(pool, render, (int(i) for i in order), window=_WINDOW)
    position = 0
    for row in range(rows):
        strip[:] = options.background
        failed: dict[int, str] = {}
        start = position
        while position < len(order) and cells[order[position]] < (row + 1) * cols:
            index = int(order[position])
            result = next(results)
            col = int(cells[index]) - row * cols
            if isinstance(result, str):
                failed[index] = result
            else:
                strip[:, col * cell_w : (col + 1) * cell_w] = result
            position += 1
        yield GridRow(strip, position - start, failed)


def _ordered_map(pool: ThreadPoolExecutor, fn: Callable, items: Iterator[int], window: int) -> Iterator:
    """``pool.map`` that keeps at most ``window`` results pending, so memory stays bounded."""
    pending: deque[Future] = deque()
    for item in items:
        pending.append(pool.submit(fn, item))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()
