"""The nightly rebuild on a real instance: only collections whose inputs changed, or whose
last build did not publish, get a run."""

import dagster as dg

from tsne_assets.core.spec import CollectionSpec
from tsne_assets.defs.build import build_collection
from tsne_assets.defs.fingerprints import FINGERPRINT_TAG
from tsne_assets.defs.schedules import rebuild_schedule
from tsne_assets_tests.collections import write_images

from .daemon import register, resources, run_requests

SCHEDULE = rebuild_schedule("0 3 * * *")


def evaluate(instance, res) -> list[dg.RunRequest]:
    with dg.build_schedule_context(instance=instance, resources=res) as context:
        result = SCHEDULE(context)
    return [] if isinstance(result, dg.SkipReason) else list(result)


def test_rebuilds_only_collections_whose_inputs_changed(tmp_path, instance):
    root = str(tmp_path / "storage")
    res = resources(root, None)
    for name, indices in (("birds", [0, 1]), ("fish", [2, 3])):
        write_images(tmp_path / name, indices)
        assert build_collection(CollectionSpec(id=name, images=str(tmp_path / name)), root=root, instance=instance).success
    assert evaluate(instance, res) == []

    write_images(tmp_path / "fish", [4])
    [request] = evaluate(instance, res)
    assert request.partition_key == "fish"
    [run] = run_requests(instance, [request], res)
    assert run.success
    assert instance.get_run_by_id(run.run_id).tags[FINGERPRINT_TAG] == request.tags[FINGERPRINT_TAG]
    assert evaluate(instance, res) == []


def test_a_collection_whose_last_build_failed_is_rebuilt(tmp_path, instance):
    root = str(tmp_path / "storage")
    res = resources(root, None)
    write_images(tmp_path / "birds", [0, 1])
    spec = CollectionSpec(id="birds", images=str(tmp_path / "birds"))
    register(instance, res, spec)
    [request] = evaluate(instance, res)
    [failed] = run_requests(instance, [request], res, {"ops": {"tiles": {"config": {"tile_format": "tiff"}}}})
    assert not failed.success
    [again] = evaluate(instance, res)
    assert again.partition_key == "birds"


def test_unreadable_collections_are_reported_not_fatal(tmp_path, instance):
    res = resources(str(tmp_path / "storage"), None)
    write_images(tmp_path / "birds", [0])
    register(instance, res, CollectionSpec(id="gone", images=str(tmp_path / "nowhere")))
    register(instance, res, CollectionSpec(id="birds", images=str(tmp_path / "birds")))
    assert [r.partition_key for r in evaluate(instance, res)] == ["birds"]


def test_a_collection_with_a_run_in_progress_is_left_alone(tmp_path, instance):
    res = resources(str(tmp_path / "storage"), None)
    write_images(tmp_path / "birds", [0])
    register(instance, res, CollectionSpec(id="birds", images=str(tmp_path / "birds")))
    tags = {"dagster/partition": "birds"}
    instance.add_run(dg.DagsterRun(job_name="build_collection", status=dg.DagsterRunStatus.STARTED, tags=tags))
    assert evaluate(instance, res) == []
