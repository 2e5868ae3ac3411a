"""Update a mosaic's Deep Zoom pyramid: re-render only the tiles over cells that changed.

A map that grows keeps its images in their cells (:mod:`~tsne_assets.core.placement`), so a
rebuild changes a few cells: new images, removed ones, images whose content changed. Each
pyramid records what every cell shows, ``cells.json`` beside it (:func:`cell_signature`: the
content hash of each cell's image, the grid and the drawing options); the next build compares
(:func:`changed_cells`) and, where the grid and options are the same, re-renders only the tiles
whose pixels (with their overlap) cover a changed cell, at every level
(:func:`update_deep_zoom`); every other tile is the previous pyramid's, reused as it is.

The deepest level's tiles are drawn from the images, as a full build draws them
(:func:`~.cells.draw_source`). Each level above is the level below shrunk by two, a 2x2 mean
(an odd edge copied, as libvips ``dzsave`` does): from the re-rendered tiles' exact pixels and
the unchanged tiles' decoded ones, so a changed tile may differ from a full build's by one JPEG
generation in the parts it shares with unchanged tiles (the tests allow a mean absolute
difference of 3 in 255 above the deepest level, and 0.5 on it).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

from ..deepzoom import DZI_NAME, PREVIEW_NAME, deep_zoom_level_size, deep_zoom_levels, files_folder, tile_grid
from ..grid import cell_positions
from .cells import draw_source
from .options import MosaicOptions

#: What each cell of a pyramid shows, beside its descriptor.
SIGNATURE_NAME = "cells.json"
_FORMAT = 1

#: Reads one tile of the previous pyramid: ``(level, column, row) -> bytes``.
TileReader = Callable[[int, int, int], bytes]


def cell_signature(
    cells: np.ndarray, cols: int, rows: int, hashes: Sequence[str], options: MosaicOptions
) -> dict:
    """What a mosaic shows: for each of its ``cols * rows`` cells the content hash of its image
    (``hashes[i]`` for the image in ``cells[i]``; ``""`` where empty), with the grid and every
    option that changes pixels. JSON-serialisable."""
    content = [""] * (cols * rows)
    for cell, digest in zip(np.asarray(cells).tolist(), hashes):
        content[cell] = digest
    drawing = {
        "cell_size": list(options.cell_size),
        "resize": options.resize,
        "tile_size": options.tile_size,
        "overlap": options.overlap,
        "tile_format": options.tile_format,
        "quality": options.quality,
        "background": list(options.background),
    }
    return {"format": _FORMAT, "cols": cols, "rows": rows, "options": drawing, "content": content}


def changed_cells(previous: dict | None, current: dict) -> np.ndarray | None:
    """Indices of the cells whose content differs between two signatures, or None when the
    previous pyramid cannot be updated into the current one (none, another grid, other options)."""
    if previous is None or any(previous.get(key) != current[key] for key in ("format", "cols", "rows", "options")):
        return None
    return np.flatnonzero(np.asarray(previous["content"], dtype=object) != np.asarray(current["content"], dtype=object))


def update_deep_zoom(
    sources: Sequence[str],
    cells: np.ndarray,
    cols: int,
    rows: int,
    changed: np.ndarray,
    out_dir: Path,
    options: MosaicOptions,
    *,
    read_tile: TileReader,
    read: Callable[[str], bytes],
    workers: int | None = None,
) -> tuple[int, int, dict[int, str]]:
    """Write into ``out_dir`` the tiles of the mosaic's pyramid that cover ``changed`` cells,
    at every level, and a new preview; every other tile is the previous pyramid's.

    Parameters
    ----------
    sources, cells, cols, rows, options, read
        As for :func:`~.build.build_deep_zoom`: the mosaic as it is now.
    changed
        Cell indices whose content differs from the previous pyramid's (:func:`changed_cells`).
    out_dir
        Receives ``tiles_files/<level>/<col>_<row>.<format>`` for each re-rendered tile (each
        written to a new file and renamed over any there, so that a hard-linked previous tile
        is replaced, never written into) and ``preview.jpg``.
    read_tile
        Reads a tile of the previous pyramid (same grid and options).
    workers
        Threads that draw, decode, shrink and encode the tiles of each level (default: CPU
        count); the tiles are the same bytes whatever their number.

    Returns
    -------
    (rendered, total, failed)
        Tiles re-rendered, tiles in the pyramid, and the sources drawn that could not be read
        or decoded (index -> reason; their cells stay background).
    """
    cell_w, cell_h = options.cell_size
    width, height = cols * cell_w, rows * cell_h
    top = deep_zoom_levels(width, height) - 1
    owner = np.full(cols * rows, -1, dtype=np.int64)
    owner[np.asarray(cells, dtype=np.int64)] = np.arange(len(cells))
    col, row = cell_positions(changed, cols).T
    rects = np.column_stack([col * cell_w, (col + 1) * cell_w, row * cell_h, (row + 1) * cell_h])
    tiles_dir = Path(out_dir) / files_folder(DZI_NAME)
    failed: dict[int, str] = {}
    below: dict[tuple[int, int], np.ndarray] = {}
    rendered = total = 0
    # Decoding, shrinking and encoding release the GIL: the tiles of a level render in parallel.
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        for level in range(top, -1, -1):
            size = deep_zoom_level_size(width, height, level)
            grid = tile_grid(*size, options.tile_size)
            total += grid[0] * grid[1]
            dirty = sorted(_dirty_tiles(rects, grid, options))
            if level == top:
                drawn = _draw_cells(dirty, owner, sources, options, read, pool, size, failed)

                def pixels_of(tile, drawn=drawn, size=size):
                    return _crop(drawn, tile, size, options, cell_w, cell_h)

            else:
                size_below = deep_zoom_level_size(width, height, level + 1)
                extents = {tile: _extent(tile, size, options, 2) for tile in dirty}
                # Each unchanged tile below is decoded once, though up to four dirty tiles read it.
                needed = {t for extent in extents.values() for t in _tiles_under(extent, size_below, options)}
                tiles_below = _decode_tiles(pool, below, needed, lambda col, row, lvl=level + 1: read_tile(lvl, col, row))

                def pixels_of(tile, tiles_below=tiles_below, extents=extents, size_below=size_below):
                    return _shrink(_region(tiles_below, extents[tile], size_below, options))

            def render(tile, level=level, pixels_of=pixels_of):
                pixels = pixels_of(tile)
                _write_tile(tiles_dir / str(level) / f"{tile[0]}_{tile[1]}.{options.tile_format}", pixels, options)
                return pixels

            below = dict(zip(dirty, pool.map(render, dirty)))
            rendered += len(below)
            rects = np.column_stack([rects[:, 0] // 2, (rects[:, 1] + 1) // 2, rects[:, 2] // 2, (rects[:, 3] + 1) // 2])
        _write_preview(Path(out_dir) / PREVIEW_NAME, width, height, options, read_tile, pool)
    return rendered, total, failed


# --- internals -----------------------------------------------------------------------------


def _dirty_tiles(rects: np.ndarray, grid: tuple[int, int], options: MosaicOptions) -> set[tuple[int, int]]:
    """Tiles whose pixels, overlap included, meet any of ``rects`` (x0, x1, y0, y1)."""
    tile, overlap = options.tile_size, options.overlap
    dirty = set()
    for x0, x1, y0, y1 in rects.tolist():
        for row in range(max(0, (y0 - overlap) // tile), min(grid[1] - 1, (y1 - 1 + overlap) // tile) + 1):
            for col in range(max(0, (x0 - overlap) // tile), min(grid[0] - 1, (x1 - 1 + overlap) // tile) + 1):
                dirty.add((col, row))
    return dirty


def _extent(tile: tuple[int, int], size: tuple[int, int], options: MosaicOptions, scale: int = 1) -> tuple[int, ...]:
    """The pixels of ``tile`` on a level of ``size``, overlap included: (x0, x1, y0, y1), times ``scale``."""
    (col, row), step, overlap = tile, options.tile_size, options.overlap
    x0, y0 = max(col * step - overlap, 0), max(row * step - overlap, 0)
    x1, y1 = min((col + 1) * step + overlap, size[0]), min((row + 1) * step + overlap, size[1])
    return x0 * scale, x1 * scale, y0 * scale, y1 * scale


def _draw_cells(dirty, owner, sources, options, read, pool, size, failed) -> dict[int, np.ndarray]:
    """Each cell under the dirty tiles of the deepest level, drawn on ``pool`` (empty: background)."""
    cell_w, cell_h = options.cell_size
    wanted = set()
    grid_cols = size[0] // cell_w
    for tile in dirty:
        x0, x1, y0, y1 = _extent(tile, size, options)
        for row in range(y0 // cell_h, (y1 - 1) // cell_h + 1):
            for col in range(x0 // cell_w, (x1 - 1) // cell_w + 1):
                wanted.add(row * grid_cols + col)
    blank = np.empty((cell_h, cell_w, 3), dtype=np.uint8)
    blank[:] = options.background
    drawn = {cell: blank for cell in wanted if owner[cell] < 0}
    occupied = sorted(cell for cell in wanted if owner[cell] >= 0)
    for cell, result in zip(occupied, pool.map(lambda c: draw_source(sources[owner[c]], options, read), occupied)):
        if isinstance(result, str):
            failed[int(owner[cell])] = result
            result = blank
        drawn[cell] = result
    return drawn


def _crop(drawn: dict[int, np.ndarray], tile, size, options: MosaicOptions, cell_w: int, cell_h: int) -> np.ndarray:
    """The deepest level's pixels of ``tile``, from its drawn cells."""
    x0, x1, y0, y1 = _extent(tile, size, options)
    grid_cols = size[0] // cell_w
    out = np.empty((y1 - y0, x1 - x0, 3), dtype=np.uint8)
    for row in range(y0 // cell_h, (y1 - 1) // cell_h + 1):
        for col in range(x0 // cell_w, (x1 - 1) // cell_w + 1):
            cx0, cy0 = col * cell_w, row * cell_h
            ax0, ax1, ay0, ay1 = max(x0, cx0), min(x1, cx0 + cell_w), max(y0, cy0), min(y1, cy0 + cell_h)
            out[ay0 - y0 : ay1 - y0, ax0 - x0 : ax1 - x0] = drawn[row * grid_cols + col][ay0 - cy0 : ay1 - cy0, ax0 - cx0 : ax1 - cx0]
    return out


def _decode_tiles(
    pool: ThreadPoolExecutor,
    rendered: dict[tuple[int, int], np.ndarray],
    needed: set[tuple[int, int]],
    read: Callable[[int, int], bytes],
) -> dict[tuple[int, int], np.ndarray]:
    """The pixels of one level's ``needed`` tiles: re-rendered ones as given, the others read
    with ``read(col, row)`` and decoded on ``pool``."""
    missing = sorted(needed - rendered.keys())
    decoded = pool.map(lambda tile: np.asarray(Image.open(io.BytesIO(read(*tile))).convert("RGB")), missing)
    return {**rendered, **dict(zip(missing, decoded))}


def _tiles_under(extent, size, options: MosaicOptions) -> Iterator[tuple[int, int]]:
    """The tiles of a level of ``size`` whose own pixels (overlap left out) meet ``extent``
    (x0, x1, y0, y1; may pass the right and bottom edges)."""
    x0, x1, y0, y1 = extent
    step = options.tile_size
    for row in range(y0 // step, (min(y1, size[1]) - 1) // step + 1):
        for col in range(x0 // step, (min(x1, size[0]) - 1) // step + 1):
            yield col, row


def _region(tiles: dict[tuple[int, int], np.ndarray], extent, size, options: MosaicOptions) -> np.ndarray:
    """Pixels ``extent`` (x0, x1, y0, y1; may pass the right and bottom edges by one, which
    repeat the edge) of a level of ``size``, from its ``tiles`` (those under the extent)."""
    x0, x1, y0, y1 = extent
    cx1, cy1 = min(x1, size[0]), min(y1, size[1])
    step, overlap = options.tile_size, options.overlap
    out = np.empty((cy1 - y0, cx1 - x0, 3), dtype=np.uint8)
    for col, row in _tiles_under(extent, size, options):
        pixels = tiles[col, row]
        tx0, ty0 = max(col * step - overlap, 0), max(row * step - overlap, 0)  # the tile's first pixel
        ax0, ax1 = max(x0, col * step), min(cx1, (col + 1) * step)
        ay0, ay1 = max(y0, row * step), min(cy1, (row + 1) * step)
        out[ay0 - y0 : ay1 - y0, ax0 - x0 : ax1 - x0] = pixels[ay0 - ty0 : ay1 - ty0, ax0 - tx0 : ax1 - tx0]
    return np.pad(out, ((0, y1 - cy1), (0, x1 - cx1), (0, 0)), mode="edge")


def _shrink(pixels: np.ndarray) -> np.ndarray:
    """Halve an image by the rounded mean of each 2x2 block; on an odd edge, of the pixels there
    (which equals repeating the edge)."""
    return np.asarray(Image.fromarray(pixels).reduce(2))


def _encode(pixels: np.ndarray, options: MosaicOptions) -> bytes:
    import pyvips  # as the full build encodes its tiles

    h, w = pixels.shape[:2]
    image = pyvips.Image.new_from_memory(np.ascontiguousarray(pixels).data, w, h, 3, "uchar")
    suffix = ".png" if options.tile_format == "png" else f".{options.tile_format}[Q={options.quality},strip]"
    return image.write_to_buffer(suffix)


def _write_tile(path: Path, pixels: np.ndarray, options: MosaicOptions) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.part")
    partial.write_bytes(_encode(pixels, options))
    os.replace(partial, path)  # replaces a hard link to the previous tile without touching it


def _write_preview(
    path: Path, width: int, height: int, options: MosaicOptions, read_tile: TileReader, pool: ThreadPoolExecutor
) -> None:
    """The preview, from the smallest level at least as large as it (tiles just written or
    the previous pyramid's), its tiles decoded on ``pool``."""
    level = deep_zoom_levels(width, height) - 1
    while level > 0 and max(deep_zoom_level_size(width, height, level - 1)) >= options.preview_size:
        level -= 1
    size = deep_zoom_level_size(width, height, level)
    folder = path.parent / files_folder(DZI_NAME) / str(level)

    def tile(col: int, row: int) -> bytes:
        written = folder / f"{col}_{row}.{options.tile_format}"
        return written.read_bytes() if written.exists() else read_tile(level, col, row)

    extent = (0, size[0], 0, size[1])
    tiles = _decode_tiles(pool, {}, set(_tiles_under(extent, size, options)), tile)
    whole = Image.fromarray(_region(tiles, extent, size, options))
    whole.thumbnail((options.preview_size, options.preview_size), Image.Resampling.LANCZOS)
    whole.save(path, format="JPEG", quality=85)
