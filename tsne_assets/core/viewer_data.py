"""The compact JSON document a viewer reads (contract in ``docs/architecture.md``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

FORMAT = "tsne-assets.viewer/1"


def viewer_metadata(
    collection: str,
    records: pd.DataFrame,
    cells: np.ndarray,
    *,
    cols: int,
    rows: int,
    cell_size: tuple[int, int],
    fields: Sequence[str] = (),
    dzi: str = "tiles.dzi",
) -> dict[str, Any]:
    """Build the viewer document for images placed in grid ``cells``.

    ``records`` has one row per placed image (columns ``id``, ``title``, ``url`` and each of
    ``fields``), in the same order as ``cells``. Columns are stored as lists, not one object
    per image, which keeps 100,000-image collections small; ``cells`` maps each grid cell,
    row-major, to its image's index in those lists, or -1 where the cell is empty.
    Strings are passed through untouched: they are data, and the viewer shows them as text.
    """
    cells = np.asarray(cells, dtype=np.int64)
    if len(records) != len(cells):
        raise ValueError(f"{len(records)} records but {len(cells)} cell assignments")
    if len(cells) and (cells.min() < 0 or cells.max() >= cols * rows):
        raise ValueError(f"cell indices must lie in [0, {cols * rows})")
    if len(np.unique(cells)) != len(cells):
        raise ValueError("two images share a grid cell")
    missing = [name for name in ("id", "title", "url", *fields) if name not in records.columns]
    if missing:
        raise ValueError(f"records lack the columns {missing}")

    grid = np.full(cols * rows, -1, dtype=np.int64)
    grid[cells] = np.arange(len(cells))
    width, height = cell_size
    return {
        "format": FORMAT,
        "collection": collection,
        "grid": {"cols": cols, "rows": rows, "cell_width": width, "cell_height": height},
        "image": {"dzi": dzi, "width": cols * width, "height": rows * height},
        "fields": list(fields),
        "cells": grid.tolist(),
        "items": {name: records[name].fillna("").astype(str).tolist() for name in ("id", "title", "url", *fields)},
    }
