"""Small pieces shared by the asset modules."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import dagster as dg
import pandas as pd

from ...core.preview import preview_markdown
from ..partitions import collections_partitions

if TYPE_CHECKING:
    from ...core.mosaic.versioned import MosaicVersion
    from ...core.storage import AnyPath

PARTITIONED = {"partitions_def": collections_partitions}


@contextmanager
def stopwatch() -> Iterator[dict[str, float]]:
    """Measure a block; the yielded dict holds ``seconds`` when the block ends."""
    timing: dict[str, float] = {}
    start = time.perf_counter()
    try:
        yield timing
    finally:
        timing["seconds"] = round(time.perf_counter() - start, 3)


def markdown_list(items: list[str], limit: int = 50) -> str:
    """A bulleted Markdown list of at most ``limit`` items, saying how many were left out."""
    lines = [f"- `{item}`" for item in items[:limit]]
    if len(items) > limit:
        lines.append(f"- ... and {len(items) - limit} more")
    return "\n".join(lines) or "(none)"


def markdown_table(frame: pd.DataFrame, limit: int = 50) -> str:
    """A Markdown table of at most ``limit`` rows (tabulate-free, so values stay literal)."""
    header = "| " + " | ".join(frame.columns) + " |\n|" + "---|" * len(frame.columns)
    rows = [
        "| " + " | ".join(str(value).replace("|", "\\|") for value in row) + " |"
        for row in frame.head(limit).itertuples(index=False)
    ]
    if len(frame) > limit:
        rows.append(f"| ... {len(frame) - limit} more |" + " |" * (len(frame.columns) - 1))
    return "\n".join([header, *rows])


def drawn_metadata(drawn: MosaicVersion, folder: AnyPath, ids: Sequence[str], seconds: float) -> dict[str, Any]:
    """What the Dagster UI shows of an arrangement drawn into ``folder`` (``drawn``: what
    :func:`~tsne_assets.core.mosaic.versioned.draw_mosaic` wrote; ``ids``: each drawn image's
    id, in its order): the pyramid's size, the images that failed with their reasons, whether
    the published version's pyramid was updated and how much of it was redrawn, where it is, its
    preview, and the ``seconds`` it took."""
    info = drawn.info
    failed = [f"{ids[index]}: {reason}" for index, reason in info.failed.items()]
    return {
        "width": info.width,
        "height": info.height,
        "levels": info.levels,
        "failed": len(failed),
        "failed_images": dg.MetadataValue.md(markdown_list(failed)),
        "updated": drawn.updated,
        "changed_cells": drawn.changed_cells,
        "tiles_rendered": drawn.rendered,
        "tiles": drawn.total,
        "location": str(folder),
        "preview": dg.MetadataValue.md(preview_markdown(folder)),
        "seconds": seconds,
    }
