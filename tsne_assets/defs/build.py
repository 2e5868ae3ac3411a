"""Building a collection in-process against a Dagster instance (the command line's engine)."""

from __future__ import annotations

from typing import Any

import dagster as dg

from ..core.spec import CollectionSpec
from .definitions import make_resources, pipeline_assets
from .fingerprints import fingerprint_tags
from .partitions import collections_partitions


def register_collection(instance: dg.DagsterInstance, root: str, spec: CollectionSpec, endpoint_url: str | None = None) -> None:
    """Store ``spec`` under ``root`` and add its partition, so any run can build it."""
    make_resources(root, endpoint_url)["storage"].save_spec(spec)
    name = collections_partitions.name
    if not instance.has_dynamic_partition(name, spec.id):
        instance.add_dynamic_partitions(name, [spec.id])


def build_collection(
    spec: CollectionSpec,
    *,
    root: str,
    instance: dg.DagsterInstance | None = None,
    endpoint_url: str | None = None,
    progress_bar: bool = False,
    run_config: dict[str, Any] | None = None,
) -> dg.ExecuteInProcessResult:
    """Register ``spec`` and materialize every asset of its partition in this process.

    With no ``instance``, the persistent one from ``$DAGSTER_HOME`` is used, so that the run
    shows in the Dagster UI. The asset checks run too; the run is tagged with the fingerprint
    of its inputs, so the nightly rebuild skips it while they stay unchanged. Raises on the
    first failing step or blocking check.
    """
    instance = instance or dg.DagsterInstance.get()
    register_collection(instance, root, spec, endpoint_url)
    return dg.materialize(
        pipeline_assets,
        partition_key=spec.id,
        instance=instance,
        resources=make_resources(root, endpoint_url, progress_bar=progress_bar),
        run_config=run_config,
        tags=fingerprint_tags(spec, endpoint_url),
    )
