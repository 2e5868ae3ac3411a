"""A job that copies a collection's published viewer to a static-website bucket."""

import dagster as dg

from ..core.publish import publish_viewer
from ..core.storage import storage_options
from .partitions import collections_partitions
from .resources import StorageResource


class WebsiteConfig(dg.Config):
    to: str
    """Destination: ``s3://bucket/prefix`` of a bucket that serves a static website."""
    endpoint_url: str | None = None
    """S3-compatible endpoint of the destination, when it is not AWS."""


@dg.op(out=dg.Out(dict, io_manager_key="json_io_manager"))
def publish_viewer_to_website(
    context: dg.OpExecutionContext, config: WebsiteConfig, storage: StorageResource
) -> dg.Output[dict]:
    """Upload what changed of the collection's current viewer, with content types and cache
    lifetimes fit for a website, switching its pointer last."""
    report = publish_viewer(
        storage.path("site", context.partition_key),
        config.to,
        storage_options=storage_options(config.to, config.endpoint_url),
    )
    context.log.info(f"{len(report.uploaded)} files uploaded, {report.unchanged} unchanged to {report.destination}")
    summary = {"destination": report.destination, "version": report.version}
    return dg.Output(
        summary,
        metadata={
            **summary,
            "uploaded": len(report.uploaded),
            "unchanged": report.unchanged,
            "removed": len(report.removed),
            "skipped": len(report.skipped),
        },
    )


@dg.job(partitions_def=collections_partitions)
def publish_to_website() -> None:
    """Copy one collection's viewer to a static-website bucket (``tsne-assets publish``)."""
    publish_viewer_to_website()
