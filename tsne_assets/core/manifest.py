"""The image manifest: every file of a collection's image source, readable or not, and why.

The source is a folder (every file below it) or a glob (``*``, ``?``, ``[...]`` and recursive
``**``), on local disk or any fsspec filesystem such as S3. Each file is read once: its bytes
are hashed and fully decoded, so that truncated files are caught here rather than half-way
through feature extraction.

Only files inside the source's root are read: a link (file or folder) whose target lies
outside it is listed as skipped, unless links outside are explicitly allowed. Files whose
names start with a dot are listed as skipped too; folders whose names start with a dot
(``.git``, ``.thumbnails``) are tools' state, not part of the collection, and are left out.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import fsspec
import pandas as pd

from .images import DEFAULT_MAX_PIXELS, UnreadableImageError, probe

#: Columns of the manifest table, in order. ``frames`` counts a file's frames or pages (0 when
#: unreadable); only the first is used.
MANIFEST_COLUMNS = [
    "id", "path", "bytes", "sha256", "width", "height", "frames", "readable", "reason", "duplicate_of",
]

#: Reasons for files that are listed but never read.
HIDDEN_FILE = "hidden file (name starts with a dot)"
LINK_OUTSIDE = "link outside the collection"

_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class ImageSource:
    """A resolved image source: a filesystem, the root that ids are relative to, the files to
    read, and the files left unread with the reason (``skipped``: path to reason)."""

    fs: fsspec.AbstractFileSystem
    root: str
    files: list[str]
    skipped: dict[str, str] = field(default_factory=dict)

    def relative_id(self, path: str) -> str:
        return posixpath.relpath(path, self.root) if self.root else path

    def url(self, path: str) -> str:
        """A location that :func:`fsspec.open` (and so ``read_bytes``) can open."""
        return self.fs.unstrip_protocol(path) if _has_protocol(self.fs) else path


def _has_protocol(fs: fsspec.AbstractFileSystem) -> bool:
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    return protocol not in ("file", "local")


def resolve_source(
    images: str,
    *,
    exclude: Iterable[str] = (),
    storage_options: dict[str, Any] | None = None,
    follow_links_outside: bool = False,
) -> ImageSource:
    """List the files of ``images`` (a folder or a glob), sorted, and those to leave unread.

    An existing folder is a folder even when its name has glob characters. ``exclude`` names
    files to leave out, such as the metadata CSV kept beside the images. Hidden files and, on
    local disk, links whose target lies outside the root are ``skipped`` with their reason;
    ``follow_links_outside`` reads such links instead, and searches linked folders (with a
    folder source; a glob does not search linked folders).
    Raises :class:`FileNotFoundError` when the folder does not exist or the glob matches nothing.
    """
    fs, path = fsspec.core.url_to_fs(images, **(storage_options or {}))
    path = path.rstrip("/") or "/"
    excluded = {fsspec.core.url_to_fs(name, **(storage_options or {}))[1] for name in exclude}
    if fs.isdir(path):  # before globbing: a folder may be called "Photos [2020]"
        root, found = path, fs.find(path)  # fsspec lists a linked folder as one entry
    elif any(char in path for char in _GLOB_CHARS):
        root = _glob_root(path)
        found = [p for p in fs.glob(path) if not fs.isdir(p)]
        if not found:
            raise FileNotFoundError(f"the image pattern {images!r} matches no files")
    else:
        raise FileNotFoundError(f"the image source {images!r} is neither a folder nor a glob that exists")
    sorter = _Sorter(fs, root, follow_links_outside)
    sorter.visit_all(p for p in found if p not in excluded)
    return ImageSource(fs=fs, root=root, files=sorted(sorter.files), skipped=dict(sorted(sorter.skipped.items())))


class _Sorter:
    """Sorts listed paths into files to read and files ``skipped`` (path to reason), following
    linked folders outside the root when allowed (each real folder once, so loops end)."""

    def __init__(self, fs: fsspec.AbstractFileSystem, root: str, follow_links_outside: bool):
        self.fs, self.root, self.follow = fs, root, follow_links_outside
        self.local = not _has_protocol(fs)
        self.real_root = os.path.realpath(root) if self.local else root
        self.seen = {self.real_root}
        self.files: list[str] = []
        self.skipped: dict[str, str] = {}

    def visit_all(self, paths: Iterable[str]) -> None:
        for path in paths:
            self.visit(path)

    def visit(self, path: str) -> None:
        *folders, name = posixpath.relpath(path, self.root).split("/")
        if any(folder.startswith(".") for folder in folders):
            return
        if name.startswith("."):
            self.skipped[path] = HIDDEN_FILE
            return
        if not self.local:  # object stores have no links
            self.files.append(path)
            return
        real = os.path.realpath(path)
        inside = os.path.commonpath([real, self.real_root]) == self.real_root
        if not inside and not self.follow:
            self.skipped[path] = LINK_OUTSIDE
        elif not os.path.isdir(real):
            self.files.append(path)
        elif not inside and real not in self.seen:  # a folder linked from inside is listed where it lies
            self.seen.add(real)
            self.visit_all(posixpath.join(path, posixpath.relpath(p, real)) for p in self.fs.find(real))


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
    """Read, hash and decode every file of ``source``; one row per file (``MANIFEST_COLUMNS``),
    in path order, the files ``source`` skipped included.

    ``readable`` is False for skipped, empty, truncated, corrupt, non-image files and files
    over ``max_pixels`` pixels, with ``reason`` saying why; such files never stop the manifest.
    ``duplicate_of`` names the first file (by id) with the same content, for files that repeat
    another one. ``width``/``height`` are the upright size, after EXIF orientation; ``progress``
    is called with 1 after each file read.

    Raises :class:`ValueError` ("no readable images in ...") when no file is readable.
    """

    def row_of(path: str, reason: str = "") -> dict[str, Any]:
        return {
            "id": source.relative_id(path), "path": source.url(path), "bytes": 0, "sha256": "", "width": 0,
            "height": 0, "frames": 0, "readable": False, "reason": reason, "duplicate_of": "",
        }

    def inspect(path: str) -> dict[str, Any]:
        row = row_of(path)
        try:
            data = source.fs.cat_file(path)
        except OSError as error:
            row["reason"] = f"cannot read file: {error}"
            return row
        row["bytes"] = len(data)
        row["sha256"] = hashlib.sha256(data).hexdigest()
        try:
            info = probe(data, max_pixels=max_pixels)
        except UnreadableImageError as error:
            row["reason"] = error.reason
            return row
        row.update(width=info.width, height=info.height, frames=info.frames, readable=True)
        return row

    rows = [row_of(path, reason) for path, reason in source.skipped.items()]
    # Decoding releases the GIL in Pillow and libvips, and reading from S3 is I/O bound: threads pay off.
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for row in pool.map(inspect, source.files):
            rows.append(row)
            if progress is not None:
                progress(1)
    manifest = pd.DataFrame(sorted(rows, key=lambda row: row["path"]), columns=MANIFEST_COLUMNS).astype(
        {"bytes": "int64", "width": "int64", "height": "int64", "frames": "int64", "readable": "bool"}
    )
    if not manifest["readable"].any():
        raise ValueError(_nothing_readable(source, manifest))
    return mark_duplicates(manifest)


def _nothing_readable(source: ImageSource, manifest: pd.DataFrame) -> str:
    """The one-line message for a source without a readable image, with the first reasons."""
    message = f"no readable images in {source.url(source.root)}"
    if manifest.empty:
        return f"{message}: it holds no files"
    examples = "; ".join(f"{row.id}: {row.reason}" for row in manifest.head(3).itertuples())
    more = f"; and {len(manifest) - 3} more" if len(manifest) > 3 else ""
    return f"{message}: {len(manifest)} files, none readable ({examples}{more})"


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
