"""Each image's own Deep Zoom pyramid, beyond the mosaic's resolution (cached by content hash)."""

import dagster as dg
import pandas as pd

from ...core.detail import DetailOptions, DetailSource, build_detail_pyramids
from ...core.manifest import read_bytes, readable_images
from ..resources import ProgressReporter, StorageResource
from ._common import PARTITIONED, markdown_list, stopwatch
from .collection import spec_of

#: The cache of every collection's detail pyramids, under the storage root.
DETAIL_CACHE = "cache/detail"


class DetailConfig(dg.Config):
    tile_size: int = 256
    """Side of the pyramids' tiles in pixels (their size limit is the spec's ``detail_max``)."""
    overlap: int = 1
    tile_format: str = "jpg"
    quality: int = 90


@dg.asset(**PARTITIONED, group_name="map", io_manager_key="json_io_manager", kinds={"libvips"})
def detail_pyramids(
    context: dg.AssetExecutionContext,
    config: DetailConfig,
    storage: StorageResource,
    progress: ProgressReporter,
    collection_spec: dict,
    image_manifest: pd.DataFrame,
) -> dg.Output[dict]:
    """Each image with more pixels than its cell shows, as a Deep Zoom pyramid of its own, at
    most the spec's ``detail_max`` pixels on its longer side (``0``: none). Pyramids are cached
    under ``cache/detail/`` by content hash, so a rebuild renders only new or changed images;
    an image that cannot be decoded gets none and is reported."""
    spec = spec_of(collection_spec)
    images = readable_images(image_manifest)
    cache = storage.path(DETAIL_CACHE)
    options = DetailOptions(
        max_size=max(spec.detail_max, 1),  # 0 (off) builds nothing, but the tiling is still named
        tile_size=config.tile_size,
        overlap=config.overlap,
        tile_format=config.tile_format,  # type: ignore[arg-type]  # checked by DetailOptions
        quality=config.quality,
    )
    sources = [] if not spec.detail_max else [
        DetailSource(row.id, row.path, row.sha256, int(row.width), int(row.height)) for row in images.itertuples()
    ]
    with stopwatch() as timing:
        with progress.track(context.log, len(sources), "detail pyramids") as advance:
            report = build_detail_pyramids(
                sources,
                cache,
                options,
                cell_size=spec.cell_size,
                resize=spec.resize,
                read=lambda path: read_bytes(path, storage.options_for(path)),
                progress=advance,
            )
    failed = [f"{image_id}: {reason}" for image_id, reason in report.failed.items()]
    for line in failed:
        context.log.warning(f"no detail pyramid for {line}")
    return dg.Output(
        {
            "cache": DETAIL_CACHE,
            "tile_size": options.tile_size,
            "overlap": options.overlap,
            "format": options.tile_format,
            "images": {
                image_id: {"folder": p.folder, "width": p.width, "height": p.height}
                for image_id, p in report.pyramids.items()
            },
        },
        metadata={
            "detail_max": spec.detail_max,
            "pyramids": len(report.pyramids),
            "rendered": report.rendered,
            "reused": report.reused,
            "failed": len(failed),
            "failed_images": dg.MetadataValue.md(markdown_list(failed)),
            "bytes": report.bytes,
            "seconds": timing["seconds"],
        },
    )
