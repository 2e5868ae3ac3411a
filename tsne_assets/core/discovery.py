"""Collections found in an images root (one subfolder each) and fingerprints of their inputs.

A fingerprint summarises what a build reads, from listings alone (names, sizes, and ETags on
object stores or modification times on disks), never by reading contents, and the spec it
builds with: it changes when an image is added, removed or replaced, the metadata CSV changes
or the spec does, and costs one listing.
Folder names become partition keys in the alphabet of :data:`~.spec_values.COLLECTION_ID_PATTERN`.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import fsspec

from .manifest import resolve_source
from .spec import CollectionSpec
from .spec_values import COLLECTION_ID_PATTERN
from .storage import storage_options

#: The metadata CSV picked when a folder holds several CSV files.
METADATA_NAME = "metadata.csv"
_KEY_LENGTH = 128


@dataclass(frozen=True, order=True)
class FileStamp:
    """One file as a listing describes it."""

    #: Path relative to the listed folder, with ``/`` separators.
    path: str
    size: int
    #: The ETag where the store gives one, else the modification time.
    stamp: str


@dataclass(frozen=True)
class FolderCollection:
    """A subfolder of the images root, as a collection to build."""

    folder: str
    key: str
    spec: CollectionSpec
    #: The fingerprint of the folder's files (see :func:`build_fingerprint` for a build's).
    fingerprint: str
    files: int


@dataclass(frozen=True)
class Discovery:
    """What :func:`discover_collections` found: collections, and problems worth reporting."""

    collections: list[FolderCollection] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _stamp(path: str, info: Mapping[str, Any]) -> FileStamp:
    etag = info.get("ETag") or info.get("etag")
    stamp = str(etag).strip('"') if etag else repr(info.get("mtime") or info.get("LastModified") or info.get("created"))
    return FileStamp(path, int(info.get("size") or 0), stamp)


def _visible(relative: str) -> bool:
    """Hidden files and folders (``.DS_Store``, ``.git/``...) are no part of a collection."""
    return not any(part.startswith(".") for part in relative.split("/"))


def fingerprint(files: Iterable[FileStamp]) -> str:
    """A hex digest of the stamps, independent of their order."""
    digest = hashlib.sha256()
    for item in sorted(files):
        digest.update(f"{item.path}\0{item.size}\0{item.stamp}\n".encode())
    return digest.hexdigest()


def build_fingerprint(files_fingerprint: str, spec: CollectionSpec) -> str:
    """The fingerprint of a build: its files' fingerprint and the spec's digest."""
    return hashlib.sha256(f"{files_fingerprint}\0{spec.digest()}".encode()).hexdigest()


def spec_fingerprint(spec: CollectionSpec, endpoint_url: str | None = None) -> str:
    """The fingerprint of building ``spec``: its image source, metadata CSV and the spec itself.

    For a folder that holds its CSV (as the sensor's folders do) it equals
    ``build_fingerprint(folder.fingerprint, spec)`` of the folder found by
    :func:`discover_collections`. Raises FileNotFoundError like the manifest.
    """
    options = storage_options(spec.images, endpoint_url)
    fs, _ = fsspec.core.url_to_fs(spec.images, **options)
    fs.invalidate_cache()
    source = resolve_source(spec.images, storage_options=options)
    wanted = set(source.files)
    listing = source.fs.find(source.root, detail=True)
    stamps = [_stamp(source.relative_id(name), info) for name, info in listing.items() if name in wanted]
    if spec.metadata:
        meta_fs, meta_path = fsspec.core.url_to_fs(spec.metadata, **storage_options(spec.metadata, endpoint_url))
        if meta_path not in wanted:
            stamps.append(_stamp(f"\0metadata:{spec.metadata}", meta_fs.info(meta_path)))
    return build_fingerprint(fingerprint(stamps), spec)


def safe_collection_id(name: str) -> str:
    """A partition key for the folder ``name``: the name itself when it is already valid,
    else its ASCII transliteration with every run of other characters (spaces, dots, commas,
    slashes...) turned into ``-``; ``collection-<hash>`` when nothing is left."""
    if COLLECTION_ID_PATTERN.match(name):
        return name
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    key = re.sub(r"[^A-Za-z0-9_]+", "-", ascii_name).strip("-_")[:_KEY_LENGTH].rstrip("-_")
    return key or "collection-" + hashlib.sha256(name.encode()).hexdigest()[:10]


def assign_keys(names: Iterable[str], owners: Mapping[str, str] | None = None) -> tuple[dict[str, str], list[str]]:
    """Partition keys for folder ``names``, and a message for each folder left without one.

    When several folders map to the same key, the folder that owned it before (``owners``:
    key to folder name) keeps it, else the first name in sorted order; the others are reported.
    """
    owners = owners or {}
    claims: dict[str, list[str]] = {}
    for name in sorted(names):
        claims.setdefault(safe_collection_id(name), []).append(name)
    keys, problems = {}, []
    for key, claimants in claims.items():
        winner = owners[key] if owners.get(key) in claimants else claimants[0]
        keys[winner] = key
        for loser in claimants:
            if loser != winner:
                problems.append(
                    f"folder {loser!r} maps to the collection id {key!r} of folder {winner!r}; rename one of them"
                )
    return keys, problems


def _metadata_file(files: list[FileStamp]) -> tuple[str | None, str | None]:
    """The CSV among a folder's top-level files, and a problem when the choice is ambiguous."""
    csvs = sorted(f.path for f in files if "/" not in f.path and f.path.lower().endswith(".csv"))
    if METADATA_NAME in csvs or len(csvs) == 1:
        return (METADATA_NAME if METADATA_NAME in csvs else csvs[0]), None
    if csvs:
        return None, f"several CSV files and none named {METADATA_NAME} ({', '.join(csvs)}): built without metadata"
    return None, None


def discover_collections(
    images_root: str, endpoint_url: str | None = None, *, owners: Mapping[str, str] | None = None
) -> Discovery:
    """Every non-hidden subfolder of ``images_root`` (local or ``s3://``) holding files.

    One listing of the whole root (S3 through ``endpoint_url`` where given). Each folder's
    spec reads every image below it and the folder's metadata CSV (``metadata.csv``, or its
    only top-level ``*.csv``) with the default columns (``filename``, ``title``, ``url``).
    ``owners`` settles key collisions (:func:`assign_keys`). Files directly in the root are
    ignored.
    """
    fs, root = fsspec.core.url_to_fs(images_root, **storage_options(images_root, endpoint_url))
    root = root.rstrip("/")
    fs.invalidate_cache()
    if not fs.isdir(root):
        return Discovery(problems=[f"the images root {images_root!r} does not exist"])
    folders: dict[str, list[FileStamp]] = {}
    for name, info in fs.find(root, detail=True).items():
        relative = posixpath.relpath(name, root)
        if "/" in relative and _visible(relative):
            folder, rest = relative.split("/", 1)
            folders.setdefault(folder, []).append(_stamp(rest, info))

    keys, problems = assign_keys(folders, owners)
    base = images_root.rstrip("/")
    found = []
    for folder, key in sorted(keys.items(), key=lambda item: item[1]):
        files = folders[folder]
        metadata, problem = _metadata_file(files)
        if problem:
            problems.append(f"folder {folder!r}: {problem}")
        csv = f"{base}/{folder}/{metadata}" if metadata else None
        spec = CollectionSpec(id=key, images=f"{base}/{folder}", metadata=csv)
        found.append(FolderCollection(folder, key, spec, fingerprint(files), len(files)))
    return Discovery(found, problems)
