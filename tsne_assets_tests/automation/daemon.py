"""What Dagster's daemon does with a sensor's or schedule's result, done in the test's process:
apply the partition requests, then run each requested partition on the same instance."""

from __future__ import annotations

from dataclasses import dataclass, field

import dagster as dg

from tsne_assets.core.spec import CollectionSpec
from tsne_assets.defs.build import merge_run_config
from tsne_assets.defs.definitions import build_collection_job, make_resources, pipeline_assets
from tsne_assets.defs.partitions import collections_partitions
from tsne_assets.defs.sensors import collection_folders


@dataclass
class Tick:
    """One sensor evaluation and the runs it started."""

    result: dg.SensorResult | dg.SkipReason
    runs: list[dg.ExecuteInProcessResult] = field(default_factory=list)

    @property
    def requests(self) -> list[dg.RunRequest]:
        return [] if isinstance(self.result, dg.SkipReason) else list(self.result.run_requests or [])

    @property
    def cursor(self) -> str | None:
        return None if isinstance(self.result, dg.SkipReason) else self.result.cursor


def resources(root: str, images: str | None, endpoint_url: str | None = None, remove_missing: bool = False) -> dict:
    return make_resources(root, endpoint_url, images_root=images, remove_missing=remove_missing)


def register(instance: dg.DagsterInstance, resources: dict, spec: CollectionSpec) -> None:
    """Register ``spec`` as the collection's and add its partition, as an earlier build would."""
    resources["storage"].save_spec(spec)
    instance.add_dynamic_partitions(collections_partitions.name, [spec.id])


def requested_spec(request: dg.RunRequest) -> CollectionSpec:
    """The spec a run request hands its run."""
    return CollectionSpec.from_dict(request.run_config["ops"]["collection_spec"]["config"]["spec"])


def run_requests(
    instance: dg.DagsterInstance, requests: list[dg.RunRequest], resources: dict, run_config: dict | None = None
) -> list[dg.ExecuteInProcessResult]:
    """Run the ``build_collection`` job for each request, with its partition, config (and
    ``run_config``) and tags."""
    job = dg.Definitions(assets=pipeline_assets, jobs=[build_collection_job], resources=resources).resolve_job_def(
        build_collection_job.name
    )
    return [
        job.execute_in_process(
            run_config=merge_run_config(request.run_config, run_config or {}),
            instance=instance,
            partition_key=request.partition_key,
            tags=request.tags,
            raise_on_error=False,
        )
        for request in requests
    ]


def sensor_tick(instance: dg.DagsterInstance, resources: dict, cursor: str | None = None, *, execute: bool = True) -> Tick:
    """Evaluate the collections sensor, apply its partition requests and (``execute``) run its requests."""
    with dg.build_sensor_context(instance=instance, cursor=cursor, resources=resources) as context:
        tick = Tick(collection_folders(context))
    if isinstance(tick.result, dg.SensorResult):
        for request in tick.result.dynamic_partitions_requests or []:
            if isinstance(request, dg.AddDynamicPartitionsRequest):
                instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
            else:
                for key in request.partition_keys:
                    instance.delete_dynamic_partition(request.partitions_def_name, key)
        if execute:
            tick.runs = run_requests(instance, tick.requests, resources)
    return tick
