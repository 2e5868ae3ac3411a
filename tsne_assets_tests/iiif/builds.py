"""What the build tests (``test_build*.py``) read from a build of the museum (the fixtures
``iiif_build`` and ``iiif_only_build``): its published site version and its assets' metadata."""

import json
from pathlib import Path

import dagster as dg


def site_version(root: Path, collection: str = "museum") -> Path:
    """The folder of the site version that ``collection`` publishes now under ``root``."""
    current = json.loads((root / "site" / collection / "current.json").read_text())
    return root / "site" / collection / current["path"]


def latest_metadata(instance: dg.DagsterInstance, asset: str, collection: str = "museum") -> dict:
    """The metadata of ``asset``'s latest materialization for ``collection`` (its partition) on
    ``instance``, whichever build of the shared instance ran last."""
    records_filter = dg.AssetRecordsFilter(dg.AssetKey(asset), asset_partitions=[collection])
    [record] = instance.fetch_materializations(records_filter, limit=1).records
    return record.asset_materialization.metadata
