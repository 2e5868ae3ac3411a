"""The IIIF sensor: rebuilds a collection harvested from IIIF when its source changes.

Each tick reads the source of every registered collection that has one (its manifests and
collections, not its images) through the collection's conditional-GET cache, so an unchanged
source costs one ``304 Not Modified`` per document. The digest of the documents read
(:attr:`~tsne_assets.core.iiif.Walk.fingerprint`) is compared with the one last requested, or
else with the one the latest harvest recorded; a difference requests a build of the registered
spec. The cursor keeps, per collection, that digest and a generation counting requests (run
keys are ``<id>:iiif:<generation>:<digest>``, so a source that changes back still rebuilds).
"""

from __future__ import annotations

import json
from typing import Any

import dagster as dg

from ..core.iiif import Fetcher, HttpCache, walk
from ..core.spec import CollectionSpec
from .assets.collection import spec_run_config
from .assets.iiif import SOURCE_FINGERPRINT
from .fingerprints import BUILD_JOB, PUBLISHED_ASSET
from .partitions import collections_partitions
from .resources import StorageResource
from .single_flight import unfinished_runs

CURSOR_FORMAT = 1
DESCRIPTION = (
    "Rebuilds each collection harvested from IIIF (built with --iiif) whose manifests or collections "
    "changed; reads them with conditional requests, skips collections with a run in progress."
)


def _latest(instance: dg.DagsterInstance, asset: dg.AssetKey, collection_id: str) -> dg.EventLogRecord | None:
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=asset, asset_partitions=[collection_id]), limit=1
    ).records
    return records[0] if records else None


def harvested_fingerprint(instance: dg.DagsterInstance, collection_id: str) -> str | None:
    """The source digest that the collection's latest harvest recorded, if any."""
    record = _latest(instance, dg.AssetKey("image_manifest"), collection_id)
    entry = record.asset_materialization.metadata.get(SOURCE_FINGERPRINT) if record else None
    return entry.value if entry is not None else None


def harvest_published(instance: dg.DagsterInstance, collection_id: str) -> bool:
    """Whether the run of the collection's latest harvest published its viewer (a build that
    failed after the harvest did not)."""
    harvested = _latest(instance, dg.AssetKey("image_manifest"), collection_id)
    published = _latest(instance, PUBLISHED_ASSET, collection_id)
    return bool(harvested and published and harvested.run_id == published.run_id)


def source_fingerprint(storage: StorageResource, spec: CollectionSpec) -> str:
    """The digest of the documents of ``spec``'s IIIF source (its manifests and collections, not
    its images), read through the collection's conditional-GET cache: an unchanged source costs
    one ``304 Not Modified`` per document. Raises OSError or ValueError where it cannot be read."""
    fetcher = Fetcher(HttpCache(storage.path("cache", "iiif", spec.id)))
    return walk(spec.iiif, fetcher, language=spec.iiif_language).fingerprint


@dg.sensor(
    description=DESCRIPTION, job_name=BUILD_JOB, minimum_interval_seconds=300, default_status=dg.DefaultSensorStatus.STOPPED
)
def iiif_sources(context: dg.SensorEvaluationContext, storage: StorageResource) -> dg.SensorResult:
    """One read of each IIIF source per tick; a run for each that changed."""
    data = json.loads(context.cursor) if context.cursor else {}
    known: dict[str, dict[str, Any]] = data.get("sources", {}) if data.get("format") == CURSOR_FORMAT else {}
    requests = []
    for key in context.instance.get_dynamic_partitions(collections_partitions.name):
        try:
            spec = storage.load_spec(key)
        except (OSError, ValueError) as error:
            context.log.warning(f"collection {key!r} not checked: {error}")
            continue
        if spec.iiif is None or unfinished_runs(context.instance, key):
            continue
        try:
            current = source_fingerprint(storage, spec)
        except (OSError, ValueError) as error:
            context.log.warning(f"IIIF source of {key!r} not read: {error}")
            continue
        previous = known.get(key) or {"fingerprint": harvested_fingerprint(context.instance, key), "generation": -1}
        if previous["fingerprint"] == current:
            known[key] = previous
            continue
        generation = previous["generation"] + 1
        known[key] = {"fingerprint": current, "generation": generation}
        context.log.info(f"the IIIF source of {key!r} changed: {spec.iiif}")
        requests.append(
            dg.RunRequest(run_key=f"{key}:iiif:{generation}:{current[:16]}", partition_key=key, run_config=spec_run_config(spec))
        )
    return dg.SensorResult(run_requests=requests, cursor=json.dumps({"format": CURSOR_FORMAT, "sources": known}, sort_keys=True))
