"""The pipeline on out-of-process executors gives what the in-process run gives."""

import sys

import dagster as dg
import numpy as np
import pytest
from distributed import LocalCluster

from tsne_assets.defs.build import build_collection
from tsne_assets.defs.executors import executor_for
from tsne_assets.errors import MissingPackageError

from .conftest import IMAGES, SHARD_SIZE, sharded


def outputs(root):
    """The stored features, t-SNE layout and grid of the collection."""
    assets = root / "assets"
    return (
        np.load(assets / "features" / "small.npy"),
        np.load(assets / "tsne" / "small.npy"),
        (assets / "grid" / "small.json").read_text(),
    )


#: The assets the runs build: those whose values :func:`outputs` compares, and so every kind of
#: step the build has (assets, the features graph's fan-out, its mapped shards and their collect,
#: an asset check). The assets after the grid are more steps of the same kinds, and each step
#: process takes seconds to start.
LAYOUT_ASSETS = ["collection_spec", "image_manifest", "features", "pca", "feature_neighbours", "layout_plan", "tsne", "grid"]
GRID_CHECK = "grid_every_image_placed_once"


@pytest.fixture(scope="module")
def in_process(small_collection, tmp_path_factory):
    root = tmp_path_factory.mktemp("in-process")
    with dg.instance_for_test() as instance:
        result = build_collection(
            small_collection, root=str(root), instance=instance, run_config=sharded(), assets=LAYOUT_ASSETS
        )
        assert result.success
    return outputs(root)


def run_with(executor, spec, tmp_path, run_config):
    """Build ``spec``'s :data:`LAYOUT_ASSETS` on ``executor``; returns their outputs and the
    keys of the steps that succeeded."""
    root = tmp_path / "storage"
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        result = build_collection(
            spec, root=str(root), instance=instance, executor=executor, run_config=run_config, assets=LAYOUT_ASSETS
        )
        steps = {event.step_key for event in result.all_events if event.is_step_success}
    return outputs(root), steps


def assert_steps(steps):
    """Each shard was a step of its own, and the grid's check ran."""
    assert len({step for step in steps if "embed_feature_shard" in step}) == IMAGES // SHARD_SIZE
    assert GRID_CHECK in steps


def assert_same(outputs, expected):
    features, layout, grid = outputs
    assert features.shape == (IMAGES, 1280)
    np.testing.assert_array_equal(features, expected[0])
    np.testing.assert_array_equal(layout, expected[1])
    assert grid == expected[2]


def test_multiprocess_executor_matches_in_process(small_collection, in_process, tmp_path):
    result, steps = run_with("multiprocess", small_collection, tmp_path, sharded())
    assert_steps(steps)
    assert_same(result, in_process)


def test_dask_executor_on_a_local_cluster_matches_in_process(small_collection, in_process, tmp_path):
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        run_config = sharded(execution={"config": {"address": cluster.scheduler_address}})
        result, steps = run_with("dask", small_collection, tmp_path, run_config)
    assert_steps(steps)
    assert_same(result, in_process)


@pytest.mark.parametrize("name", ["in_process", "multiprocess", "dask", "k8s"])
def test_each_executor_is_found_by_name(name):
    assert executor_for(name).name == name


@pytest.mark.parametrize("name, package", [("dask", "distributed"), ("k8s", "dagster_k8s")])
def test_an_executor_whose_package_is_missing_says_which_to_install(name, package, monkeypatch):
    monkeypatch.setitem(sys.modules, package, None)  # how Python marks a module as not importable
    with pytest.raises(MissingPackageError, match=f"the {name} executor needs .* pip install 'tsne-assets\\[{name}\\]'"):
        executor_for(name)


def test_an_unknown_executor_is_refused():
    with pytest.raises(ValueError, match="unknown executor 'celery'"):
        executor_for("celery")


@pytest.mark.parametrize(
    "status, result, healthy, reason",
    [
        ("pending", None, True, ""),
        ("finished", (0, ""), True, ""),
        ("finished", (1, "Traceback..."), False, "exited with code 1"),
        ("lost", None, False, "Dask lost the task of step s (its worker died)"),
        ("cancelled", None, False, "was cancelled"),
    ],
)
def test_a_lost_or_failed_dask_task_fails_its_step(status, result, healthy, reason):
    from tsne_assets.defs.dask_executor import step_health

    health = step_health("s", status, result)
    assert health.is_healthy is healthy
    assert reason in (health.unhealthy_reason or "")
