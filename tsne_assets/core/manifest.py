"""The image manifest: every file of a collection's image source, readable or not, and why.

The source is a folder (every file below it) or a glob (``*``, ``?``, ``[...]`` and recursive
``**``), on local disk or any fsspec filesystem such as S3. Each file is read once: its bytes
are hashed and fully decoded, so that truncated files are caught here rather than half-way
through feature extraction.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import fsspec
import pandas as pd

from .images import DEFAULT_MAX_PIXELS, UnreadableImageError, upright_size

#: Columns of the manifest table, in order.
MANIFEST_COLUMNS = [
    "id", "path", "bytes", "sha256", "width", "height", "readable", "reason", "duplicate_of",
]

_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class ImageSource:
    """A resolved image source: a filesystem, the root that ids are relative to, and the files."""

    fs: fsspec.AbstractFileSystem
    root: str
    files: list[str]

    def relative_id(self, path: str) -> str:
        return posixpath.relpath(path, self.root) if self.root else path

    def url(self, path: str) -> str:
        """A location that :func:`fsspec.open` (and so ``read_bytes``) can open."""
        return self.fs.unstrip_protocol(path) if _has_protocol(self.fs) else path


def _has_protocol(fs: fsspec.AbstractFileSystem) -> bool:
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    return protocol not in ("file", "local")


def resolve_source(
    images: str, *, exclude: Iterable[str] = (), storage_options: dict[str, Any] | None = None
) -> ImageSource:
    """List the files of ``images`` (a folder or a glob), sorted, skipping hidden files.

    An existing folder is a folder even when its name has glob characters. ``exclude`` names
    files to leave out, such as the metadata CSV kept beside the images.
    Raises :class:`FileNotFoundError` when the folder does not exist or the glob matches nothing.
    """
    fs, path = fsspec.core.url_to_fs(images, **(storage_options or {}))
    path = path.rstrip("/") or "/"
    excluded = {fsspec.core.url_to_fs(name, **(storage_options or {}))[1] for name in exclude}
    if fs.isdir(path):  # before globbing: a folder may be called "Photos [2020]"
        root, found = path, fs.find(path)
    elif any(char in path for char in _GLOB_CHARS):
        root = _glob_root(path)
        found = [p for p in fs.glob(path) if not fs.isdir(p)]
        if not found:
            raise FileNotFoundError(f"the image pattern {images!r} matches no files")
    else:
        raise FileNotFoundError(f"the image source {images!r} is neither a folder nor a glob that exists")
    files = sorted(
        p for p in found
        if p not in excluded and not any(part.startswith(".") for part in posixpath.relpath(p, root).split("/"))
    )
    return ImageSource(fs=fs, root=root, files=files)


def _glob_root(pattern: str) -> str:
    """The folder part of a glob before its first wildcard: ids are relative to it."""
    parts = pattern.split("/")
    for index, part in enumerate(parts):
        if any(char in part for char in _GLOB_CHARS):
            return "/".join(parts[:index]) or "/"
    return posixpath.dirname(pattern)


def build_manifest(
    source: ImageSource,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    workers: int = 4,
    progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """Read, hash and decode every file of ``source``; one row per file (``MANIFEST_COLUMNS``).

    ``readable`` is False for empty, truncated, corrupt, non-image and oversized files, with
    ``reason`` saying why; such files never stop the manifest. ``duplicate_of`` names the
    first file (by id) with the same content, for files that repeat another one.
    ``width``/``height`` are the upright size, after EXIF orientation.
    """

    def inspect(path: str) -> dict[str, Any]:
        row: dict[str, Any] = {
            "id": source.relative_id(path), "path": source.url(path), "bytes": 0, "sha256": "",
            "width": 0, "height": 0, "readable": False, "reason": "", "duplicate_of": "",
        }
        try:
            data = source.fs.cat_file(path)
        except OSError as error:
            row["reason"] = f"cannot read file: {error}"
            return row
        row["bytes"] = len(data)
        row["sha256"] = hashlib.sha256(data).hexdigest()
        try:
            width, height = upright_size(data, max_pixels=max_pixels)
        except UnreadableImageError as error:
            row["reason"] = error.reason
            return row
        row.update(width=width, height=height, readable=True)
        return row

    rows = []
    # Decoding releases the GIL in Pillow, and reading from S3 is I/O bound: threads pay off.
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for row in pool.map(inspect, source.files):
            rows.append(row)
            if progress is not None:
                progress(1)
    manifest = pd.DataFrame(rows, columns=MANIFEST_COLUMNS).astype(
        {"bytes": "int64", "width": "int64", "height": "int64", "readable": "bool"}
    )
    return mark_duplicates(manifest)


def mark_duplicates(manifest: pd.DataFrame) -> pd.DataFrame:
    """Fill ``duplicate_of`` with the id of the first file that has the same content hash."""
    manifest = manifest.copy()
    hashed = manifest[manifest["sha256"] != ""]
    first_id = hashed.groupby("sha256")["id"].transform("first")
    repeats = first_id != hashed["id"]
    manifest.loc[repeats[repeats].index, "duplicate_of"] = first_id[repeats]
    return manifest


def read_bytes(path: str, storage_options: dict[str, Any] | None = None) -> bytes:
    """Read a manifest ``path`` (local path or URL) whole."""
    with fsspec.open(path, "rb", **(storage_options or {})) as file:
        return file.read()


def readable_images(manifest: pd.DataFrame) -> pd.DataFrame:
    """The manifest rows placed on the map, in manifest order: every readable file.

    Every stage after the manifest (metadata, features, layout, grid, tiles) is aligned to
    these rows, so that row ``i`` of each output describes the same image.
    """
    return manifest[manifest["readable"]].reset_index(drop=True)
