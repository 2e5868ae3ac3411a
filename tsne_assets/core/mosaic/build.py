"""Render a grid of images and write it as a Deep Zoom pyramid and a preview."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..deepzoom import DZI_NAME, deep_zoom_levels
from .bigtiff import BigTiffStripWriter
from .cells import render_rows
from .options import MosaicOptions
from .pyramid import write_pyramid


@dataclass(frozen=True)
class DeepZoomInfo:
    """What :func:`build_deep_zoom` wrote.

    ``width`` and ``height`` are the full mosaic in pixels; ``tile_size``, ``overlap`` and
    ``format`` the tiling (as in :class:`MosaicOptions`); ``levels`` the number of pyramid
    levels (see :func:`~tsne_assets.core.deepzoom.deep_zoom_levels`); ``dzi`` the descriptor's
    file name in ``out_dir``; ``failed`` maps the index of each source that could not be read
    or decoded to the reason (its cell was left as background).
    """

    width: int
    height: int
    tile_size: int
    overlap: int
    format: str
    levels: int
    dzi: str = DZI_NAME
    failed: dict[int, str] = field(default_factory=dict)


def build_deep_zoom(
    sources: Sequence[str],
    cells: np.ndarray,
    cols: int,
    rows: int,
    out_dir: Path,
    options: MosaicOptions | None = None,
    *,
    read: Callable[[str], bytes] | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> DeepZoomInfo:
    """Render the grid mosaic and write it as a Deep Zoom pyramid and a preview.

    Parameters
    ----------
    sources
        One entry per image, passed to ``read``.
    cells
        ``(N,)`` distinct cell indices, ``cells[i] = row * cols + col`` for ``sources[i]``,
        row 0 at the top (as from :func:`tsne_assets.core.grid.assign_to_grid`).
    cols, rows
        The grid; the mosaic is ``cols * cell_width`` by ``rows * cell_height`` pixels.
    out_dir
        Created if missing; an existing ``tiles.dzi``/``tiles_files`` there is replaced.
    options
        Cell size, resizing, tiling, background and preview size (default:
        ``MosaicOptions()``).
    read
        Returns a source's bytes; default reads a local file.
    progress
        Called with the number of sources just processed (read, decoded and placed, or
        failed), after each grid row that has any; the calls sum to ``len(sources)``.
    workers
        Threads that read, decode and resize (default: CPU count).

    Returns
    -------
    DeepZoomInfo
        Including ``failed``: a source that cannot be read or decoded is never fatal; its
        cell stays background.

    Raises
    ------
    ValueError
        If the grid is empty or ``cells`` do not give each source its own cell in it;
        nothing is written then.
    """
    options = options or MosaicOptions()
    cells = np.asarray(cells)
    cols, rows = int(cols), int(rows)
    _check_grid(sources, cells, cols, rows)
    read = read or _read_file
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cell_w, cell_h = options.cell_size
    width, height = cols * cell_w, rows * cell_h

    # The temporary file is as large as the mosaic: keep it on the output's file system.
    work = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-mosaic-", dir=out_dir.parent))
    failed: dict[int, str] = {}
    try:
        mosaic_path = work / "mosaic.tif"
        with (
            ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool,
            BigTiffStripWriter(mosaic_path, width, height, rows_per_strip=cell_h) as tiff,
        ):
            for row in render_rows(pool, sources, cells, cols, rows, options, read):
                tiff.write(row.pixels)
                failed.update(row.failed)
                if progress is not None and row.placed:
                    progress(row.placed)
        write_pyramid(mosaic_path, out_dir, options)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return DeepZoomInfo(
        width=width,
        height=height,
        tile_size=options.tile_size,
        overlap=options.overlap,
        format=options.tile_format,
        levels=deep_zoom_levels(width, height),
        dzi=DZI_NAME,
        failed=dict(sorted(failed.items())),
    )


def _read_file(source: str) -> bytes:
    return Path(source).read_bytes()


def _check_grid(sources: Sequence[str], cells: np.ndarray, cols: int, rows: int) -> None:
    if cols < 1 or rows < 1:
        raise ValueError(f"cols and rows must be positive, got {cols}x{rows}")
    if cells.ndim != 1 or len(cells) != len(sources):
        raise ValueError(f"cells must be a 1-D array with one entry per source ({len(sources)}), got shape {cells.shape}")
    if len(cells):
        if not np.issubdtype(cells.dtype, np.integer):
            raise ValueError(f"cells must be integers, got {cells.dtype}")
        if cells.min() < 0 or cells.max() >= cols * rows:
            raise ValueError(f"cells must be in 0..{cols * rows - 1} for a {cols}x{rows} grid")
        if len(np.unique(cells)) != len(cells):
            raise ValueError("cells must be distinct: one source per cell")
