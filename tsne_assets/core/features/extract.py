"""Batched feature extraction: decoding in worker threads overlapped with model inference."""

from __future__ import annotations

import os
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Callable, Mapping, Sequence

import numpy as np

from ..images import UnreadableImageError
from .base import FeatureExtractor
from .cache import FeatureCache

__all__ = ["FeatureResult", "default_workers", "extract_features", "read_local_file"]

#: How many batches are decoded ahead of the one being embedded.
PREFETCH_BATCHES = 2


@dataclass(frozen=True)
class FeatureResult:
    """The outcome of :func:`extract_features`.

    Attributes
    ----------
    features : numpy.ndarray
        ``(N, dim)`` float32, one row per input in input order; rows of failed images are zero.
    computed : int
        Distinct images (by content hash) embedded by the model in this call.
    cached : int
        Distinct images whose features came from the cache.
    failed : Mapping[int, str]
        Input index -> reason, for every input whose image could not be read or decoded
        (read-only). Inputs sharing a content hash share its outcome.
    """

    features: np.ndarray
    computed: int
    cached: int
    failed: Mapping[int, str] = field(default_factory=dict)


def default_workers() -> int:
    """Decoding threads used by default: half the CPUs, at least 1 and at most 4."""
    return max(1, min(4, (os.cpu_count() or 2) // 2))


def read_local_file(source: str) -> bytes:
    """Read a local file's bytes: the default ``read`` of :func:`extract_features`."""
    with open(source, "rb") as handle:
        return handle.read()


def extract_features(
    sources: Sequence[str],
    hashes: Sequence[str],
    extractor: FeatureExtractor,
    *,
    batch_size: int = 32,
    cache: FeatureCache | None = None,
    read: Callable[[str], bytes] | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> FeatureResult:
    """Compute one feature vector per image, reusing and filling the cache.

    Only content hashes missing from ``cache`` are embedded, each once however many inputs share
    it (the first such source is read). Reading, :meth:`FeatureExtractor.decode` and
    :meth:`FeatureExtractor.preprocess` run in ``workers`` threads, up to
    :data:`PREFETCH_BATCHES` batches ahead of the model, so that they overlap with
    :meth:`FeatureExtractor.embed`; they write straight into the batch's array, so nothing is
    copied between model calls. New vectors are written to the cache after every batch, by a
    thread of their own beside the model, so an interrupted run keeps its work; every write has
    finished when this returns, and a failed write raises.

    Parameters
    ----------
    sources : sequence of str
        Where each image is, as understood by ``read``.
    hashes : sequence of str
        Each image's content hash (sha256 hex from the manifest), same length as ``sources``.
    extractor : FeatureExtractor
        The model (see :func:`~tsne_assets.core.features.get_extractor`).
    batch_size : int, default 32
        Images per model call.
    cache : FeatureCache, optional
        Where features are looked up and stored under ``extractor.cache_key``.
    read : callable, optional
        ``read(source) -> bytes``; default :func:`read_local_file`. Called from worker threads.
    progress : callable, optional
        Called with a number of inputs finished each time some are: first for those served from
        the cache, then after every batch (duplicates and failures included). The increments
        sum to ``len(sources)``, as ``tqdm.update`` expects.
    workers : int, optional
        Decoding threads; default :func:`default_workers` (half the CPUs, 1 to 4): decoding
        is cheaper than inference, and more threads only take CPU from the model.

    Returns
    -------
    FeatureResult

    Raises
    ------
    ValueError
        If ``sources`` and ``hashes`` differ in length or a parameter is out of range.
    OSError
        Or whatever else a cache write raises, once the batch in hand is embedded.
    """
    if len(sources) != len(hashes):
        raise ValueError(f"got {len(sources)} sources but {len(hashes)} hashes")
    if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    if workers is None:
        workers = default_workers()
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
        raise ValueError(f"workers must be a positive integer, got {workers!r}")
    if not isinstance(extractor, FeatureExtractor):
        raise TypeError(f"extractor must be a FeatureExtractor, got {type(extractor).__name__}")
    read = read or read_local_file
    report = progress or (lambda n: None)

    rows_by_hash: dict[str, list[int]] = {}
    for index, content_hash in enumerate(hashes):
        if not isinstance(content_hash, str) or not content_hash:
            raise ValueError(f"hash at index {index} must be a non-empty string, got {content_hash!r}")
        rows_by_hash.setdefault(content_hash, []).append(index)

    features = np.zeros((len(sources), extractor.dim), dtype=np.float32)
    failed: dict[int, str] = {}

    found = cache.get_many(extractor.cache_key, rows_by_hash) if cache is not None else {}
    found = {h: v for h, v in found.items() if v.shape == (extractor.dim,)}
    for content_hash, vector in found.items():
        features[rows_by_hash[content_hash]] = vector
    if found:
        report(sum(len(rows_by_hash[h]) for h in found))

    todo = [h for h in rows_by_hash if h not in found]
    batches = [todo[start : start + batch_size] for start in range(0, len(todo), batch_size)]

    def load(content_hash: str, pixels: np.ndarray, row: int) -> None:
        source = sources[rows_by_hash[content_hash][0]]
        pixels[row] = extractor.preprocess(extractor.decode(read(source)))

    def submit(batch: list[str]) -> tuple[np.ndarray, list[Future]]:
        # Workers write straight into the batch's array: no stacking between model calls.
        pixels = np.empty((len(batch), *extractor.input_size, 3), extractor.input_dtype)
        return pixels, [pool.submit(load, h, pixels, row) for row, h in enumerate(batch)]

    computed = 0
    writes: deque[Future] = deque()
    with (
        ThreadPoolExecutor(workers, thread_name_prefix="decode") as pool,
        ThreadPoolExecutor(1, thread_name_prefix="feature-cache") as writer,
    ):
        pending: deque[tuple[np.ndarray, list[Future]]] = deque()
        submitted = 0
        for batch in batches:
            while submitted < len(batches) and len(pending) <= PREFETCH_BATCHES:
                pending.append(submit(batches[submitted]))
                submitted += 1
            pixels, futures = pending.popleft()
            rows = []
            for row, (content_hash, future) in enumerate(zip(batch, futures)):
                reason = _failure(future)
                if reason is None:
                    rows.append(row)
                else:
                    failed.update(dict.fromkeys(rows_by_hash[content_hash], reason))
            if rows:
                vectors = extractor.embed(pixels if len(rows) == len(batch) else pixels[rows])
                done = [batch[row] for row in rows]
                for content_hash, vector in zip(done, vectors):
                    features[rows_by_hash[content_hash]] = vector
                if cache is not None:  # written beside the model, not between its calls
                    writes.append(writer.submit(cache.put_many, extractor.cache_key, dict(zip(done, vectors))))
                computed += len(done)
            while writes and writes[0].done():
                writes.popleft().result()  # a failed write stops the run early
            report(sum(len(rows_by_hash[h]) for h in batch))
    for write in writes:
        write.result()

    return FeatureResult(
        features=features,
        computed=computed,
        cached=len(found),
        failed=MappingProxyType(dict(sorted(failed.items()))),
    )


def _failure(future: Future) -> str | None:
    """Why a decoding job failed (an unreadable image or file), or None if it succeeded; any
    other exception is raised."""
    try:
        future.result()
    except UnreadableImageError as error:
        return error.reason
    except OSError as error:
        return f"cannot read: {error.strerror or error}"
    return None
