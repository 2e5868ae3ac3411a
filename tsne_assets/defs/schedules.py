"""The nightly rebuild: every registered collection whose inputs changed since it was built."""

from __future__ import annotations

import dagster as dg

from ..core.discovery import spec_fingerprint
from .assets.collection import spec_run_config
from .fingerprints import BUILD_JOB, FINGERPRINT_TAG, built_fingerprint
from .partitions import collections_partitions
from .resources import StorageResource
from .single_flight import unfinished_runs


def rebuild_changed(context: dg.ScheduleEvaluationContext, storage: StorageResource) -> list[dg.RunRequest] | dg.SkipReason:
    """One listing per collection, compared with the fingerprint its published viewer was built
    from; each run is handed the registered spec it was compared with."""
    requests = []
    for key in context.instance.get_dynamic_partitions(collections_partitions.name):
        if unfinished_runs(context.instance, key):
            continue
        try:
            spec = storage.load_spec(key)
            current = spec_fingerprint(spec, storage.endpoint_url)
        except (OSError, ValueError) as error:
            context.log.warning(f"collection {key!r} not checked: {error}")
            continue
        if built_fingerprint(context.instance, key) != current:
            requests.append(
                dg.RunRequest(
                    run_key=f"{key}:{current[:16]}",
                    partition_key=key,
                    run_config=spec_run_config(spec),
                    tags={FINGERPRINT_TAG: current},
                )
            )
    return requests or dg.SkipReason("every collection is up to date")


def rebuild_schedule(cron: str) -> dg.ScheduleDefinition:
    """The nightly rebuild on ``cron`` (setting ``TSNE_ASSETS_REBUILD_CRON``)."""
    return dg.schedule(
        name="rebuild_changed_collections",
        job_name=BUILD_JOB,
        cron_schedule=cron,
        default_status=dg.DefaultScheduleStatus.STOPPED,
        description="Rebuilds each collection whose images, metadata or spec changed since its viewer "
        "was published, or whose last build failed; skips collections with a run in progress.",
    )(rebuild_changed)
