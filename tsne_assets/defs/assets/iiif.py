"""IIIF in and out for the assets: a spec's IIIF source harvested into its image folder and
metadata CSV for the manifest step, and the map published as IIIF by the site step
(``core.iiif``)."""

from typing import Any

import dagster as dg

from ...core.iiif import Fetcher, HttpCache, harvest, table_csv, walk
from ...core.iiif.harvest import canvas_count, left_out
from ...core.iiif.publication import IIIFPublication, iiif_publication
from ...core.site import VERSIONS
from ...core.spec import CollectionSpec
from ...core.storage import storage_path, write_bytes_atomic
from ..resources import ProgressReporter, StorageResource
from ._common import markdown_table, stopwatch

#: Metadata key of the digest of every IIIF document read: the IIIF sensor compares it.
SOURCE_FINGERPRINT = "iiif_source_fingerprint"


def harvest_source(
    context: dg.AssetExecutionContext, storage: StorageResource, progress: ProgressReporter, spec: CollectionSpec, workers: int
) -> dict[str, Any]:
    """Fetch every canvas's image of ``spec.iiif`` into ``spec.images`` and the manifests' texts
    into ``spec.metadata``, with ``workers`` requests at once; warn once per manifest, canvas
    or image left out, and return the asset metadata that lists them. Responses are cached
    with their validators under ``cache/iiif/<id>/``, so a rebuild downloads only what changed."""
    fetcher = Fetcher(HttpCache(storage.path("cache", "iiif", spec.id)), connections=workers)
    with stopwatch() as timing:
        walked = walk(spec.iiif, fetcher, language=spec.iiif_language, workers=workers)
        total = canvas_count(walked, spec.iiif_first_canvas)
        context.log.info(f"{len(walked.manifests)} IIIF manifests, {total} canvases to fetch from {spec.iiif}")
        with progress.track(context.log, total, "fetching IIIF images") as advance:
            result = harvest(
                walked, fetcher, storage_path(spec.images, storage.endpoint_url, storage.retry_seconds),
                first_canvas_only=spec.iiif_first_canvas, workers=workers, progress=advance,
            )
        write_bytes_atomic(storage_path(spec.metadata, storage.endpoint_url, storage.retry_seconds), table_csv(result.table))
    failed = left_out(walked, result)
    for row in failed.itertuples():
        context.log.warning(f"IIIF: left out {row.source}: {row.reason}")
    status = result.records["status"].value_counts()
    return {
        "iiif_source": spec.iiif,
        "iiif_manifests": len(walked.manifests),
        "iiif_images": len(result.table),
        "iiif_downloaded": int(status.get("downloaded", 0)),
        "iiif_unchanged": int(status.get("unchanged", 0)),
        "iiif_left_out": len(failed),
        "iiif_left_out_list": dg.MetadataValue.md(markdown_table(failed)),
        "iiif_requests_downloaded": fetcher.downloaded,
        "iiif_requests_not_modified": fetcher.unchanged,
        SOURCE_FINGERPRINT: walked.fingerprint,
        "iiif_seconds": timing["seconds"],
    }


def iiif_files(spec: CollectionSpec, storage: StorageResource, tiles_path: str, metadata: dict, version: str) -> IIIFPublication:
    """The IIIF files of the map of ``metadata``, whose pyramid is at ``tiles_path`` under the
    storage root, in the site version ``version`` at the spec's public URL; images harvested
    from IIIF link to their source canvases (the document's ``sources``)."""
    return iiif_publication(storage.path(tiles_path), metadata, f"{spec.public_url()}{VERSIONS}/{version}/", homepage=spec.public_url())
