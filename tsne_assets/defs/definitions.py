"""The Dagster code location: ``dagster dev -m tsne_assets.defs.definitions``."""

from __future__ import annotations

import os
from typing import Any

import dagster as dg

from ..core.storage import ENDPOINT_ENV, default_root
from .assets import collection, layout, map
from .executors import executor_from_env
from .checks import pipeline_checks
from .io_managers import JsonStorage, NumpyStorage, ParquetStorage
from .publish import publish_to_website
from .resources import ImagesFolder, ProgressReporter, StorageResource
from .schedules import rebuild_changed_collections
from .sensors import collection_folders

#: The assets of a collection and the checks that guard them: every build runs both.
pipeline_assets = [*dg.load_assets_from_modules([collection, layout, map]), *pipeline_checks]

build_collection_job = dg.define_asset_job(
    "build_collection",
    selection=dg.AssetSelection.assets(*pipeline_assets),
    description="Build every asset of one collection, from its images to its viewer.",
)


def make_resources(root: str, endpoint_url: str | None = None, *, progress_bar: bool = False) -> dict[str, Any]:
    """The resources for a storage root (local folder or ``s3://bucket/prefix``)."""
    storage = StorageResource(root=root, endpoint_url=endpoint_url)
    numpy_storage = NumpyStorage(storage=storage)
    return {
        "storage": storage,
        "progress": ProgressReporter(bar=progress_bar),
        "images_folder": ImagesFolder.from_env(),
        "io_manager": numpy_storage,
        "numpy_io_manager": numpy_storage,
        "parquet_io_manager": ParquetStorage(storage=storage),
        "json_io_manager": JsonStorage(storage=storage),
    }


defs = dg.Definitions(
    assets=pipeline_assets,
    jobs=[build_collection_job, publish_to_website],
    sensors=[collection_folders],
    schedules=[rebuild_changed_collections],
    resources=make_resources(default_root(), os.environ.get(ENDPOINT_ENV)),
    executor=executor_from_env(),
)
