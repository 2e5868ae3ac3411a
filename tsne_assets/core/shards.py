"""Split a collection's images into shards that embed independently, and put the results back.

Rows that share a content hash land in the same shard, so that each distinct image is embedded
once however the collection is split. Shards are contiguous runs of distinct images in manifest
order; assembling their results gives the same array as embedding every image in one call.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["assemble_shards", "plan_shards"]


def plan_shards(hashes: Sequence[str], shard_size: int) -> list[np.ndarray]:
    """Row indices of each shard: at most ``shard_size`` distinct hashes per shard.

    Parameters
    ----------
    hashes : sequence of str
        Each row's content hash, in manifest order.
    shard_size : int
        Distinct images per shard (positive).

    Returns
    -------
    list of numpy.ndarray
        Sorted int64 row indices per shard; together they cover every row exactly once. Empty
        when there are no rows.
    """
    if not isinstance(shard_size, int) or isinstance(shard_size, bool) or shard_size < 1:
        raise ValueError(f"shard_size must be a positive integer, got {shard_size!r}")
    rows_by_hash: dict[str, list[int]] = {}
    for index, content_hash in enumerate(hashes):
        rows_by_hash.setdefault(content_hash, []).append(index)
    groups = list(rows_by_hash.values())
    return [
        np.sort(np.concatenate([np.asarray(rows, dtype=np.int64) for rows in groups[start : start + shard_size]]))
        for start in range(0, len(groups), shard_size)
    ]


def assemble_shards(rows: int, dim: int, shards: Sequence[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """The ``(rows, dim)`` float32 array whose rows ``indices`` are each shard's ``features``.

    Raises ``ValueError`` unless the shards' indices cover ``range(rows)`` exactly once and each
    shard's features have one ``dim``-long row per index.
    """
    result = np.zeros((rows, dim), dtype=np.float32)
    seen = np.zeros(rows, dtype=bool)
    for indices, features in shards:
        indices = np.asarray(indices, dtype=np.int64)
        if features.shape != (len(indices), dim):
            raise ValueError(f"a shard of {len(indices)} rows has features of shape {features.shape}, not ({len(indices)}, {dim})")
        if indices.size and (indices.min() < 0 or indices.max() >= rows or seen[indices].any()):
            raise ValueError("shard indices overlap or fall outside the collection")
        seen[indices] = True
        result[indices] = features
    if not seen.all():
        raise ValueError(f"{int((~seen).sum())} of {rows} rows are in no shard")
    return result
