"""Copy a collection's published viewer to a static-website bucket (S3 or S3-compatible).

The source is ``<root>/site/<id>/`` (see :mod:`.site`): the app, ``current.json`` and the
version it points to. Every object gets its Content-Type, Cache-Control and Content-Encoding
from :mod:`.web`: text is stored gzipped, since buckets never compress; versioned and
content-hashed paths (tiles, the DZI, the preview, the app's ``viewer/`` assets) never change,
so browsers and CDNs may keep them for a year; the page, the pointer and the metadata are
revalidated after a minute. A re-publish uploads only files whose MD5 (of the bytes stored)
differs from the bucket's ETag, switches ``current.json`` last, then removes objects that
belong to neither the new version nor the one the bucket served before (visitors mid-visit
keep working).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import s3fs
from upath import UPath

from .deepzoom import PREVIEW_NAME, files_folder
from .iiif.image_service import IIIF_FOLDER, INFO_NAME
from .iiif.map_manifest import ANNOTATIONS_NAME, MANIFEST_NAME
from .similar import SIMILAR_NAME
from .site import APP_ASSETS, PAGE_NAME, POINTER_NAME, VERSIONS, read_pointer
from .storage import AnyPath, walk_files
from .timeline import TIMELINE_FOLDER, TIMELINE_NAME
from .viewer_data import DETAIL_FOLDER, METADATA_NAME, dzi_name
from .web import cache_control, content_encoding, content_type

__all__ = ["PublishReport", "is_site_file", "publish_viewer"]


@dataclass(frozen=True)
class PublishReport:
    """What :func:`publish_viewer` did, with keys relative to the destination prefix."""

    destination: str
    version: str
    uploaded: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]
    #: Files in the site folder that publishing the site never writes: not published.
    skipped: tuple[str, ...] = ()


def _split_destination(destination: str) -> str:
    if not destination.startswith("s3://") or len(destination) <= len("s3://"):
        raise ValueError(f"the destination must be s3://bucket[/prefix], not {destination!r}")
    return destination[len("s3://") :].strip("/")


#: A tile below a Deep Zoom files folder: ``<level>/<column>_<row>.<format>``.
_TILE = re.compile(r"\d+/\d+_\d+\.(?:jpg|jpeg|png|webp)")
#: An image's own pyramid in a version: its descriptor ``detail/<item>.dzi`` or one of its tiles.
_DETAIL = re.compile(rf"{DETAIL_FOLDER}/(?:\d+\.dzi|\d+_files/{_TILE.pattern})")
#: The map's IIIF image service (``core.iiif.image_service``): ``info.json``, or a tile or the
#: whole image, ``<x,y,w,h or full>/<w,h or max>/0/default.<format>``.
_IIIF = re.compile(rf"{IIIF_FOLDER}/(?:{re.escape(INFO_NAME)}|(?:\d+,\d+,\d+,\d+|full)/(?:\d+,\d+|max)/0/default\.(?:jpg|png|webp))")
#: The timeline's pyramid (``core.timeline``): its descriptor or a tile.
_TIMELINE = re.compile(rf"{TIMELINE_FOLDER}/(?:tiles\.dzi|tiles_files/{_TILE.pattern})")


def is_site_file(key: str, version: str, dzi: str) -> bool:
    """Whether ``key`` (relative to a site folder) names a file that publishing version
    ``version`` writes: the page, the pointer, an app asset, or the version's metadata, Deep
    Zoom descriptor ``dzi``, preview or one of its tiles, an image's own pyramid (its
    descriptor or a tile), the map's IIIF manifest, annotations and image service, or the
    timeline's file and pyramid."""
    parts = key.split("/")
    if len(parts) == 1:
        return key in (PAGE_NAME, POINTER_NAME)
    if parts[0] == APP_ASSETS:
        return len(parts) == 2 and not parts[1].startswith(".")
    if parts[:2] != [VERSIONS, version]:
        return False
    rest, tiles = "/".join(parts[2:]), files_folder(dzi) + "/"
    return (
        rest in (METADATA_NAME, dzi, PREVIEW_NAME, SIMILAR_NAME, MANIFEST_NAME, ANNOTATIONS_NAME, TIMELINE_NAME)
        or _IIIF.fullmatch(rest) is not None
        or _TIMELINE.fullmatch(rest) is not None
        or (rest.startswith(tiles) and _TILE.fullmatch(rest[len(tiles) :]) is not None)
        or _DETAIL.fullmatch(rest) is not None
    )


def _site_files(site: AnyPath, version: str) -> tuple[dict[str, AnyPath], list[str]]:
    """Relative key -> source file of what publishing the site wrote for ``version``, and the
    keys of the other regular files found (other versions left aside). Links (to files or
    folders) are never followed, so nothing outside ``site`` is read."""
    found = dict(walk_files(site))
    metadata = found.get(f"{VERSIONS}/{version}/{METADATA_NAME}")
    dzi = dzi_name(json.loads(metadata.read_text())) if metadata is not None else ""
    files, others = {}, []
    for key, path in found.items():
        if is_site_file(key, version, dzi):
            files[key] = path
        elif not key.startswith(f"{VERSIONS}/") or key.startswith(f"{VERSIONS}/{version}/"):
            others.append(key)
    return files, sorted(others)


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
    files, skipped = _site_files(site_dir, version)
    if f"{VERSIONS}/{version}/{METADATA_NAME}" not in files:  # a link, or removed: never point at nothing
        raise FileNotFoundError(f"{site_dir} has no {VERSIONS}/{version}/{METADATA_NAME} to publish")
    fs = s3fs.S3FileSystem(**(storage_options or {}))
    existing = _etags(fs, prefix)
    previous = _previous_version(fs, prefix)

    def upload(key: str) -> str | None:
        data = files[key].read_bytes()
        encoding = content_encoding(key)
        if encoding:  # no timestamp: the same file gives the same bytes, so the ETag test holds
            data = gzip.compress(data, compresslevel=9, mtime=0)
        if existing.get(key) == hashlib.md5(data, usedforsecurity=False).hexdigest():
            return None
        headers = {"ContentType": content_type(key), "CacheControl": cache_control(key)}
        fs.pipe_file(f"{prefix}/{key}", data, **headers, **({"ContentEncoding": encoding} if encoding else {}))
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
    last = [key for key in (PAGE_NAME, POINTER_NAME) if key in files]
    uploaded = upload_all([key for key in files if key not in last])
    for key in last:
        uploaded += upload_all([key])

    keep = set(files) | {key for key in existing if previous and key.startswith(f"{VERSIONS}/{previous}/")}
    removed = sorted(key for key in existing if key not in keep)
    if removed:
        fs.rm([f"{prefix}/{key}" for key in removed])
    return PublishReport(
        destination, version, tuple(sorted(uploaded)), len(files) - len(uploaded), tuple(removed), tuple(skipped)
    )
