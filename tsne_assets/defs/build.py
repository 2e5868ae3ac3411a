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
from .console import CONSOLE_RUN_CONFIG
from .definitions import build_definitions
from .executors import check_executor
from .fingerprints import BUILD_JOB, fingerprint_tags
from .partitions import collections_partitions
from .single_flight import PARTITION_TAG, busy_message, process_tags, unfinished_runs


def collection_job(root: str, endpoint_url: str | None, executor: str, command_line: bool = False) -> dg.JobDefinition:
    """The ``build_collection`` job on the storage ``root``, run by the executor named ``executor``
    (see :func:`~.definitions.build_definitions` for ``command_line``); the other settings come
    from the environment."""
    definitions = build_definitions(
        Settings.from_env().replace(root=root, endpoint_url=endpoint_url), executor=executor, command_line=command_line
    )
    return definitions.resolve_job_def(BUILD_JOB)


def merge_run_config(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``extra`` merged in, nested dictionaries key by key."""
    merged = dict(base)
    for key, value in extra.items():
        merged[key] = merge_run_config(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged


def _add_partition(instance: dg.DagsterInstance, collection_id: str) -> None:
    """Add the collection's partition unless it exists, also when another process adds it at
    the same moment."""
    name = collections_partitions.name
    if instance.has_dynamic_partition(name, collection_id):
        return
    try:
        instance.add_dynamic_partitions(name, [collection_id])
    except Exception:  # the storage's unique-key error, whatever its driver calls it
        if not instance.has_dynamic_partition(name, collection_id):
            raise


def build_collection(
    spec: CollectionSpec,
    *,
    root: str,
    instance: dg.DagsterInstance | None = None,
    endpoint_url: str | None = None,
    executor: str = "in_process",
    command_line: bool = False,
    run_config: dict[str, Any] | None = None,
    assets: list[str] | None = None,
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
    command_line:
        Progress bars, and only the steps' warnings on the console (:mod:`.console`).
    run_config:
        More run config (op settings, loggers), merged with the spec's.
    assets:
        Names of the assets to materialize (with their checks), from stored upstream values;
        by default every asset of the job.

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
    _add_partition(instance, spec.id)
    unfinished = unfinished_runs(instance, spec.id)
    if unfinished:
        raise CollectionBusyError(busy_message(spec.id, unfinished[0].dagster_run))
    config = merge_run_config(run_config or {}, spec_run_config(spec))
    if command_line:
        config = merge_run_config(CONSOLE_RUN_CONFIG, config)
    tags = {**fingerprint_tags(spec, endpoint_url), **process_tags()}
    selection = [dg.AssetKey(name) for name in assets] if assets else None
    job_arguments = {"root": root, "endpoint_url": endpoint_url, "executor": executor, "command_line": command_line}
    if executor == "in_process":
        job = collection_job(**job_arguments)
        return job.execute_in_process(
            run_config=config, instance=instance, partition_key=spec.id, tags=tags, asset_selection=selection
        )
    job = dg.build_reconstructable_job(__name__, collection_job.__name__, reconstructable_kwargs=job_arguments)
    return dg.execute_job(
        job, instance, run_config=config, tags={**tags, PARTITION_TAG: spec.id}, raise_on_error=True,
        asset_selection=selection,
    )
