"""Intermediate folders of runs that died (``assets/<run id>/``) are removed by the next run of
their collection; those of runs in progress stay."""

import os
import subprocess
import sys
import uuid

import dagster as dg

from tsne_assets.core.spec import CollectionSpec
from tsne_assets.core.storage import run_folders
from tsne_assets.defs.build import build_collection
from tsne_assets.defs.single_flight import HOST_TAG, PID_TAG, process_tags
from tsne_assets_tests.collections import write_images


def started_run(instance: dg.DagsterInstance, collection: str, pid: str) -> dg.DagsterRun:
    """A run of ``collection`` recorded as started by process ``pid`` of this host."""
    run = dg.DagsterRun(
        job_name="build_collection",
        status=dg.DagsterRunStatus.STARTED,
        tags={"dagster/partition": collection, HOST_TAG: process_tags()[HOST_TAG], PID_TAG: pid},
    )
    instance.add_run(run)
    return run


def test_the_next_build_removes_the_folders_of_dead_runs_and_keeps_those_of_runs_in_progress(tmp_path, instance):
    root = tmp_path / "storage"
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    killed = started_run(instance, "birds", gone.stdout.strip())  # as after kill -9
    running = started_run(instance, "fish", str(os.getpid()))
    unknown = str(uuid.uuid4())  # a run this instance never saw: whose it is cannot be told
    for run_id in (killed.run_id, running.run_id, unknown):
        shard = root / "assets" / run_id / "embed_feature_shard" / "vectors" / "birds" / "shard_00000.npy"
        shard.parent.mkdir(parents=True)
        shard.write_bytes(b"\x93NUMPY")
    assert run_folders(root) == sorted([killed.run_id, running.run_id, unknown])

    write_images(tmp_path / "birds", range(3))
    spec = CollectionSpec(id="birds", images=str(tmp_path / "birds"), cell_size=(16, 16))
    assert build_collection(spec, root=str(root), instance=instance).success

    assert run_folders(root) == sorted([running.run_id, unknown])
    assert instance.get_run_by_id(killed.run_id).status == dg.DagsterRunStatus.FAILURE
    assert instance.get_run_by_id(running.run_id).status == dg.DagsterRunStatus.STARTED
