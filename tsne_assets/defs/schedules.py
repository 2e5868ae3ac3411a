"""The nightly rebuild: every registered collection whose inputs changed since it was built.

A collection of files is compared by the listing of its files and its spec (the fingerprint
its published viewer was built from). A collection harvested from IIIF is compared by its
source instead: its manifests and collections, read through its conditional-GET cache (one
``304 Not Modified`` per unchanged document), against the digest its latest harvest recorded,
as the ``iiif_sources`` sensor does. Its harvested files are no input to compare: a build
rewrites them from the source, so their listing changes with every harvest that changed them.
"""

from __future__ import annotations

import dagster as dg

from ..core.discovery import spec_fingerprint
from ..core.spec import CollectionSpec
from .assets.collection import spec_run_config
from .fingerprints import BUILD_JOB, FINGERPRINT_TAG, built_fingerprint
from .iiif_sensor import harvest_published, harvested_fingerprint, source_fingerprint
from .partitions import collections_partitions
from .resources import StorageResource
from .single_flight import unfinished_runs


def _request(instance: dg.DagsterInstance, storage: StorageResource, spec: CollectionSpec) -> dg.RunRequest | None:
    """A run of ``spec`` if its inputs changed since its viewer was published, else ``None``."""
    if spec.iiif is not None:
        source = source_fingerprint(storage, spec)
        if source == harvested_fingerprint(instance, spec.id) and harvest_published(instance, spec.id):
            return None
        return dg.RunRequest(run_key=f"{spec.id}:iiif:{source[:16]}", partition_key=spec.id, run_config=spec_run_config(spec))
    current = spec_fingerprint(spec, storage.endpoint_url)
    if built_fingerprint(instance, spec.id) == current:
        return None
    return dg.RunRequest(
        run_key=f"{spec.id}:{current[:16]}", partition_key=spec.id, run_config=spec_run_config(spec), tags={FINGERPRINT_TAG: current}
    )


def rebuild_changed(context: dg.ScheduleEvaluationContext, storage: StorageResource) -> list[dg.RunRequest] | dg.SkipReason:
    """One listing (or, for IIIF sources, one conditional read of the source) per collection;
    each run is handed the registered spec it was compared with."""
    requests = []
    for key in context.instance.get_dynamic_partitions(collections_partitions.name):
        if unfinished_runs(context.instance, key):
            continue
        try:
            request = _request(context.instance, storage, storage.load_spec(key))
        except (OSError, ValueError) as error:
            context.log.warning(f"collection {key!r} not checked: {error}")
            continue
        if request is not None:
            requests.append(request)
    return requests or dg.SkipReason("every collection is up to date")


def rebuild_schedule(cron: str) -> dg.ScheduleDefinition:
    """The nightly rebuild on ``cron`` (setting ``TSNE_ASSETS_REBUILD_CRON``)."""
    return dg.schedule(
        name="rebuild_changed_collections",
        job_name=BUILD_JOB,
        cron_schedule=cron,
        default_status=dg.DefaultScheduleStatus.STOPPED,
        description="Rebuilds each collection whose images, metadata or spec changed since its viewer "
        "was published, or whose last build failed, and each harvested from IIIF whose manifests changed; "
        "skips collections with a run in progress.",
    )(rebuild_changed)
