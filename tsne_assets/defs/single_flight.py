"""One run per collection at a time: a run that finds an earlier unfinished run of its
collection stops before it touches anything.

Runs of one partition write the same asset files, so two at once would mix their outputs.
Every step of a run checks, before it reads or writes storage, whether an unfinished run of
the same collection was created before it (run records are numbered in creation order by the
instance's database, so of two runs started at the same moment exactly one goes on). Runs of
other collections are not affected. Queued runs wait their turn in the run queue (see
``deploy/dagster.yaml``'s per-collection limit) and never meet this check.

A run started by ``tsne-assets build`` carries its host and process id, so that a run whose
process died (killed, or the machine restarted) is recognised, marked failed and no longer
blocks its collection.
"""

from __future__ import annotations

import os
import socket

import dagster as dg

from ..errors import CollectionBusyError

PARTITION_TAG = "dagster/partition"
HOST_TAG = "tsne_assets/host"
PID_TAG = "tsne_assets/pid"

UNFINISHED = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]


def process_tags() -> dict[str, str]:
    """Tags naming this process, for runs it executes itself (the command line's)."""
    return {HOST_TAG: socket.gethostname(), PID_TAG: str(os.getpid())}


def _process_is_gone(run: dg.DagsterRun) -> bool:
    """Whether ``run`` was executed by a process of this host that no longer exists."""
    if run.tags.get(HOST_TAG) != socket.gethostname() or not run.tags.get(PID_TAG, "").isdigit():
        return False
    try:
        os.kill(int(run.tags[PID_TAG]), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, someone else's
    return False


def unfinished_runs(instance: dg.DagsterInstance, collection_id: str) -> list[dg.RunRecord]:
    """The collection's queued or running runs, oldest first; runs of a dead command-line
    process are marked failed on the way and left out."""
    records = instance.get_run_records(
        dg.RunsFilter(tags={PARTITION_TAG: collection_id}, statuses=UNFINISHED), ascending=True
    )
    alive = []
    for record in records:
        if _process_is_gone(record.dagster_run):
            instance.report_run_failed(
                record.dagster_run, "its process is gone (killed, or the machine restarted): marked failed"
            )
        else:
            alive.append(record)
    return alive


def busy_message(collection_id: str, blocker: dg.DagsterRun) -> str:
    return (
        f"collection {collection_id!r} is already being built by run {blocker.run_id} "
        f"({blocker.job_name}, {blocker.status.value.lower()}); try again when it has finished"
    )


#: Runs this process has claimed their collection for: a run that went ahead keeps going
#: (Dagster sets up the storage resource once per nested copy, for every IO manager).
_claimed: set[str] = set()


def claim_collection(instance: dg.DagsterInstance, run: dg.DagsterRun) -> None:
    """Raise :class:`CollectionBusyError` when an unfinished run of ``run``'s collection was
    created before it; runs without a collection partition pass."""
    collection_id = run.tags.get(PARTITION_TAG)
    if not collection_id or run.run_id in _claimed:
        return
    own = instance.get_run_record_by_id(run.run_id)
    for record in unfinished_runs(instance, collection_id):
        if record.dagster_run.run_id != run.run_id and (own is None or record.storage_id < own.storage_id):
            raise CollectionBusyError(busy_message(collection_id, record.dagster_run))
    _claimed.add(run.run_id)
