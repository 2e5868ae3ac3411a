"""IIIF out, for the published site: the map as a IIIF level-0 image service with a
Presentation 3 manifest and the annotations of its images (``core.iiif``)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

from ...core.iiif.image_service import IIIF_FOLDER, write_image_service
from ...core.iiif.map_manifest import ANNOTATIONS_NAME, MANIFEST_NAME, map_annotations, map_manifest, service_id
from ...core.manifest import read_bytes
from ...core.site import VERSIONS
from ...core.spec import CollectionSpec
from ...core.viewer_data import dzi_name
from ..resources import StorageResource


def _sources(spec: CollectionSpec, storage: StorageResource, ids: list[str]) -> list[tuple[str, str] | None] | None:
    """Each image's source ``(canvas, manifest)`` from the harvested metadata, for IIIF builds."""
    if spec.iiif is None or spec.metadata is None:
        return None
    data = read_bytes(spec.metadata, storage.options_for(spec.metadata))
    table = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False).set_index("filename")
    found = {name: (row.canvas, row.manifest) for name, row in table[["canvas", "manifest"]].iterrows()}
    return [found.get(item) for item in ids]


def iiif_publication(
    spec: CollectionSpec, storage: StorageResource, tiles_path: str, metadata: dict, version: str, staging: Path
) -> tuple[dict[str, bytes], dict[str, Path], str]:
    """The files (manifest, annotations) and folders (the image service, written into the local
    folder ``staging``) that publish the map of ``metadata``, whose pyramid is at ``tiles_path``
    under the storage root, as IIIF in the site version ``version``, at the spec's public URL;
    and the manifest's URL."""
    base = f"{spec.public_url()}{VERSIONS}/{version}/"
    info = write_image_service(storage.path(tiles_path), dzi_name(metadata), staging, service_id(base))
    manifest = map_manifest(base, metadata, info, homepage=spec.public_url())
    annotations = map_annotations(base, metadata, _sources(spec, storage, metadata["items"]["id"]))
    files = {name: json.dumps(document, ensure_ascii=False).encode() for name, document in
             ((MANIFEST_NAME, manifest), (ANNOTATIONS_NAME, annotations))}
    return files, {IIIF_FOLDER: staging / IIIF_FOLDER}, manifest["id"]
