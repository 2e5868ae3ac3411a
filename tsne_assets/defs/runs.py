"""Building a collection as a job that out-of-process executors can load by reference.

:func:`build_collection` in :mod:`.build` runs every step in the calling process; this module
runs them on any executor of :mod:`.executors` (subprocesses, a Dask cluster, Kubernetes jobs),
which import the job in each step's process through :func:`collection_job`'s arguments.
"""

from __future__ import annotations

from typing import Any

import dagster as dg

from ..core.spec import CollectionSpec
from .build import register_collection
from .definitions import build_collection_job, make_resources, pipeline_assets
from .executors import executor_for


def collection_job(root: str, endpoint_url: str | None, executor: str) -> dg.JobDefinition:
    """The ``build_collection`` job on the storage ``root``, run by the executor named ``executor``."""
    definitions = dg.Definitions(
        assets=pipeline_assets,
        jobs=[build_collection_job],
        resources=make_resources(root, endpoint_url),
        executor=executor_for(executor),
    )
    return definitions.resolve_job_def(build_collection_job.name)


def execute_collection(
    spec: CollectionSpec,
    *,
    root: str,
    instance: dg.DagsterInstance,
    executor: str,
    endpoint_url: str | None = None,
    run_config: dict[str, Any] | None = None,
) -> dg.JobExecutionResult:
    """Register ``spec`` and build its partition with ``executor``; raises on a failed step.

    ``instance`` must be persistent (steps in other processes record their events in it), and
    ``run_config`` carries the executor's settings (``{"execution": {"config": ...}}``).
    """
    register_collection(instance, root, spec, endpoint_url)
    job = dg.build_reconstructable_job(
        __name__,
        collection_job.__name__,
        reconstructable_kwargs={"root": root, "endpoint_url": endpoint_url, "executor": executor},
    )
    return dg.execute_job(job, instance, run_config=run_config, tags={"dagster/partition": spec.id}, raise_on_error=True)
