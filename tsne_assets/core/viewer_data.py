"""The compact JSON document a viewer reads: its contract, defined once (``docs/architecture.md``).

A published version holds the document as :data:`METADATA_NAME`; the viewer accepts any
``format`` that starts with :data:`FORMAT` and reads ``grid`` (``cols``, ``rows``,
``cell_width``, ``cell_height``), ``image`` (``dzi``, ``width``, ``height``), ``cells``,
``fields``, the ``items`` columns (:data:`ITEM_COLUMNS` and each of ``fields``), and
``title`` or ``collection`` as the page's heading; ``about``, ``credit`` and ``license``, where
present, are the collection's About text (plain text, shown as text); ``detail``, where
present, the images' own pyramids (:func:`detail_section`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .deepzoom import DZI_NAME

if TYPE_CHECKING:
    import pandas as pd

#: The document's ``format``; a reader accepts any value that starts with it.
FORMAT = "tsne-assets.viewer/1"
#: The document's file name in a published version.
METADATA_NAME = "metadata.json"
#: The ``items`` columns every document has, before its extra ``fields``.
ITEM_COLUMNS = ("id", "title", "url")
#: The folder of the images' own pyramids in a published version: ``detail/<item>.dzi`` beside
#: ``detail/<item>_files/``, where ``<item>`` is the image's index in the ``items`` columns.
DETAIL_FOLDER = "detail"


def detail_dzi(item: int) -> str:
    """The path of image ``item``'s pyramid descriptor in a published version."""
    return f"{DETAIL_FOLDER}/{item}.dzi"


def detail_section(
    ids: Sequence[str],
    sizes: Mapping[str, tuple[int, int]],
    *,
    resize: str,
    tile_size: int,
    overlap: int,
    tile_format: str,
) -> dict[str, Any]:
    """The document's ``detail``: where each image's own pyramid is and how large it is.

    ``sizes`` maps the id of each image that has a pyramid to its ``(width, height)``; the
    section holds ``width`` and ``height`` columns aligned with ``ids`` (the ``items.id``
    column), ``0`` where an image has none, the tiling shared by every pyramid (``tile_size``,
    ``overlap``, ``format``: the viewer needs no descriptor) and the cells' ``resize``, so that
    the viewer frames each pyramid over its cell as the mosaic does.
    """
    shapes = [sizes.get(image_id, (0, 0)) for image_id in ids]
    return {
        "folder": f"{DETAIL_FOLDER}/",
        "resize": resize,
        "tile_size": tile_size,
        "overlap": overlap,
        "format": tile_format,
        "width": [int(w) for w, _ in shapes],
        "height": [int(h) for _, h in shapes],
    }


def viewer_metadata(
    collection: str,
    records: pd.DataFrame,
    cells: np.ndarray,
    *,
    cols: int,
    rows: int,
    cell_size: tuple[int, int],
    fields: Sequence[str] = (),
    dzi: str = DZI_NAME,
    identity: Mapping[str, str] | None = None,
    detail: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Build the viewer document for images placed in grid ``cells``.

    ``records`` has one row per placed image (columns ``id``, ``title``, ``url`` and each of
    ``fields``), in the same order as ``cells``. Columns are stored as lists, not one object
    per image, which keeps 100,000-image collections small; ``cells`` maps each grid cell,
    row-major, to its image's index in those lists, or -1 where the cell is empty.
    Strings are passed through untouched: they are data, and the viewer shows them as text.
    ``identity`` (``title``, ``about``, ``credit``, ``license``; see
    :meth:`~.spec.CollectionSpec.identity`) is what visitors are told about the collection;
    ``detail`` (:func:`detail_section`), where given, the images' own pyramids.
    """
    cells = np.asarray(cells, dtype=np.int64)
    if len(records) != len(cells):
        raise ValueError(f"{len(records)} records but {len(cells)} cell assignments")
    if len(cells) and (cells.min() < 0 or cells.max() >= cols * rows):
        raise ValueError(f"cell indices must lie in [0, {cols * rows})")
    if len(np.unique(cells)) != len(cells):
        raise ValueError("two images share a grid cell")
    columns = (*ITEM_COLUMNS, *fields)
    missing = [name for name in columns if name not in records.columns]
    if missing:
        raise ValueError(f"records lack the columns {missing}")

    grid = np.full(cols * rows, -1, dtype=np.int64)
    grid[cells] = np.arange(len(cells))
    width, height = cell_size
    return {
        "format": FORMAT,
        "collection": collection,
        **(identity or {}),
        "grid": {"cols": cols, "rows": rows, "cell_width": width, "cell_height": height},
        "image": {"dzi": dzi, "width": cols * width, "height": rows * height},
        "fields": list(fields),
        "cells": grid.tolist(),
        "items": {name: records[name].fillna("").astype(str).tolist() for name in columns},
        **({"detail": detail} if detail is not None else {}),
    }


def item_columns(document: dict[str, Any]) -> tuple[str, ...]:
    """The ``items`` columns a document should have: :data:`ITEM_COLUMNS`, then its ``fields``."""
    return (*ITEM_COLUMNS, *document.get("fields", []))


def dzi_name(document: dict[str, Any]) -> str:
    """The file name of the Deep Zoom descriptor a document points to (:data:`DZI_NAME` if none)."""
    return (document.get("image") or {}).get("dzi") or DZI_NAME


def check_viewer_metadata(document: dict[str, Any]) -> int:
    """Check what a viewer needs to open a document; return its number of images.

    Raises
    ------
    ValueError
        If the ``format`` is not :data:`FORMAT`, ``cells`` does not hold ``cols * rows``
        entries, ``items.id`` is missing, or an ``items`` column or a ``detail`` size column
        has another length.
    """
    fmt = document.get("format")
    if not isinstance(fmt, str) or not fmt.startswith(FORMAT):
        raise ValueError(f"viewer metadata has format {fmt!r}, expected {FORMAT!r}")
    grid = document.get("grid") or {}
    cols, rows = int(grid.get("cols", 0)), int(grid.get("rows", 0))
    cells = document.get("cells")
    if cols < 1 or rows < 1 or not isinstance(cells, list) or len(cells) != cols * rows:
        raise ValueError(f"viewer metadata: cells must hold cols × rows = {cols * rows} entries")
    items = document.get("items") or {}
    ids = items.get("id")
    if not isinstance(ids, list):
        raise ValueError("viewer metadata: items.id is missing")
    for name in item_columns(document)[1:]:  # each column after ``id``, whose length is the count
        column = items.get(name)
        if column is not None and len(column) != len(ids):
            raise ValueError(f"viewer metadata: items.{name} has {len(column)} values, not {len(ids)}")
    detail = document.get("detail")
    if detail is not None and any(len(detail.get(side) or []) != len(ids) for side in ("width", "height")):
        raise ValueError(f"viewer metadata: detail.width and detail.height must hold {len(ids)} values")
    return len(ids)
