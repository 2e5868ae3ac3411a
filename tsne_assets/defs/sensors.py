"""The collections sensor: every subfolder of a watched folder is a collection, built when new
and rebuilt when its files change.

The cursor maps each collection id to its folder, the fingerprint last requested and a
generation counting those requests. Run keys are ``<id>:<generation>:<fingerprint>``: a tick
evaluated again after a crash requests the same keys (which Dagster runs once), and a folder
that changes back to an earlier state still gets a new run.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import dagster as dg

from ..core.discovery import FolderCollection, build_fingerprint, discover_collections
from ..core.spec import CollectionSpec
from .assets.collection import spec_run_config
from .fingerprints import BUILD_JOB, FINGERPRINT_TAG, built_fingerprint
from .partitions import collections_partitions
from .resources import ImagesFolder, StorageResource
from .single_flight import unfinished_runs

CURSOR_FORMAT = 1


def _read_cursor(cursor: str | None) -> dict[str, dict[str, Any]]:
    if not cursor:
        return {}
    data = json.loads(cursor)
    return data["collections"] if data.get("format") == CURSOR_FORMAT else {}


def _write_cursor(collections: dict[str, dict[str, Any]]) -> str:
    return json.dumps({"format": CURSOR_FORMAT, "collections": collections}, sort_keys=True)


def _folder_spec(storage: StorageResource, found: FolderCollection) -> CollectionSpec:
    """The spec to build: the folder's, keeping what was configured in the registered spec of
    the same folder (titles, fields, cell size...). Raises ValueError when the id belongs to a
    collection built from elsewhere."""
    try:
        existing = storage.load_spec(found.key)
    except FileNotFoundError:
        return found.spec
    if existing.images != found.spec.images:
        raise ValueError(f"the collection id {found.key!r} is already used by a collection of {existing.images!r}")
    return dataclasses.replace(existing, metadata=found.spec.metadata)


@dg.sensor(
    job_name=BUILD_JOB,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Adds a partition for each new subfolder of the watched images folder "
    "(the images_folder resource, $TSNE_ASSETS_IMAGES_ROOT) and builds collections whose files changed.",
)
def collection_folders(
    context: dg.SensorEvaluationContext, storage: StorageResource, images_folder: ImagesFolder
) -> dg.SensorResult | dg.SkipReason:
    """One listing of the watched folder per tick; runs only for new or changed folders. A
    folder whose collection has a run in progress is looked at again on a later tick."""
    if not images_folder.location:
        return dg.SkipReason("no folder to watch: set $TSNE_ASSETS_IMAGES_ROOT (local or s3://)")
    known = _read_cursor(context.cursor)
    discovery = discover_collections(
        images_folder.location, storage.endpoint_url, owners={key: entry["folder"] for key, entry in known.items()}
    )
    if not discovery.collections and discovery.problems:
        return dg.SkipReason("; ".join(discovery.problems))  # the root is missing: keep the cursor
    for problem in discovery.problems:
        context.log.warning(problem)

    partitions = set(context.instance.get_dynamic_partitions(collections_partitions.name))
    seen: dict[str, dict[str, Any]] = {}
    added, requests = [], []
    for found in discovery.collections:
        previous = known.get(found.key)
        if previous and previous["fingerprint"] == found.fingerprint:
            seen[found.key] = previous
            continue
        if found.key in partitions and unfinished_runs(context.instance, found.key):
            if previous:
                seen[found.key] = previous
            continue  # not remembered as requested: looked at again once the run is over
        try:
            spec = _folder_spec(storage, found)
        except (OSError, ValueError) as error:
            context.log.warning(f"folder {found.folder!r} skipped: {error}")
            continue  # not remembered: tried again next tick
        generation = previous["generation"] + 1 if previous else 0
        seen[found.key] = {"folder": found.folder, "fingerprint": found.fingerprint, "generation": generation}
        fingerprint = build_fingerprint(found.fingerprint, spec)
        if found.key not in partitions:
            added.append(found.key)
        elif previous is None and built_fingerprint(context.instance, found.key) == fingerprint:
            continue  # already built from these files (a reset cursor, or the command line)
        context.log.info(f"folder {found.folder!r}: {'new' if previous is None else 'changed'}, {found.files} files")
        requests.append(
            dg.RunRequest(
                run_key=f"{found.key}:{generation}:{found.fingerprint[:16]}",
                partition_key=found.key,
                run_config=spec_run_config(spec),
                tags={FINGERPRINT_TAG: fingerprint},
            )
        )

    removed = sorted(set(known) - set(seen) - {c.key for c in discovery.collections})
    for key in removed:
        action = "its partition is removed" if images_folder.remove_missing else "its outputs and partition stay"
        context.log.warning(f"the folder {known[key]['folder']!r} of collection {key!r} is gone: {action}")
    partition_requests: list[Any] = [collections_partitions.build_add_request(added)] if added else []
    to_delete = [key for key in removed if key in partitions] if images_folder.remove_missing else []
    if to_delete:
        partition_requests.append(collections_partitions.build_delete_request(to_delete))
    return dg.SensorResult(
        run_requests=requests, dynamic_partitions_requests=partition_requests, cursor=_write_cursor(seen)
    )
