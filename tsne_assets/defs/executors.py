"""Which executor runs a job's steps: a setting, not code.

``in_process``, ``multiprocess``, ``dask`` or ``k8s`` (:data:`EXECUTORS`); the setting is
``TSNE_ASSETS_EXECUTOR`` for the code location and ``--executor`` on the command line
(:mod:`tsne_assets.settings`). The Dask and Kubernetes executors need optional packages
(``pip install 'tsne-assets[dask]'`` or ``[k8s]``); they are looked for only when named, so a
missing one affects nothing else, and naming it gives one clear error. Their settings come from
run config (``execution: {config: ...}``); for Dask, the scheduler address may come from the
settings instead (see :mod:`.dask_executor`).
"""

from __future__ import annotations

import importlib.util

import dagster as dg

from ..errors import MissingPackageError
from ..settings import EXECUTORS
#: The package each optional executor needs, and the extra that installs it.
_PACKAGES = {"dask": ("distributed", "dask"), "k8s": ("dagster_k8s", "k8s")}


def check_executor(name: str) -> None:
    """Raise ValueError for an unknown executor, :class:`MissingPackageError` when its package
    is not installed."""
    if name not in EXECUTORS:
        raise ValueError(f"unknown executor {name!r}; choose one of {list(EXECUTORS)}")
    if name in _PACKAGES:
        module, extra = _PACKAGES[name]
        if importlib.util.find_spec(module) is None:
            raise MissingPackageError(
                f"the {name} executor needs the {module.replace('_', '-')} package: "
                f"pip install 'tsne-assets[{extra}]'"
            )


def executor_for(name: str, dask_address: str | None = None) -> dg.ExecutorDefinition:
    """The executor called ``name`` (one of :data:`EXECUTORS`).

    ``dask_address`` (``tcp://host:8786``) configures the Dask executor to use that scheduler.
    """
    check_executor(name)
    if name == "in_process":
        return dg.in_process_executor
    if name == "multiprocess":
        return dg.multiprocess_executor
    if name == "dask":
        from .dask_executor import dask_executor

        return dask_executor.configured({"address": dask_address}) if dask_address else dask_executor
    from dagster_k8s import k8s_job_executor

    return k8s_job_executor
