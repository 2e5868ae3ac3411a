"""A mosaic's pyramid for a new version: the previous version's updated, or built afresh.

Each version's pyramid lives in a folder of its own (``tiles/<collection>/<run>/`` in storage),
so that a version being served is never written into. Given the previous version's folder,
:func:`draw_mosaic` reuses every tile whose cells did not change (hard links on one disk,
server-side copies within one object store, through :func:`~tsne_assets.core.storage.copy_tree`)
and re-renders the others (:mod:`.update`); without one, or when the grid or the drawing options
changed, or when too much changed for an update to pay, it builds the pyramid afresh
(:func:`~.build.build_deep_zoom`). Either way it leaves ``cells.json`` for the next version.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..deepzoom import DZI_NAME, deep_zoom_levels, deep_zoom_tile_count, files_folder
from ..storage import AnyPath, copy_file, copy_tree, local_staging
from .build import DeepZoomInfo, build_deep_zoom
from .options import MosaicOptions
from .update import SIGNATURE_NAME, cell_signature, changed_cells, update_deep_zoom

#: Above this share of changed cells a fresh build is about as fast as an update: build afresh.
MAX_UPDATE_SHARE = 0.25


@dataclass(frozen=True)
class MosaicVersion:
    """What :func:`draw_mosaic` wrote: the pyramid (``info``), whether it updated the previous
    version's (``updated``), the cells that changed and the tiles re-rendered out of ``total``
    (all of them when built afresh)."""

    info: DeepZoomInfo
    updated: bool
    changed_cells: int
    rendered: int
    total: int


def draw_mosaic(
    sources: Sequence[str],
    hashes: Sequence[str],
    cells: np.ndarray,
    cols: int,
    rows: int,
    destination: AnyPath,
    options: MosaicOptions,
    *,
    previous: AnyPath | None,
    read: Callable[[str], bytes],
    progress: Callable[[int], None] | None = None,
) -> MosaicVersion:
    """Write the mosaic's pyramid, preview and ``cells.json`` into ``destination``.

    Parameters
    ----------
    sources, cells, cols, rows, options, read, progress
        As for :func:`~.build.build_deep_zoom`.
    hashes
        Each source's content hash: a cell whose hash is unchanged keeps its tiles.
    destination
        The new version's folder (local or remote), which must not exist yet or be empty.
    previous
        The previous version's folder, or None.
    """
    cells = np.asarray(cells)
    signature = cell_signature(cells, cols, rows, hashes, options)
    changed = None
    if previous is not None and (previous / SIGNATURE_NAME).is_file():
        try:
            changed = changed_cells(json.loads((previous / SIGNATURE_NAME).read_text(encoding="utf-8")), signature)
        except (ValueError, KeyError, TypeError):  # unreadable: nothing to trust, so built afresh
            changed = None
    if changed is None or len(changed) > MAX_UPDATE_SHARE * cols * rows:
        with local_staging(destination) as out_dir:
            info = build_deep_zoom(sources, cells, cols, rows, out_dir, options, read=read, progress=progress)
            (out_dir / SIGNATURE_NAME).write_text(json.dumps(signature), encoding="utf-8")
        tiles = deep_zoom_tile_count(info.width, info.height, options.tile_size)
        return MosaicVersion(info, False, cols * rows if changed is None else len(changed), tiles, tiles)

    files = files_folder(DZI_NAME)
    copy_tree(previous / files, destination / files)
    copy_file(previous / DZI_NAME, destination / DZI_NAME, link=True)
    tile_path = f"{files}/{{}}/{{}}_{{}}.{options.tile_format}"
    with local_staging(destination) as out_dir:
        rendered, total, failed = update_deep_zoom(
            sources, cells, cols, rows, changed, out_dir, options,
            read_tile=lambda level, col, row: (previous / tile_path.format(level, col, row)).read_bytes(),
            read=read,
        )
        (out_dir / SIGNATURE_NAME).write_text(json.dumps(signature), encoding="utf-8")
    if progress is not None:
        progress(len(sources))
    width, height = cols * options.cell_size[0], rows * options.cell_size[1]
    info = DeepZoomInfo(
        width, height, options.tile_size, options.overlap, options.tile_format, deep_zoom_levels(width, height),
        failed=dict(sorted(failed.items())),
    )
    return MosaicVersion(info, True, len(changed), rendered, total)
