"""One run per collection: concurrent builds never mix outputs, and a run builds from the spec
it started with, whatever is registered meanwhile."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import pytest

from tsne_assets.cli import main
from tsne_assets.core.spec import CollectionSpec
from tsne_assets.core.storage import save_spec, storage_path
from tsne_assets.defs.assets.collection import spec_run_config
from tsne_assets.defs.build import build_collection
from tsne_assets.defs.definitions import build_collection_job, make_resources, pipeline_assets
from tsne_assets.defs.resources import ProgressReporter
from tsne_assets.defs.single_flight import HOST_TAG, PID_TAG, process_tags
from tsne_assets.errors import CollectionBusyError
from tsne_assets_tests.collections import write_images


def published(root: Path, collection: str) -> dict:
    site = root / "site" / collection
    pointer = json.loads((site / "current.json").read_text())
    return json.loads((site / pointer["path"] / "metadata.json").read_text())


def running(instance: dg.DagsterInstance, collection: str, **tags: str) -> dg.DagsterRun:
    """Record a run of ``collection`` in progress, as another process would have."""
    run = dg.DagsterRun(
        job_name="build_collection", status=dg.DagsterRunStatus.STARTED, tags={"dagster/partition": collection, **tags}
    )
    instance.add_run(run)
    return run


def test_two_builds_started_at_once_publish_one_whole_build(tmp_path):
    """Two command lines build one collection from different folders at the same moment."""
    write_images(tmp_path / "first", range(4), prefix="first_")
    write_images(tmp_path / "second", range(4, 9), prefix="second_")
    root = tmp_path / "storage"
    env = {key: value for key, value in os.environ.items() if not key.startswith("TSNE_ASSETS_")}
    env["DAGSTER_HOME"] = str(tmp_path / "home")
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    # The instance exists, as after any earlier build: SQLite storage created by two processes
    # at the same moment is a race of its own (alembic sees two heads).
    dg.DagsterInstance.from_config(str(tmp_path / "home")).dispose()

    def start(folder: str) -> subprocess.Popen:
        command = [sys.executable, "-m", "tsne_assets.cli", "build", "--id", "same", "--images", str(tmp_path / folder),
                   "--tile", "16", "--root", str(root)]
        return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    builds = {folder: start(folder) for folder in ("first", "second")}
    outcomes = {folder: (process.wait(timeout=600), process.communicate()[1]) for folder, process in builds.items()}

    succeeded = [folder for folder, (code, _) in outcomes.items() if code == 0]
    refused = [folder for folder, (code, _) in outcomes.items() if code != 0]
    assert succeeded, outcomes
    for folder in refused:
        code, err = outcomes[folder]
        [line] = err.strip().splitlines()
        assert code == 2 and line.startswith("tsne-assets: error: collection 'same' is already being built by run ")
    ids = published(root, "same")["items"]["id"]
    winners = {name.split("_")[0] for name in ids}
    assert len(winners) == 1 and winners <= set(succeeded)  # wholly one build's images
    assert len(ids) == (4 if winners == {"first"} else 5)


class RewritingProgress(ProgressReporter):
    """Registers another spec for the collection when the first long step starts, as a
    concurrent command line or the sensor would."""

    root: str
    replacement: str

    @contextmanager
    def track(self, log, total, description):
        save_spec(storage_path(self.root), CollectionSpec.from_json(self.replacement))
        with super().track(log, total, description) as advance:
            yield advance


def test_a_run_builds_from_its_starting_spec_when_the_spec_is_rewritten_mid_run(tmp_path, instance):
    specs = []
    for name, indices, cell_size in (("a", range(3), (32, 24)), ("b", range(3, 8), (16, 16))):
        write_images(tmp_path / name, indices, prefix=f"{name}_")
        rows = "".join(f"{name}_{index}.jpg,{name.upper()} {index}\n" for index in indices)
        (tmp_path / f"{name}.csv").write_text("filename,Name\n" + rows)
        specs.append(CollectionSpec(id="birds", images=str(tmp_path / name), metadata=str(tmp_path / f"{name}.csv"),
                                    title="{Name}", cell_size=cell_size))
    started, rewritten = specs
    root = str(tmp_path / "storage")
    resources = {**make_resources(root), "progress": RewritingProgress(root=root, replacement=rewritten.to_json())}
    job = dg.Definitions(assets=pipeline_assets, jobs=[build_collection_job], resources=resources).resolve_job_def(
        build_collection_job.name
    )
    instance.add_dynamic_partitions("collections", ["birds"])

    result = job.execute_in_process(run_config=spec_run_config(started), instance=instance, partition_key="birds")

    assert result.success
    document = published(tmp_path / "storage", "birds")
    assert sorted(document["items"]["id"]) == ["a_0.jpg", "a_1.jpg", "a_2.jpg"]
    assert all(title.startswith("A ") for title in document["items"]["title"])
    assert (document["grid"]["cell_width"], document["grid"]["cell_height"]) == (32, 24)
    assert (tmp_path / "storage" / "collections" / "birds.json").read_text() == rewritten.to_json()


def test_a_build_while_the_collection_is_being_built_is_refused_in_one_line(tmp_path, instance, monkeypatch, capsys):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    write_images(tmp_path / "birds", range(2))
    with dg.DagsterInstance.get() as home:
        other = running(home, "birds")
    code = main(["build", "--id", "birds", "--images", str(tmp_path / "birds"), "--root", str(tmp_path / "storage")])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"tsne-assets: error: collection 'birds' is already being built by run {other.run_id} "
        "(build_collection, started); try again when it has finished"
    ]
    assert not (tmp_path / "storage" / "site").exists()


def test_a_run_that_finds_an_earlier_unfinished_run_stops_before_writing(tmp_path, instance):
    """The check in the run itself, for runs started past the command line (the UI, a queue)."""
    write_images(tmp_path / "birds", range(2))
    root = tmp_path / "storage"
    instance.add_dynamic_partitions("collections", ["birds"])
    running(instance, "birds")
    job = dg.Definitions(assets=pipeline_assets, jobs=[build_collection_job], resources=make_resources(str(root)))
    spec = CollectionSpec(id="birds", images=str(tmp_path / "birds"))

    with pytest.raises(dg.DagsterResourceFunctionError) as raised:
        job.resolve_job_def(build_collection_job.name).execute_in_process(
            run_config=spec_run_config(spec), instance=instance, partition_key="birds"
        )
    assert isinstance(raised.value.user_exception, CollectionBusyError)
    assert not (root / "assets").exists() and not (root / "collections").exists()


def test_other_collections_build_while_one_is_being_built(tmp_path, instance):
    write_images(tmp_path / "fish", range(2))
    running(instance, "birds")
    spec = CollectionSpec(id="fish", images=str(tmp_path / "fish"), cell_size=(16, 16))
    assert build_collection(spec, root=str(tmp_path / "storage"), instance=instance).success


def test_a_run_whose_command_line_process_died_no_longer_blocks(tmp_path, instance):
    write_images(tmp_path / "birds", range(2))
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = running(instance, "birds", **{**process_tags(), PID_TAG: finished.stdout.strip()})
    alive = running(instance, "fish", **{HOST_TAG: process_tags()[HOST_TAG], PID_TAG: str(os.getpid())})

    spec = CollectionSpec(id="birds", images=str(tmp_path / "birds"), cell_size=(16, 16))
    assert build_collection(spec, root=str(tmp_path / "storage"), instance=instance).success
    assert instance.get_run_by_id(dead.run_id).status == dg.DagsterRunStatus.FAILURE
    assert instance.get_run_by_id(alive.run_id).status == dg.DagsterRunStatus.STARTED
