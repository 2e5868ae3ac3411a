"""Publish a collection's static viewer into storage (:mod:`.published` lists what is published).

Layout (docs/architecture.md)::

    <root>/site/<id>/index.html, viewer/...      the viewer app (tsne_assets/viewer_dist)
    <root>/site/<id>/current.json                {"format": 1, "path": "versions/<v>/", "image": "tiles.dzi"}
    <root>/site/<id>/versions/<v>/metadata.json, tiles.dzi, tiles_files/, preview.jpg
    <root>/site/<id>/versions/<v>/detail/<item>.dzi, detail/<item>_files/   each image's own pyramid

A publish writes the new version's files first, then the app, and switches ``current.json``
last (an atomic rename on local disks; a single object write on S3), so a visitor never sees a
half-written version: until the switch the previous version keeps serving, and a publish that
fails part-way leaves it serving. Old versions are then removed, except the current one and the
one before it (visitors who loaded the page just before the switch keep working).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from upath import UPath

from .deepzoom import PREVIEW_NAME, files_folder
from .detail import DETAIL_DZI
from .storage import (
    AnyPath,
    copy_file,
    copy_tree,
    is_local,
    local_path,
    prune_children,
    remove_after_error,
    remove_tree,
    walk_files,
    write_bytes_atomic,
    write_text_atomic,
)
from .viewer_data import METADATA_NAME, check_viewer_metadata, detail_dzi, dzi_name

#: The pointer file's format number.
POINTER_FORMAT = 1
POINTER_NAME = "current.json"
VERSIONS = "versions"
#: The page of a site, and the folder of its app's assets (content-hashed names, one level).
PAGE_NAME = "index.html"
APP_ASSETS = "viewer"
#: Versions are folder names and URL path segments.
VERSION_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_VIEWER_DIST = _PACKAGE_DIR / "viewer_dist"


class ViewerBuildMissing(FileNotFoundError):
    """The built viewer (``tsne_assets/viewer_dist``) is not there."""


@dataclass(frozen=True)
class PublishedSite:
    """What :func:`publish_site` wrote."""

    site_dir: AnyPath
    version: str
    #: The pointer's path, relative to ``site_dir``: ``versions/<version>/``.
    path: str
    images: int
    previous: str | None
    removed: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# paths


def as_path(path: AnyPath | str) -> AnyPath:
    if isinstance(path, (UPath, Path)):
        return path
    return UPath(path) if "://" in str(path) else Path(path)


def find_viewer_dist(viewer_dist: Path | None = None) -> Path:
    """The built viewer app folder, or a clear error saying how to build it."""
    dist = Path(viewer_dist) if viewer_dist is not None else DEFAULT_VIEWER_DIST
    if not (dist / "index.html").is_file():
        raise ViewerBuildMissing(
            f"the viewer is not built ({dist / 'index.html'} is missing); build it with "
            "`npm --prefix viewer ci && npm --prefix viewer run build` from the repository root"
        )
    return dist


# ---------------------------------------------------------------------------------------------
# the pointer


def read_pointer(site_dir: AnyPath | str) -> str | None:
    """The current version of a published site, or None when nothing is published."""
    path = as_path(site_dir) / POINTER_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    if data.get("format") != POINTER_FORMAT or not isinstance(data.get("path"), str):
        raise ValueError(f"{path}: unsupported pointer {data!r}")
    match = re.fullmatch(rf"{VERSIONS}/([^/]+)/", data["path"])
    if not match:
        raise ValueError(f"{path}: unexpected path {data['path']!r}")
    return match.group(1)


def map_image(metadata: dict[str, Any]) -> str:
    """The map's image a version's pointer names, relative to the version: its Deep Zoom
    descriptor, or its IIIF image service's ``info.json`` where ``metadata["image"]`` names
    that (``iiif``) and no descriptor (``dzi``)."""
    image = metadata.get("image") or {}
    return image["iiif"] if image.get("iiif") and "dzi" not in image else dzi_name(metadata)


def _pointer_text(version: str, image: str) -> str:
    # `image` (the DZI or IIIF info.json, relative to the version) lets the viewer load tiles beside the metadata.
    return json.dumps({"format": POINTER_FORMAT, "path": f"{VERSIONS}/{version}/", "image": image}) + "\n"


# ---------------------------------------------------------------------------------------------
# publishing


def publish_site(
    site_dir: AnyPath | str,
    *,
    version: str,
    tiles_dir: AnyPath | str,
    metadata: dict[str, Any],
    viewer_dist: Path | None = None,
    files: dict[str, bytes] | None = None,
    detail_dirs: Mapping[int, AnyPath] | None = None,
    folders: Mapping[str, AnyPath] | None = None,
    copies: Mapping[str, AnyPath] | None = None,
) -> PublishedSite:
    """Publish one collection's viewer into ``site_dir`` (``<root>/site/<id>``) as ``version``.

    ``tiles_dir`` holds the DZI named by ``metadata["image"]["dzi"]`` (default ``tiles.dzi``)
    with its ``<name>_files/`` folder, and optionally ``preview.jpg``. Tiles are hard-linked
    when source and destination are local (copied across devices and to or from S3).
    ``files`` are further files of the version, by path in it (such as the similar images'
    table, :data:`~tsne_assets.core.similar.SIMILAR_NAME`), written before the metadata;
    ``copies`` maps further paths in it to files copied there (hard links on one disk,
    server-side copies within one object store): the map's IIIF image service
    (:mod:`.iiif.publication`), which ``metadata["image"]["iiif"]`` then names. Where that is
    the map's only image (``image`` has no ``dzi``), the Deep Zoom pyramid is not published and
    the pointer names the service.

    ``detail_dirs`` maps the index (in ``metadata["items"]``) of each image that has its own
    pyramid to the folder holding it (:data:`~tsne_assets.core.detail.DETAIL_DZI` and its
    tiles, see :mod:`.detail`); they are published into the version as ``detail/<index>.dzi``
    and must be exactly the images whose ``metadata["detail"]`` size is not 0.

    ``folders`` are further folders of the version, by name, copied into it before the
    metadata.
    """
    site = as_path(site_dir)
    tiles = as_path(tiles_dir)
    if not VERSION_PATTERN.match(version):
        raise ValueError(f"version {version!r} must be letters, digits, '.', '_' and '-'")
    images = check_viewer_metadata(metadata)
    dist = find_viewer_dist(viewer_dist)

    metadata = dict(metadata)
    image = dict(metadata.get("image") or {})
    dzi = dzi_name(metadata)
    if "/" in dzi or "\\" in dzi or not dzi.endswith(".dzi"):
        raise ValueError(f"image.dzi must be a file name ending in .dzi, not {dzi!r}")
    service, pointed = image.get("iiif"), map_image(metadata)
    with_dzi = pointed == dzi
    if with_dzi:
        image["dzi"] = dzi
    metadata["image"] = image
    files_name = files_folder(dzi)
    if not (tiles / dzi).is_file() or not (tiles / files_name).is_dir():
        raise FileNotFoundError(f"{tiles} has no {dzi} and {files_name}/")
    detail_dirs = dict(detail_dirs or {})
    widths = (metadata.get("detail") or {}).get("width") or []
    if {i for i, w in enumerate(widths) if w} != set(detail_dirs):
        raise ValueError("detail_dirs must name exactly the images whose metadata detail size is not 0")

    names = [*(files or {}), *(folders or {}), *(copies or {})]
    if any(not _inner_path(name) or name in (METADATA_NAME, dzi) for name in names) or (service and service not in names):
        raise ValueError(f"files, folders and copies must be other paths inside the version, the image service among them, not {sorted(names)}")
    previous = read_pointer(site)
    version_dir = site / VERSIONS / version
    republish = previous == version
    if not republish and version_dir.exists():
        remove_tree(version_dir)  # the leftovers of a publish that failed

    try:
        if with_dzi:
            copy_tree(tiles / files_name, version_dir / files_name)
            copy_file(tiles / dzi, version_dir / dzi)
        _copy_detail(detail_dirs, version_dir)
        _copy_files(copies or {}, version_dir)
        if (tiles / PREVIEW_NAME).is_file():
            copy_file(tiles / PREVIEW_NAME, version_dir / PREVIEW_NAME, link=True)
        for name, folder in (folders or {}).items():
            copy_tree(as_path(folder), version_dir / name)
        for name, data in (files or {}).items():
            write_bytes_atomic(version_dir / name, data)
        write_text_atomic(
            version_dir / METADATA_NAME,
            json.dumps(metadata, ensure_ascii=False, separators=(",", ":")),
        )
        # The app: hashed assets first, then the page that names them.
        for rel, path in walk_files(dist):
            if rel != "index.html":
                copy_file(path, site / rel)
        write_text_atomic(site / "index.html", (dist / "index.html").read_text(encoding="utf-8"))
    except BaseException:
        if not republish:
            remove_after_error(version_dir)
        raise

    # The switch: last, so that everything it points to is complete.
    write_text_atomic(site / POINTER_NAME, _pointer_text(version, pointed))

    removed = prune_children(site / VERSIONS, {version} | ({previous} if previous else set()))
    _prune_app_assets(site, dist)
    return PublishedSite(
        site_dir=site,
        version=version,
        path=f"{VERSIONS}/{version}/",
        images=images,
        previous=previous if previous != version else None,
        removed=tuple(removed),
    )


def _inner_path(name: str) -> bool:
    """Whether ``name`` is a relative path that stays inside the folder it is taken in."""
    return "\\" not in name and all(part not in ("", ".", "..") for part in name.split("/"))


def _copy_files(copies: Mapping[str, AnyPath], version_dir: AnyPath) -> None:
    """Copy each file to its path in the version: one after the other on a local disk (hard
    links, whose folders cost more than the threads would save), several at once on object
    storage (see :func:`_copy_detail`)."""

    def copy(name: str) -> None:
        copy_file(copies[name], version_dir / name, link=True)

    if is_local(version_dir):
        for name in copies:
            copy(name)
        return
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in pool.map(copy, copies):  # the first error is raised
            pass


def _copy_detail(detail_dirs: dict[int, AnyPath], version_dir: AnyPath) -> None:
    """Copy each image's pyramid into the version, descriptor after tiles; several at once,
    since on object storage each is many small server-side copies."""

    def copy(item: int) -> None:
        source, target = detail_dirs[item], version_dir / detail_dzi(item)
        copy_tree(source / files_folder(DETAIL_DZI), target.parent / files_folder(target.name))
        copy_file(source / DETAIL_DZI, target, link=True)

    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in pool.map(copy, sorted(detail_dirs)):  # the first error is raised
            pass


def _prune_app_assets(site: AnyPath, dist: Path) -> None:
    """Remove app asset files of earlier viewer builds (their names are content hashes)."""
    wanted = {rel for rel, _ in walk_files(dist)}
    asset_dirs = {rel.split("/", 1)[0] for rel in wanted if "/" in rel}
    for folder in asset_dirs:
        if folder == VERSIONS:
            continue
        for rel, path in list(walk_files(site / folder)):
            if f"{folder}/{rel}" not in wanted:
                if is_local(path):
                    local_path(path).unlink(missing_ok=True)
                else:
                    path.unlink()
