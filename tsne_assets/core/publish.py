"""Copy a collection's published viewer to a static-website bucket (S3 or S3-compatible).

The source is ``<root>/site/<id>/`` (see :mod:`.site`): the app, ``current.json`` and the
version it points to. Every object gets its Content-Type and Cache-Control header from
:mod:`.web`: versioned and content-hashed paths (tiles, the DZI, the preview, the app's
``viewer/`` assets) never change, so browsers and CDNs may keep them for a year; the page, the
pointer and the metadata are revalidated after a minute. A re-publish uploads only files whose MD5 differs from the
bucket's ETag, switches ``current.json`` last, then removes objects that belong to neither the
new version nor the one the bucket served before (visitors mid-visit keep working).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import s3fs
from upath import UPath

from .site import POINTER_NAME, VERSIONS, read_pointer
from .storage import AnyPath, walk_files
from .viewer_data import METADATA_NAME
from .web import cache_control, content_type

__all__ = ["PublishReport", "publish_viewer"]


@dataclass(frozen=True)
class PublishReport:
    """What :func:`publish_viewer` did, with keys relative to the destination prefix."""

    destination: str
    version: str
    uploaded: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]


def _split_destination(destination: str) -> str:
    if not destination.startswith("s3://") or len(destination) <= len("s3://"):
        raise ValueError(f"the destination must be s3://bucket[/prefix], not {destination!r}")
    return destination[len("s3://") :].strip("/")


def _published_files(site: AnyPath, version: str) -> dict[str, AnyPath]:
    """Relative key -> source file, for the app, the pointer and the current version: the
    regular files that publishing the site wrote. Links (to files or folders) are never
    followed, so nothing outside ``site`` is read; dot files are left out."""
    files = {}
    for key, path in walk_files(site):
        parts = key.split("/")
        if parts[0] == VERSIONS and parts[1:2] != [version]:
            continue
        if any(part.startswith(".") for part in parts):
            continue  # temporary files of an interrupted local write
        files[key] = path
    return files


def _etags(fs: s3fs.S3FileSystem, prefix: str) -> dict[str, str]:
    """Relative key -> ETag (without quotes) of every object under ``prefix``."""
    try:
        listing = fs.find(prefix, detail=True)
    except FileNotFoundError:
        return {}
    return {path[len(prefix) + 1 :]: str(info.get("ETag", "")).strip('"') for path, info in listing.items()}


def _previous_version(fs: s3fs.S3FileSystem, prefix: str) -> str | None:
    try:
        return read_pointer(UPath(f"s3://{prefix}", **fs.storage_options))
    except (FileNotFoundError, ValueError):
        return None


def publish_viewer(
    site_dir: UPath,
    destination: str,
    *,
    storage_options: dict[str, Any] | None = None,
    workers: int = 16,
) -> PublishReport:
    """Copy the published viewer in ``site_dir`` (``<root>/site/<id>``) to ``destination``.

    Parameters
    ----------
    site_dir : upath.UPath
        The collection's site folder, local or on object storage. Only its regular files
        are published, never what links in it point to.
    destination : str
        ``s3://bucket/prefix`` of a bucket that serves static websites.
    storage_options : dict, optional
        s3fs options for the destination, such as ``{"endpoint_url": ...}``; see
        :func:`.storage.storage_options` for its retries.
    workers : int
        Concurrent uploads.

    Raises
    ------
    FileNotFoundError
        If nothing is published in ``site_dir``.
    StorageUnavailableError
        If the destination stops answering; the bucket then still serves what it served.
    """
    prefix = _split_destination(destination)
    version = read_pointer(site_dir)
    if version is None:
        raise FileNotFoundError(f"nothing is published in {site_dir} (no {POINTER_NAME}); build the collection first")
    files = _published_files(site_dir, version)
    if f"{VERSIONS}/{version}/{METADATA_NAME}" not in files:  # a link, or removed: never point at nothing
        raise FileNotFoundError(f"{site_dir} has no {VERSIONS}/{version}/{METADATA_NAME} to publish")
    fs = s3fs.S3FileSystem(**(storage_options or {}))
    existing = _etags(fs, prefix)
    previous = _previous_version(fs, prefix)

    def upload(key: str) -> str | None:
        data = files[key].read_bytes()
        if existing.get(key) == hashlib.md5(data, usedforsecurity=False).hexdigest():
            return None
        fs.pipe_file(f"{prefix}/{key}", data, ContentType=content_type(key), CacheControl=cache_control(key))
        return key

    def upload_all(keys: Iterable[str]) -> list[str]:
        with ThreadPoolExecutor(workers) as pool:
            futures = [pool.submit(upload, key) for key in keys]
            try:
                return [key for future in futures if (key := future.result()) is not None]
            except BaseException:
                pool.shutdown(cancel_futures=True)  # the first error ends the publish: none queued starts
                raise

    # The version and the app's assets, then the page that names them, then the switch.
    last = [key for key in ("index.html", POINTER_NAME) if key in files]
    uploaded = upload_all([key for key in files if key not in last])
    for key in last:
        uploaded += upload_all([key])

    keep = set(files) | {key for key in existing if previous and key.startswith(f"{VERSIONS}/{previous}/")}
    removed = sorted(key for key in existing if key not in keep)
    if removed:
        fs.rm([f"{prefix}/{key}" for key in removed])
    return PublishReport(destination, version, tuple(sorted(uploaded)), len(files) - len(uploaded), tuple(removed))
