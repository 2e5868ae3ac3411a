"""The collection's spec, its image manifest and the metadata joined to it."""

from typing import Any

import dagster as dg
import pandas as pd

from ...core.features import get_extractor
from ...core.iiif.source_images import record_columns
from ...core.images import DEFAULT_MAX_PIXELS
from ...core.manifest import build_manifest, readable_images, read_bytes, resolve_source
from ...core.metadata import RepeatedRows, join_metadata
from ...core.metadata_csv import read_metadata_csv
from ...core.spec import CollectionSpec
from ..resources import ProgressReporter, StorageResource
from ._common import PARTITIONED, markdown_list, markdown_table, stopwatch
from .iiif import harvest_source

COLLECTION = {**PARTITIONED, "group_name": "collection"}

#: Console lines for images with several metadata rows, at most; the asset's metadata lists all.
MAX_REPEAT_WARNINGS = 10


class CollectionSpecConfig(dg.Config):
    spec: dict[str, Any] | None = None
    """The collection's spec: the fields of ``tsne_assets.core.spec.CollectionSpec`` (``images``,
    ``metadata``, ``title``, ``fields``, ``cell_size``, ``model``...); ``id`` is the partition.
    Left empty, the spec of the collection's latest build. The command line, the sensor and
    the schedule fill it in, so that a run builds from the spec it was started with."""


@dg.asset(**COLLECTION, io_manager_key="json_io_manager", kinds={"json"})
def collection_spec(
    context: dg.AssetExecutionContext, config: CollectionSpecConfig, storage: StorageResource
) -> dg.Output[dict]:
    """The validated spec this build reads everything from, snapshotted for the run; its data
    version is the spec's digest. It also becomes the collection's registered spec, which
    builds started without one (the UI, the nightly rebuild) use."""
    key = context.partition_key
    if config.spec is None:
        spec = storage.load_spec(key)
    else:
        if config.spec.get("id", key) != key:
            raise ValueError(f"the spec's id {config.spec['id']!r} is not the partition's, {key!r}")
        spec = CollectionSpec.from_dict({**config.spec, "id": key})
    extractor = get_extractor(spec.model, spec.weights)  # a missing weights file fails here, before any work
    storage.save_spec(spec)
    return dg.Output(
        spec.to_dict(),
        data_version=dg.DataVersion(spec.digest()),
        metadata={
            "images": spec.images,
            "metadata": spec.metadata or "(none)",
            "model": extractor.cache_key,
            "digest": spec.digest(),
            "spec": dg.MetadataValue.json(spec.to_dict()),
        },
    )


def spec_run_config(spec: CollectionSpec) -> dict[str, Any]:
    """Run config that hands ``spec`` to a run of the collection's partition."""
    return {"ops": {"collection_spec": {"config": {"spec": spec.to_dict()}}}}


def spec_of(collection_spec: dict) -> CollectionSpec:
    """The :class:`CollectionSpec` an asset received from ``collection_spec``."""
    return CollectionSpec.from_dict(collection_spec)


class ManifestConfig(dg.Config):
    max_pixels: int = DEFAULT_MAX_PIXELS
    """Images with more pixels than this, read from their header, are skipped before decoding:
    a guard against decompression bombs. At most the default (256 Mpx), which feature
    extraction and the mosaic apply to what the manifest accepted."""
    workers: int = 4
    """Threads that read and decode files."""


@dg.asset(**COLLECTION, io_manager_key="parquet_io_manager", kinds={"pandas", "pillow"})
def image_manifest(
    context: dg.AssetExecutionContext,
    config: ManifestConfig,
    storage: StorageResource,
    progress: ProgressReporter,
    collection_spec: dict,
) -> dg.Output[pd.DataFrame]:
    """Every file of the collection's image source: relative path, size, content hash, upright
    pixel size, frame count, and whether it is readable (with the reason when it is not) or a
    duplicate. Fails when no file is readable, before any model loads. A spec with a IIIF source
    is harvested into its image folder and metadata CSV first (``iiif_*`` metadata)."""
    if not 0 < config.max_pixels <= DEFAULT_MAX_PIXELS:
        raise ValueError(f"max_pixels must be between 1 and {DEFAULT_MAX_PIXELS:,}, not {config.max_pixels:,}")
    spec = spec_of(collection_spec)
    harvested = harvest_source(context, storage, progress, spec, config.workers) if spec.iiif else {}
    options = storage.options_for(spec.images)
    with stopwatch() as timing:
        source = resolve_source(
            spec.images,
            exclude=[spec.metadata] if spec.metadata else [],
            storage_options=options,
            follow_links_outside=spec.follow_links_outside,
        )
        context.log.info(f"{len(source.files)} files to read under {source.root}, {len(source.skipped)} skipped")
        with progress.track(context.log, len(source.files), "reading images") as advance:
            manifest = build_manifest(source, max_pixels=config.max_pixels, workers=config.workers, progress=advance)
    skipped = manifest[~manifest["readable"]]
    duplicates = manifest[manifest["duplicate_of"] != ""]
    multi_frame = manifest[manifest["frames"] > 1]
    for row in skipped.itertuples():
        context.log.warning(f"skipped {row.id}: {row.reason}")
    if len(multi_frame):
        context.log.warning(
            f"{len(multi_frame)} files hold several frames or pages; the first of each is used "
            f"(e.g. {multi_frame['id'].iloc[0]}: {multi_frame['frames'].iloc[0]} frames)"
        )
    notes = multi_frame.assign(note=[f"first of {n} frames used" for n in multi_frame["frames"]])
    return dg.Output(
        manifest,
        metadata={
            "files": len(manifest),
            "readable": int(manifest["readable"].sum()),
            "skipped": len(skipped),
            "duplicates": len(duplicates),
            "multi_frame": len(multi_frame),
            "skipped_files": dg.MetadataValue.md(markdown_table(skipped[["id", "reason"]])),
            "duplicate_files": dg.MetadataValue.md(markdown_table(duplicates[["id", "duplicate_of"]])),
            "multi_frame_files": dg.MetadataValue.md(markdown_table(notes[["id", "note"]])),
            "source": spec.images,
            "seconds": timing["seconds"],
            **harvested,
        },
    )


@dg.asset(**COLLECTION, io_manager_key="parquet_io_manager", kinds={"pandas"})
def collection_metadata(
    context: dg.AssetExecutionContext, storage: StorageResource, collection_spec: dict, image_manifest: pd.DataFrame
) -> dg.Output[pd.DataFrame]:
    """Title, link and extra fields of each readable image, joined from the metadata CSV with
    the collection's ``{Column}`` templates; for a IIIF build also each image's source canvas,
    manifest and image service from the harvested CSV (the viewer document's ``sources``)."""
    spec = spec_of(collection_spec)
    parsed, source_columns = None, ()
    if spec.metadata:
        data = read_bytes(spec.metadata, storage.options_for(spec.metadata))
        parsed = read_metadata_csv(data, spec.metadata, encoding=spec.encoding, delimiter=spec.delimiter)
        for warning in parsed.warnings:
            context.log.warning(warning)
        if spec.iiif:
            source_columns = record_columns(parsed.table.columns, spec.fields)
    joined = join_metadata(
        readable_images(image_manifest)["id"].tolist(),
        parsed.table if parsed else None,
        filename_column=spec.filename_column,
        title=spec.title,
        url=spec.url,
        fields=(*spec.fields, *source_columns),
    )
    if spec.metadata and joined.images_without_row:
        context.log.warning(f"{len(joined.images_without_row)} images have no metadata row")
    if joined.rows_without_image:
        context.log.warning(f"{len(joined.rows_without_image)} metadata rows match no image")
    repeats = [_repeat_line(repeat) for repeat in joined.repeated_rows]
    for line in repeats[:MAX_REPEAT_WARNINGS]:
        context.log.warning(line)
    if len(repeats) > MAX_REPEAT_WARNINGS:
        context.log.warning(f"... and {len(repeats) - MAX_REPEAT_WARNINGS} more images with several metadata rows")
    return dg.Output(
        joined.records,
        metadata={
            "images": len(joined.records),
            "csv_encoding": parsed.encoding if parsed else "(none)",
            "csv_delimiter": repr(parsed.delimiter) if parsed else "(none)",
            "images_without_row": len(joined.images_without_row),
            "rows_without_image": len(joined.rows_without_image),
            "repeated_rows": sum(len(repeat.dropped) for repeat in joined.repeated_rows),
            "images_without_row_list": dg.MetadataValue.md(markdown_list(joined.images_without_row)),
            "rows_without_image_list": dg.MetadataValue.md(markdown_list(joined.rows_without_image)),
            "repeated_rows_list": dg.MetadataValue.md(markdown_list(repeats)),
            "preview": dg.MetadataValue.md(markdown_table(joined.records.drop(columns=list(source_columns)), limit=10)),
        },
    )


def _repeat_line(repeat: RepeatedRows) -> str:
    dropped = ", ".join(str(line) for line in repeat.dropped)
    plural = "s" if len(repeat.dropped) > 1 else ""
    return f"{repeat.image!r} has several metadata rows: kept line {repeat.kept}, dropped line{plural} {dropped}"
