"""The Dagster code location (``workspace.yaml``; ``dagster dev -m tsne_assets.defs.definitions``).

Built lazily, when Dagster loads it, from the declared settings (:mod:`tsne_assets.settings`):
a setting given by an environment variable is declared as ``dg.EnvVar``, so the UI shows where
each value comes from; every other one shows its default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import dagster as dg

from .. import settings as declared
from ..core.s3 import DEFAULT_RETRY_SECONDS
from ..settings import Settings
from .assets import collection, detail, layout, map
from .assets import explore, timeline
from .checks import pipeline_checks
from .console import step_warnings
from .executors import executor_for
from .fingerprints import BUILD_JOB
from .io_managers import JsonStorage, NumpyStorage, ParquetStorage
from .publish import publish_to_website
from .resources import ImagesFolder, ProgressReporter, StorageResource
from .schedules import rebuild_schedule
from .iiif_sensor import iiif_sources
from .sensors import collection_folders

#: The assets of a collection and the checks that guard them: every build runs both.
pipeline_assets = [*dg.load_assets_from_modules([collection, layout, detail, map, explore, timeline]), *pipeline_checks]

build_collection_job = dg.define_asset_job(
    BUILD_JOB,
    selection=dg.AssetSelection.assets(*pipeline_assets),
    description="Build every asset of one collection, from its spec to its published viewer.",
)

Value = Any  # a setting's value, or the dg.EnvVar that supplies it


def make_resources(
    root: Value,
    endpoint_url: Value = None,
    *,
    images_root: Value = None,
    remove_missing: bool = False,
    progress_bar: bool = False,
    retry_seconds: Value = DEFAULT_RETRY_SECONDS,
) -> dict[str, Any]:
    """The resources for a storage root (local folder or ``s3://bucket/prefix``); S3 requests
    that get no answer are retried for ``retry_seconds``."""
    storage = StorageResource(root=root, endpoint_url=endpoint_url, retry_seconds=retry_seconds)
    numpy_storage = NumpyStorage(storage=storage)
    return {
        "storage": storage,
        "progress": ProgressReporter(bar=progress_bar),
        "images_folder": ImagesFolder(root=images_root, remove_missing=remove_missing),
        "io_manager": numpy_storage,
        "numpy_io_manager": numpy_storage,
        "parquet_io_manager": ParquetStorage(storage=storage),
        "json_io_manager": JsonStorage(storage=storage),
    }


def build_definitions(
    settings: Settings,
    environ: Mapping[str, str] | None = None,
    *,
    executor: str | None = None,
    command_line: bool = False,
) -> dg.Definitions:
    """The code location for ``settings``; values set in ``environ`` are declared as
    ``dg.EnvVar``. ``executor`` overrides the settings' one. ``command_line`` runs show progress
    bars and only the steps' warnings on the console (:mod:`.console`)."""

    def source(setting: declared.Setting, value: Any, env_var: Any = dg.EnvVar) -> Any:
        return env_var(setting.env) if environ and environ.get(setting.env) else value

    executor = executor or settings.executor
    return dg.Definitions(
        assets=pipeline_assets,
        jobs=[build_collection_job, publish_to_website],
        sensors=[collection_folders, iiif_sources],
        schedules=[rebuild_schedule(settings.rebuild_cron)],
        resources=make_resources(
            source(declared.ROOT, settings.root),
            source(declared.ENDPOINT_URL, settings.endpoint_url),
            images_root=source(declared.IMAGES_ROOT, settings.images_root),
            remove_missing=settings.remove_missing,
            progress_bar=command_line,
            retry_seconds=source(declared.S3_RETRY_SECONDS, settings.s3_retry_seconds, dg.EnvVar.int),
        ),
        executor=executor_for(executor, settings.dask_address) if executor else None,
        loggers={"console": step_warnings} if command_line else None,
    )


@dg.definitions
def defs() -> dg.Definitions:
    """The code location with this process's settings."""
    return build_definitions(Settings.from_env(), os.environ)
