"""A per-image feature cache on any fsspec file system, keyed by content hash and model.

Layout: ``<root>/<model>/<hash[:2]>/<hash>.npy``, one float32 vector per file in NumPy's
``.npy`` format (read with ``allow_pickle=False``). The two-character fan-out keeps folders to
about 1/256 of the collection (a few hundred entries for 100,000 images), which local file
systems and object-store listings both handle well. Files are written whole, so a reader
never sees a half-written vector on object stores; a torn local write (a crash mid-write) reads
as corrupt and is treated as a miss, then overwritten by the next put.
"""

from __future__ import annotations

import io
import os
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Iterable, Mapping, Sequence

import numpy as np
from upath import UPath

__all__ = ["FeatureCache"]

_MODEL_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_HASH_RE = re.compile(r"[0-9a-f]{8,128}")


class FeatureCache:
    """Feature vectors by (model name, image content hash), stored as ``.npy`` files.

    Parameters
    ----------
    root : str, os.PathLike or upath.UPath
        The cache folder, local (``/data/cache/features``) or remote
        (``s3://bucket/prefix/cache/features``, ``memory://...``): anything universal-pathlib
        opens. Created lazily on the first write.
    max_workers : int, default 16
        Threads for concurrent reads and writes (they matter on object stores).

    Examples
    --------
    >>> cache = FeatureCache("memory://doc/features")
    >>> cache.put_many("m", {"0123456789abcdef": np.ones(3, np.float32)})
    >>> cache.get_many("m", ["0123456789abcdef", "fedcba9876543210"])["0123456789abcdef"]
    array([1., 1., 1.], dtype=float32)
    """

    def __init__(self, root: str | os.PathLike[str] | UPath, max_workers: int = 16):
        if not isinstance(root, (str, os.PathLike, UPath)):
            raise TypeError(f"root must be a path or UPath, got {type(root).__name__}")
        if not isinstance(max_workers, int) or max_workers < 1:
            raise ValueError(f"max_workers must be a positive integer, got {max_workers!r}")
        self.root = UPath(root)
        self.max_workers = max_workers

    def __repr__(self) -> str:
        return f"FeatureCache({str(self.root)!r})"

    def path(self, model: str, content_hash: str) -> UPath:
        """The file holding ``model``'s features of the image with ``content_hash``."""
        _check_model(model)
        _check_hash(content_hash)
        return self.root / model / content_hash[:2] / f"{content_hash}.npy"

    def get_many(self, model: str, hashes: Iterable[str]) -> dict[str, np.ndarray]:
        """Look up many images at once.

        Parameters
        ----------
        model : str
            The model's cache key (``FeatureExtractor.cache_key``).
        hashes : iterable of str
            Lower-case hex content hashes (sha256 from the manifest); duplicates are fine.

        Returns
        -------
        dict of str to numpy.ndarray
            The cached 1-D float32 vectors of the hashes that are present and readable; missing
            and corrupt entries are simply absent.
        """
        unique = list(dict.fromkeys(hashes))
        paths = [self.path(model, h) for h in unique]
        found = {}
        for content_hash, vector in zip(unique, self._map(_read_vector, paths)):
            if vector is not None:
                found[content_hash] = vector
        return found

    def put_many(self, model: str, mapping: Mapping[str, np.ndarray]) -> None:
        """Store many vectors at once, replacing existing entries.

        Parameters
        ----------
        model : str
            The model's cache key.
        mapping : mapping of str to array-like
            Content hash -> 1-D feature vector (stored as float32).
        """
        items = []
        for content_hash, vector in mapping.items():
            array = np.asarray(vector, dtype=np.float32)
            if array.ndim != 1:
                raise ValueError(f"feature vectors must be 1-D, got shape {array.shape} for {content_hash}")
            items.append((self.path(model, content_hash), array))
        for folder in {path.parent.path: path.parent for path, _ in items}.values():
            folder.mkdir(parents=True, exist_ok=True)
        list(self._map(_write_vector, items))

    def _map(self, function, items: Sequence) -> Iterable:
        if len(items) <= 1:
            return map(function, items)
        with ThreadPoolExecutor(min(self.max_workers, len(items))) as pool:
            return list(pool.map(function, items))


def _check_model(model: str) -> None:
    if not isinstance(model, str) or not _MODEL_RE.fullmatch(model):
        raise ValueError(f"invalid model name for the feature cache: {model!r}")


def _check_hash(content_hash: str) -> None:
    if not isinstance(content_hash, str) or not _HASH_RE.fullmatch(content_hash):
        raise ValueError(f"invalid content hash (expected lower-case hex): {content_hash!r}")


def _read_vector(path: UPath) -> np.ndarray | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        vector = np.load(io.BytesIO(data), allow_pickle=False)
    except (ValueError, OSError, EOFError):
        return None  # torn or foreign file: a miss, overwritten by the next put
    if vector.ndim != 1 or vector.dtype != np.float32:
        return None
    return vector


def _write_vector(item: tuple[UPath, np.ndarray]) -> None:
    path, vector = item
    buffer = io.BytesIO()
    np.save(buffer, vector, allow_pickle=False)
    path.write_bytes(buffer.getvalue())
