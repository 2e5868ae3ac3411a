"""Small pieces shared by the asset modules."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd

from ..partitions import collections_partitions

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
