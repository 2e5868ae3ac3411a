"""Building a collection with the ``build_collection`` job: the command line's engine.

In this process (the default: progress bars on the terminal), or on any executor of
:mod:`.executors` (subprocesses, a Dask cluster, Kubernetes jobs), which import the job in each
step's process through :func:`collection_job`'s arguments. Either way the run is handed the
spec, tagged with the fingerprint of its inputs and refused while another run of the
collection is unfinished.
"""

from __future__ import annotations

from typing import Any

import dagster as dg

from ..core.spec import CollectionSpec
from ..errors import CollectionBusyError
from ..settings import Settings
from .assets.collection import spec_run_config
from .definitions import build_definitions
from .executors import check_executor
from .fingerprints import BUILD_JOB, fingerprint_tags
from .partitions import collections_partitions
from .single_flight import PARTITION_TAG, busy_message, process_tags, unfinished_runs


def collection_job(root: str, endpoint_url: str | None, executor: str) -> dg.JobDefinition:
    """The ``build_collection`` job on the storage ``root``, run by the executor named ``executor``."""
    definitions = build_definitions(Settings(root=root, endpoint_url=endpoint_url), executor=executor)
    return definitions.resolve_job_def(BUILD_JOB)


def merge_run_config(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``extra`` merged in, nested dictionaries key by key."""
    merged = dict(base)
    for key, value in extra.items():
        merged[key] = merge_run_config(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged


def build_collection(
    spec: CollectionSpec,
    *,
    root: str,
    instance: dg.DagsterInstance | None = None,
    endpoint_url: str | None = None,
    executor: str = "in_process",
    progress_bar: bool = False,
    run_config: dict[str, Any] | None = None,
) -> dg.ExecuteInProcessResult | dg.JobExecutionResult:
    """Run the ``build_collection`` job for ``spec`` and return its result.

    Parameters
    ----------
    spec:
        The collection to build; the run builds from it whatever is registered meanwhile.
    root, endpoint_url:
        The storage root and its S3 endpoint.
    instance:
        The Dagster instance that records the run; by default the persistent one from
        ``$DAGSTER_HOME``, so the run shows in the UI. Other executors than ``in_process``
        need a persistent one (their steps record their events in it).
    executor:
        One of :data:`~.executors.EXECUTORS`; its settings go in ``run_config``
        (``{"execution": {"config": ...}}``).
    progress_bar:
        Draw progress bars on the terminal (in-process runs).
    run_config:
        More run config (op settings, loggers), merged with the spec's.

    Raises
    ------
    CollectionBusyError
        When a run of the collection is unfinished; nothing was started.
    MissingPackageError
        When the executor's optional package is not installed.
    dagster.DagsterExecutionStepExecutionError
        On the first failing step or blocking check.
    """
    check_executor(executor)
    instance = instance or dg.DagsterInstance.get()
    if not instance.has_dynamic_partition(collections_partitions.name, spec.id):
        instance.add_dynamic_partitions(collections_partitions.name, [spec.id])
    unfinished = unfinished_runs(instance, spec.id)
    if unfinished:
        raise CollectionBusyError(busy_message(spec.id, unfinished[0].dagster_run))
    config = merge_run_config(run_config or {}, spec_run_config(spec))
    tags = {**fingerprint_tags(spec, endpoint_url), **process_tags()}
    if executor == "in_process":
        settings = Settings(root=root, endpoint_url=endpoint_url)
        job = build_definitions(settings, executor=executor, progress_bar=progress_bar).resolve_job_def(BUILD_JOB)
        return job.execute_in_process(run_config=config, instance=instance, partition_key=spec.id, tags=tags)
    job = dg.build_reconstructable_job(
        __name__,
        collection_job.__name__,
        reconstructable_kwargs={"root": root, "endpoint_url": endpoint_url, "executor": executor},
    )
    return dg.execute_job(job, instance, run_config=config, tags={**tags, PARTITION_TAG: spec.id}, raise_on_error=True)
