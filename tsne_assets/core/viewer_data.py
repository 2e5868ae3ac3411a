"""The compact JSON document a viewer reads: its contract, defined once (``docs/architecture.md``).

A published version holds the document as :data:`METADATA_NAME`; the viewer accepts any
``format`` that starts with :data:`FORMAT` and reads ``grid`` (``cols``, ``rows``,
``cell_width``, ``cell_height``), ``image`` (``dzi``, ``width``, ``height``), ``cells``,
``fields``, the ``items`` columns (:data:`ITEM_COLUMNS` and each of ``fields``), and
``title`` or ``collection`` as the page's heading; ``about``, ``credit`` and ``license``, where
present, are the collection's About text (plain text, shown as text).
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
) -> dict[str, Any]:
    """Build the viewer document for images placed in grid ``cells``.

    ``records`` has one row per placed image (columns ``id``, ``title``, ``url`` and each of
    ``fields``), in the same order as ``cells``. Columns are stored as lists, not one object
    per image, which keeps 100,000-image collections small; ``cells`` maps each grid cell,
    row-major, to its image's index in those lists, or -1 where the cell is empty.
    Strings are passed through untouched: they are data, and the viewer shows them as text.
    ``identity`` (``title``, ``about``, ``credit``, ``license``; see
    :meth:`~.spec.CollectionSpec.identity`) is what visitors are told about the collection.
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
        entries, ``items.id`` is missing, or an ``items`` column has another length.
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
    return len(ids)
