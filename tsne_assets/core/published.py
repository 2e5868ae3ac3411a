"""The collections published under ``<root>/site`` (:mod:`.site` writes them): what ``serve``'s
index page lists."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from .deepzoom import PREVIEW_NAME, files_folder, read_dzi, single_tile_level
from .iiif.map_manifest import MANIFEST_NAME
from .site import POINTER_NAME, VERSIONS, as_path, read_pointer
from .storage import AnyPath, list_children
from .viewer_data import METADATA_NAME, dzi_name

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PublishedCollection:
    """One collection found under ``<root>/site`` by :func:`list_published`."""

    id: str
    title: str
    images: int
    version: str
    #: URL path of a preview image relative to the site root (``<id>/versions/<v>/...``), or None.
    preview: str | None
    #: Whom to credit and the images' licence, as the metadata says (plain text), or "".
    credit: str = ""
    license: str = ""
    #: URL path of the map's IIIF manifest relative to the site root, or None when it has none.
    manifest: str | None = None


def _single_tile_preview(dzi: AnyPath) -> str | None:
    """Relative path of the deepest DZI tile that holds the whole image, or None when the
    descriptor cannot be read."""
    try:
        descriptor = read_dzi(dzi)
    except (OSError, ValueError):
        return None
    level = single_tile_level(descriptor.width, descriptor.height, descriptor.tile_size)
    return f"{files_folder(dzi.name)}/{level}/0_0.{descriptor.format}"


def list_published(site_root: AnyPath | str) -> list[PublishedCollection]:
    """Every collection published under ``site_root`` (``<root>/site``), sorted by id."""
    root = as_path(site_root)
    found = []
    for child in sorted(list_children(root), key=lambda p: p.name):
        if not (child / POINTER_NAME).is_file():
            continue
        try:
            version = read_pointer(child)
            vdir = child / VERSIONS / version
            meta = json.loads((vdir / METADATA_NAME).read_text(encoding="utf-8"))
            images = len((meta.get("items") or {}).get("id") or [])
            title = str(meta.get("title") or meta.get("collection") or child.name)
            if (vdir / PREVIEW_NAME).is_file():
                preview_rel: str | None = PREVIEW_NAME
            else:
                preview_rel = _single_tile_preview(vdir / dzi_name(meta))
            preview = f"{child.name}/{VERSIONS}/{version}/{preview_rel}" if preview_rel else None
        except (OSError, ValueError, TypeError, KeyError) as exc:
            log.warning("skipping %s: %s", child, exc)
            continue
        identity = {key: str(meta.get(key) or "") for key in ("credit", "license")}
        manifest = f"{child.name}/{VERSIONS}/{version}/{MANIFEST_NAME}" if (vdir / MANIFEST_NAME).is_file() else None
        found.append(PublishedCollection(child.name, title, images, version, preview, **identity, manifest=manifest))
    return found
