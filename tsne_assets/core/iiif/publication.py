"""IIIF out for a site version: the map's level-0 image service (the Deep Zoom tiles under IIIF
names, :mod:`.image_service`), its Presentation 3 manifest and the annotations of its images
(:mod:`.map_manifest`), as the files and copies :func:`~tsne_assets.core.site.publish_site`
writes into the version before its pointer switches."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..deepzoom import read_dzi
from ..storage import AnyPath
from ..viewer_data import dzi_name
from .image_service import IIIF_FOLDER, INFO_NAME, service_info, service_tiles
from .map_manifest import ANNOTATIONS_NAME, MANIFEST_NAME, map_annotations, map_manifest, service_id
from .source_images import source_canvases

#: The service's descriptor in a version: what the pointer names where a site publishes IIIF only.
SERVICE_INFO = f"{IIIF_FOLDER}/{INFO_NAME}"


@dataclass(frozen=True)
class IIIFPublication:
    """``files``: the manifest, its annotations and the service's ``info.json``, by path in the
    version; ``copies``: each service tile's path in the version -> the Deep Zoom tile it is;
    ``manifest_url``: where the manifest will be served."""

    files: dict[str, bytes]
    copies: dict[str, AnyPath]
    manifest_url: str


def iiif_publication(tiles_dir: AnyPath, metadata: dict[str, Any], base: str, *, homepage: str | None = None) -> IIIFPublication:
    """The IIIF files of the map of ``metadata`` (the viewer document), whose Deep Zoom pyramid
    (without tile overlap, else ValueError) is in ``tiles_dir``, for the site version served at
    ``base`` (an absolute URL ending in ``/``); ``homepage`` is the viewer's page. The images of
    a map built from IIIF link to their source canvases, from the document's ``sources``
    (:func:`.source_images.source_canvases`)."""
    dzi = dzi_name(metadata)
    descriptor = read_dzi(tiles_dir / dzi)
    info = service_info(descriptor, service_id(base))
    copies = {f"{IIIF_FOLDER}/{name}": tiles_dir / tile for tile, name in service_tiles(descriptor, dzi)}
    manifest = map_manifest(base, metadata, info, homepage=homepage)
    annotations = map_annotations(base, metadata, source_canvases(metadata.get("sources")))
    files = {
        name: json.dumps(document, ensure_ascii=False).encode()
        for name, document in ((SERVICE_INFO, info), (MANIFEST_NAME, manifest), (ANNOTATIONS_NAME, annotations))
    }
    return IIIFPublication(files, copies, manifest["id"])


def image_section(image: dict[str, Any], map_tiles: str) -> dict[str, Any]:
    """The viewer document's ``image`` (``dzi``, ``width``, ``height``) for a site that publishes
    the map's tiles as ``map_tiles`` (:data:`~tsne_assets.core.spec_values.MAP_TILES`): with the
    image service's ``info.json`` as ``iiif`` and the map's manifest as ``manifest`` (the viewer's
    About dialog lists it) unless ``dzi``, without ``dzi`` where ``iiif``."""
    if map_tiles == "dzi":
        return image
    section = {**image, "iiif": SERVICE_INFO, "manifest": MANIFEST_NAME}
    if map_tiles == "iiif":
        del section["dzi"]
    return section
