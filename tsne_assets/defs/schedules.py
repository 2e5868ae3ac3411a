"""The nightly rebuild: every registered collection whose inputs changed since it was built."""

from __future__ import annotations

import os

import dagster as dg

from ..core.discovery import spec_fingerprint
from .fingerprints import BUILD_JOB, FINGERPRINT_TAG, built_fingerprint, has_active_run
from .partitions import collections_partitions
from .resources import StorageResource

#: Cron expression of the rebuild; 03:00 every night unless ``$TSNE_ASSETS_REBUILD_CRON`` says.
REBUILD_CRON_ENV = "TSNE_ASSETS_REBUILD_CRON"
DEFAULT_REBUILD_CRON = "0 3 * * *"


@dg.schedule(
    job_name=BUILD_JOB,
    cron_schedule=os.environ.get(REBUILD_CRON_ENV, DEFAULT_REBUILD_CRON),
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Rebuilds each collection whose images or metadata changed since its viewer was "
    "published, or whose last build failed; skips collections with a run in progress.",
)
def rebuild_changed_collections(
    context: dg.ScheduleEvaluationContext, storage: StorageResource
) -> list[dg.RunRequest] | dg.SkipReason:
    """One listing per collection, compared with the fingerprint its published viewer was built from."""
    requests = []
    for key in context.instance.get_dynamic_partitions(collections_partitions.name):
        if has_active_run(context.instance, key):
            continue
        try:
            current = spec_fingerprint(storage.load_spec(key), storage.endpoint_url)
        except (OSError, ValueError) as error:
            context.log.warning(f"collection {key!r} not checked: {error}")
            continue
        if built_fingerprint(context.instance, key) != current:
            tags = {FINGERPRINT_TAG: current}
            requests.append(dg.RunRequest(run_key=f"{key}:{current[:16]}", partition_key=key, tags=tags))
    return requests or dg.SkipReason("every collection is up to date")
