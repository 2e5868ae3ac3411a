"""Which inputs a collection was last built from: a run tag holding their fingerprint.

Every run started by the sensor, the schedule or ``build_collection`` carries the fingerprint
of its inputs (:func:`~tsne_assets.core.discovery.spec_fingerprint`) as computed before it
read them, so a tag never claims newer inputs than a run saw: at worst one rebuild too many.
The fingerprint a collection was built from is that of the run behind its published viewer.
"""

from __future__ import annotations

import dagster as dg

from ..core.discovery import spec_fingerprint
from ..core.spec import CollectionSpec

FINGERPRINT_TAG = "tsne_assets/fingerprint"
#: The job that automated runs launch (defined in :mod:`.definitions`).
BUILD_JOB = "build_collection"
#: The last asset of a build: once it is materialized, the collection serves the run's inputs.
PUBLISHED_ASSET = dg.AssetKey("viewer_site")


def fingerprint_tags(spec: CollectionSpec, endpoint_url: str | None = None) -> dict[str, str]:
    """The fingerprint tag for a run building ``spec``; none when its inputs cannot be listed
    (the run then reports why in its manifest step)."""
    try:
        return {FINGERPRINT_TAG: spec_fingerprint(spec, endpoint_url)}
    except (OSError, ValueError):
        return {}


def built_fingerprint(instance: dg.DagsterInstance, collection_id: str) -> str | None:
    """The fingerprint of the inputs behind the collection's published viewer, if known."""
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=PUBLISHED_ASSET, asset_partitions=[collection_id]), limit=1
    ).records
    run = instance.get_run_by_id(records[0].run_id) if records else None
    return run.tags.get(FINGERPRINT_TAG) if run else None
