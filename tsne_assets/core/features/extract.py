"""Batched feature extraction: decoding in worker threads overlapped with model inference."""

from __future__ import annotations

import os
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Callable, Mapping, Sequence

import numpy as np

from ..images import UnreadableImageError, open_rgb
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
    it (the first such source is read). Reading, decoding (:func:`~tsne_assets.core.images.open_rgb`)
    and :meth:`FeatureExtractor.preprocess` run in ``workers`` threads, up to
    :data:`PREFETCH_BATCHES` batches ahead of the model, so that they overlap with
    :meth:`FeatureExtractor.embed`. New vectors are written to the cache after every batch, so an
    interrupted run keeps its work.

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

    def load(content_hash: str) -> np.ndarray:
        source = sources[rows_by_hash[content_hash][0]]
        # JPEGs decode at reduced scale, never below twice the model's input: ample for its
        # resize, and several times faster on large photos.
        return extractor.preprocess(open_rgb(read(source), min_size=2 * max(extractor.input_size)))

    computed = 0
    with ThreadPoolExecutor(workers, thread_name_prefix="decode") as pool:
        pending: deque[list[Future]] = deque()
        submitted = 0
        for batch in batches:
            while submitted < len(batches) and len(pending) <= PREFETCH_BATCHES:
                pending.append([pool.submit(load, h) for h in batches[submitted]])
                submitted += 1
            futures = pending.popleft()
            arrays, done = [], []
            for content_hash, future in zip(batch, futures):
                try:
                    arrays.append(future.result())
                    done.append(content_hash)
                except UnreadableImageError as error:
                    failed.update(dict.fromkeys(rows_by_hash[content_hash], error.reason))
                except OSError as error:
                    reason = f"cannot read: {error.strerror or error}"
                    failed.update(dict.fromkeys(rows_by_hash[content_hash], reason))
            if arrays:
                vectors = extractor.embed(np.stack(arrays))
                for content_hash, vector in zip(done, vectors):
                    features[rows_by_hash[content_hash]] = vector
                if cache is not None:
                    cache.put_many(extractor.cache_key, dict(zip(done, vectors)))
                computed += len(done)
            report(sum(len(rows_by_hash[h]) for h in batch))

    return FeatureResult(
        features=features,
        computed=computed,
        cached=len(found),
        failed=MappingProxyType(dict(sorted(failed.items()))),
    )
