"""Which executor runs a job's steps: configuration, not code.

``$TSNE_ASSETS_EXECUTOR`` names it for the code location (``in_process``, ``multiprocess``,
``dask`` or ``k8s``); unset, Dagster's default runs steps in subprocesses. The Dask and
Kubernetes executors are imported only when named, so that their packages stay optional extras
(``pip install tsne-assets[dask]`` or ``[k8s]``). Their settings come from run config
(``execution: {config: ...}``); for Dask, ``$TSNE_ASSETS_DASK_ADDRESS`` names the scheduler
instead (see :mod:`.dask_executor`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import dagster as dg

EXECUTOR_ENV = "TSNE_ASSETS_EXECUTOR"
DASK_ADDRESS_ENV = "TSNE_ASSETS_DASK_ADDRESS"
EXECUTORS = ("in_process", "multiprocess", "dask", "k8s")


def executor_for(name: str, dask_address: str | None = None) -> dg.ExecutorDefinition:
    """The executor called ``name`` (one of :data:`EXECUTORS`).

    ``dask_address`` (``tcp://host:8786``) configures the Dask executor to use that scheduler.
    """
    if name == "in_process":
        return dg.in_process_executor
    if name == "multiprocess":
        return dg.multiprocess_executor
    if name == "dask":
        from .dask_executor import dask_executor

        return dask_executor.configured({"address": dask_address}) if dask_address else dask_executor
    if name == "k8s":
        from dagster_k8s import k8s_job_executor

        return k8s_job_executor
    raise ValueError(f"unknown executor {name!r}; choose one of {list(EXECUTORS)}")


def executor_from_env(environ: Mapping[str, str] = os.environ) -> dg.ExecutorDefinition | None:
    """The executor ``environ`` names, or None for Dagster's default."""
    name = environ.get(EXECUTOR_ENV)
    return executor_for(name, environ.get(DASK_ADDRESS_ENV)) if name else None
