"""The image manifest and the metadata joined to it."""

import dagster as dg
import pandas as pd

from ...core.manifest import build_manifest, readable_images, read_bytes, resolve_source
from ...core.metadata import join_metadata, read_metadata_csv
from ..resources import ProgressReporter, StorageResource
from ._common import PARTITIONED, markdown_list, markdown_table, stopwatch


class ManifestConfig(dg.Config):
    max_pixels: int = 256_000_000
    """Images with more pixels than this are skipped, a guard against decompression bombs."""
    workers: int = 4
    """Threads that read and decode files."""


@dg.asset(**PARTITIONED, io_manager_key="parquet_io_manager", group_name="collection", kinds={"pandas", "pillow"})
def image_manifest(
    context: dg.AssetExecutionContext,
    config: ManifestConfig,
    storage: StorageResource,
    progress: ProgressReporter,
) -> dg.Output[pd.DataFrame]:
    """Every file of the collection's image source: relative path, size, content hash, upright
    pixel size, and whether it is readable (with the reason when it is not) or a duplicate."""
    spec = storage.load_spec(context.partition_key)
    options = storage.options_for(spec.images)
    with stopwatch() as timing:
        source = resolve_source(spec.images, exclude=[spec.metadata] if spec.metadata else [], storage_options=options)
        context.log.info(f"{len(source.files)} files under {source.root}")
        with progress.track(context.log, len(source.files), "reading images") as advance:
            manifest = build_manifest(source, max_pixels=config.max_pixels, workers=config.workers, progress=advance)
    skipped = manifest[~manifest["readable"]]
    duplicates = manifest[manifest["duplicate_of"] != ""]
    for row in skipped.itertuples():
        context.log.warning(f"skipped {row.id}: {row.reason}")
    return dg.Output(
        manifest,
        metadata={
            "files": len(manifest),
            "readable": int(manifest["readable"].sum()),
            "skipped": len(skipped),
            "duplicates": len(duplicates),
            "skipped_files": dg.MetadataValue.md(markdown_table(skipped[["id", "reason"]])),
            "duplicate_files": dg.MetadataValue.md(markdown_table(duplicates[["id", "duplicate_of"]])),
            "source": spec.images,
            "seconds": timing["seconds"],
        },
    )


@dg.asset(**PARTITIONED, io_manager_key="parquet_io_manager", group_name="collection", kinds={"pandas"})
def collection_metadata(
    context: dg.AssetExecutionContext, storage: StorageResource, image_manifest: pd.DataFrame
) -> dg.Output[pd.DataFrame]:
    """Title, link and extra fields of each readable image, joined from the metadata CSV with
    the collection's ``{Column}`` templates."""
    spec = storage.load_spec(context.partition_key)
    table = read_metadata_csv(read_bytes(spec.metadata, storage.options_for(spec.metadata))) if spec.metadata else None
    joined = join_metadata(
        readable_images(image_manifest)["id"].tolist(),
        table,
        filename_column=spec.filename_column,
        title=spec.title,
        url=spec.url,
        fields=spec.fields,
    )
    if joined.images_without_row:
        context.log.warning(f"{len(joined.images_without_row)} images have no metadata row")
    if joined.rows_without_image:
        context.log.warning(f"{len(joined.rows_without_image)} metadata rows match no image")
    return dg.Output(
        joined.records,
        metadata={
            "images": len(joined.records),
            "images_without_row": len(joined.images_without_row),
            "rows_without_image": len(joined.rows_without_image),
            "repeated_rows": len(joined.repeated_rows),
            "images_without_row_list": dg.MetadataValue.md(markdown_list(joined.images_without_row)),
            "rows_without_image_list": dg.MetadataValue.md(markdown_list(joined.rows_without_image)),
            "preview": dg.MetadataValue.md(markdown_table(joined.records, limit=10)),
        },
    )
