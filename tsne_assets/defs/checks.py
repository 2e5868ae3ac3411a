"""Asset checks on each collection's outputs, run in every build (the logic is in core).

The checks before publishing block: a grid, pyramid or viewer document that fails them is
never published, and the previous version keeps serving. The check on the published site
runs after the switch and reports.
"""

import dagster as dg
import pandas as pd

from ..core.checks import grid_problems, published_site_problems, viewer_metadata_problems
from ..core.deepzoom import verify_deep_zoom
from ..core.manifest import readable_images
from ..core.storage import is_local
from .assets.collection import spec_of
from .partitions import collections_partitions
from .resources import StorageResource

#: Per collection: each check reads the partition of its run (partitioned checks are a Dagster preview).
PARTITIONED = {"partitions_def": collections_partitions}

def _result(problems: list[str]) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=not problems,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "problems": len(problems),
            "details": dg.MetadataValue.md("\n".join(f"- {p}" for p in problems) or "(none)"),
        },
    )


@dg.asset_check(asset="grid", blocking=True, additional_ins={"image_manifest": dg.AssetIn()}, **PARTITIONED)
def every_image_placed_once(grid: dict, image_manifest: pd.DataFrame) -> dg.AssetCheckResult:
    """Each readable image of the manifest has exactly one cell, inside the grid."""
    return _result(grid_problems(grid, len(readable_images(image_manifest))))


@dg.asset_check(
    asset="tiles", blocking=True, additional_ins={"grid": dg.AssetIn(), "collection_spec": dg.AssetIn()}, **PARTITIONED
)
def deep_zoom_pyramid_complete(
    storage: StorageResource, tiles: dict, grid: dict, collection_spec: dict
) -> dg.AssetCheckResult:
    """The mosaic is the grid's size, and its pyramid has every level and tile (and, on local
    disk, every tile at the right pixel size)."""
    width, height = spec_of(collection_spec).cell_size
    problems = []
    if (tiles["width"], tiles["height"]) != (grid["cols"] * width, grid["rows"] * height):
        problems.append(
            f"mosaic is {tiles['width']}x{tiles['height']}, expected {grid['cols'] * width}x{grid['rows'] * height}"
        )
    pyramid = storage.path(tiles["path"])
    # Tile headers are read on local disk; on S3 the listing alone (no request per tile).
    problems += verify_deep_zoom(pyramid, tiles["dzi"], check_tile_sizes=is_local(pyramid))
    return _result(problems)


@dg.asset_check(
    asset="viewer_metadata",
    blocking=True,
    additional_ins={"grid": dg.AssetIn(), "collection_spec": dg.AssetIn()},
    **PARTITIONED,
)
def viewer_metadata_matches_grid(viewer_metadata: dict, grid: dict, collection_spec: dict) -> dg.AssetCheckResult:
    """The viewer document has the grid's shape, image per cell, items and mosaic size."""
    return _result(viewer_metadata_problems(viewer_metadata, grid, spec_of(collection_spec).cell_size))


@dg.asset_check(asset="viewer_site", additional_ins={"viewer_metadata": dg.AssetIn()}, **PARTITIONED)
def published_version_serves(
    context: dg.AssetCheckExecutionContext, storage: StorageResource, viewer_site: dict, viewer_metadata: dict
) -> dg.AssetCheckResult:
    """The pointer names this run's version, which holds this metadata, its DZI and the app."""
    site_dir = storage.path("site", context.partition_key)
    return _result(published_site_problems(site_dir, viewer_site["version"], viewer_metadata))


pipeline_checks = [
    every_image_placed_once, deep_zoom_pyramid_complete, viewer_metadata_matches_grid, published_version_serves
]
