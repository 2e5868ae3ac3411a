"""The collections sensor on local folders, with a real instance and the runs it requests executed."""

import json

import dagster as dg
import pytest

from tsne_assets.core.spec import CollectionSpec
from tsne_assets.core.storage import load_spec, storage_path
from tsne_assets_tests.collections import jpeg_bytes, pattern_image, write_images

from .daemon import register, requested_spec, resources, run_requests, sensor_tick


def features_metadata(instance, collection):
    event = instance.get_latest_materialization_event(dg.AssetKey("features"))
    assert event.asset_materialization.partition == collection
    return event.asset_materialization.metadata


@pytest.fixture
def watched(tmp_path):
    images = tmp_path / "images"
    images.mkdir()
    return images, resources(str(tmp_path / "storage"), str(images))


def test_new_folder_adds_a_partition_and_builds_it(watched, instance):
    images, res = watched
    write_images(images / "birds", range(3))
    (images / "birds" / "metadata.csv").write_text("filename,title\n0.jpg,Robin\n")
    tick = sensor_tick(instance, res)
    assert instance.get_dynamic_partitions("collections") == ["birds"]
    assert [r.partition_key for r in tick.requests] == ["birds"]
    assert [run.success for run in tick.runs] == [True]
    spec = load_spec(storage_path(res["storage"].root), "birds")
    assert (spec.images, spec.metadata) == (str(images / "birds"), str(images / "birds" / "metadata.csv"))
    document = json.loads((storage_path(res["storage"].root) / "assets" / "viewer_metadata" / "birds.json").read_text())
    assert sorted(document["items"]["title"]) == ["1.jpg", "2.jpg", "Robin"]


def test_unchanged_folder_requests_nothing_across_restarts(watched, instance):
    images, res = watched
    write_images(images / "birds", range(3))
    first = sensor_tick(instance, res, execute=False)
    # A new context with the stored cursor, as after a daemon restart.
    again = sensor_tick(instance, res, first.cursor)
    assert again.requests == []
    assert again.cursor == first.cursor
    # A hidden file (.DS_Store) is no change either.
    (images / "birds" / ".DS_Store").write_bytes(b"finder")
    assert sensor_tick(instance, res, first.cursor).requests == []


def test_added_image_rebuilds_embedding_only_the_new_image(watched, instance):
    images, res = watched
    write_images(images / "birds", range(3))
    first = sensor_tick(instance, res)
    write_images(images / "birds", [7])
    second = sensor_tick(instance, res, first.cursor)
    assert [r.partition_key for r in second.requests] == ["birds"]
    assert second.requests[0].run_key != first.requests[0].run_key
    assert second.runs[0].success
    metadata = features_metadata(instance, "birds")
    assert (metadata["computed"].value, metadata["from_cache"].value) == (1, 3)


@pytest.mark.parametrize("change", ["replace", "remove", "metadata"])
def test_replaced_removed_or_metadata_change_requests_a_run(watched, instance, change):
    images, res = watched
    write_images(images / "birds", range(3))
    first = sensor_tick(instance, res, execute=False)
    folder = images / "birds"
    if change == "replace":
        (folder / "1.jpg").write_bytes(jpeg_bytes(pattern_image(8)) + b"\0" * 7)  # another size
    elif change == "remove":
        (folder / "2.jpg").unlink()
    else:
        (folder / "metadata.csv").write_text("filename,title\n0.jpg,Robin\n")
    second = sensor_tick(instance, res, first.cursor, execute=False)
    assert [r.partition_key for r in second.requests] == ["birds"]


def test_a_folder_changed_back_gets_a_new_run_key(watched, instance):
    images, res = watched
    write_images(images / "birds", range(2))
    keys, cursor = [], None
    for step in range(3):
        if step == 1:
            write_images(images / "birds", [5])
        if step == 2:
            (images / "birds" / "5.jpg").unlink()
        tick = sensor_tick(instance, res, cursor, execute=False)
        keys += [r.run_key for r in tick.requests]
        cursor = tick.cursor
    assert len(keys) == len(set(keys)) == 3


def test_odd_folder_names_become_safe_keys(watched, instance):
    images, res = watched
    names = {
        "Greek & Roman": "Greek-Roman",
        "v1.2, final": "v1-2-final",
        "Musée d'Orsay": "Musee-d-Orsay",
        "Photos [2020]": "Photos-2020",
        "_drafts": "drafts",
    }
    for index, name in enumerate(names):
        write_images(images / name, [index])
    tick = sensor_tick(instance, res, execute=False)
    assert sorted(instance.get_dynamic_partitions("collections")) == sorted(names.values())
    assert sorted(r.partition_key for r in tick.requests) == sorted(names.values())
    [photos] = [r for r in tick.requests if r.partition_key == "Photos-2020"]
    assert requested_spec(photos).images == str(images / "Photos [2020]")
    # Glob characters in a folder name: the folder is still read as a folder.
    [run] = run_requests(instance, [photos], res)
    assert run.success
    assert load_spec(storage_path(res["storage"].root), "Photos-2020") == requested_spec(photos)


def test_colliding_names_are_reported_and_the_first_owner_keeps_the_key(watched, instance, capsys):
    images, res = watched
    write_images(images / "a b", [0])
    first = sensor_tick(instance, res, execute=False)
    write_images(images / "a-b", [1])  # the valid name, but "a b" owns the key already
    write_images(images / "a.b", [2])
    second = sensor_tick(instance, res, first.cursor, execute=False)
    assert second.requests == []
    assert json.loads(second.cursor)["collections"]["a-b"]["folder"] == "a b"
    log = capsys.readouterr().err
    assert "folder 'a-b' maps to the collection id 'a-b' of folder 'a b'; rename one of them" in log
    assert "folder 'a.b' maps to the collection id 'a-b' of folder 'a b'; rename one of them" in log


def test_removed_folder_is_reported_and_optionally_its_partition_removed(tmp_path, instance, capsys):
    images = tmp_path / "images"
    write_images(images / "birds", [0])
    write_images(images / "fish", [1])
    keep = resources(str(tmp_path / "storage"), str(images))
    first = sensor_tick(instance, keep, execute=False)
    for path in (images / "fish").iterdir():
        path.unlink()
    (images / "fish").rmdir()
    second = sensor_tick(instance, keep, first.cursor, execute=False)
    assert "the folder 'fish' of collection 'fish' is gone: its outputs and partition stay" in capsys.readouterr().err
    assert sorted(instance.get_dynamic_partitions("collections")) == ["birds", "fish"]
    assert list(json.loads(second.cursor)["collections"]) == ["birds"]

    remove = resources(str(tmp_path / "storage"), str(images), remove_missing=True)
    sensor_tick(instance, remove, first.cursor, execute=False)
    assert instance.get_dynamic_partitions("collections") == ["birds"]


def test_without_a_watched_folder_the_sensor_idles(tmp_path, instance):
    tick = sensor_tick(instance, resources(str(tmp_path / "storage"), None))
    assert isinstance(tick.result, dg.SkipReason)
    assert "TSNE_ASSETS_IMAGES_ROOT" in tick.result.skip_message


def test_a_missing_watched_folder_keeps_the_cursor(watched, instance):
    images, res = watched
    write_images(images / "birds", [0])
    first = sensor_tick(instance, res, execute=False)
    for path in (images / "birds").iterdir():
        path.unlink()
    (images / "birds").rmdir()
    images.rmdir()
    tick = sensor_tick(instance, res, first.cursor, execute=False)
    assert isinstance(tick.result, dg.SkipReason) and "does not exist" in tick.result.skip_message


def test_a_key_registered_from_elsewhere_is_not_taken_over(watched, instance, tmp_path, capsys):
    images, res = watched
    write_images(tmp_path / "elsewhere", [0])
    register(instance, res, CollectionSpec(id="birds", images=str(tmp_path / "elsewhere")))
    write_images(images / "birds", [1])
    tick = sensor_tick(instance, res, execute=False)
    assert tick.requests == []
    assert load_spec(storage_path(res["storage"].root), "birds").images == str(tmp_path / "elsewhere")
    assert "already used by a collection of" in capsys.readouterr().err


def test_settings_kept_in_an_existing_spec_of_the_folder(watched, instance, tmp_path):
    images, res = watched
    write_images(images / "birds", [0])
    (tmp_path / "old.csv").write_text("filename,Name\n0.jpg,Robin\n")
    spec = CollectionSpec(
        id="birds", images=str(images / "birds"), metadata=str(tmp_path / "old.csv"), title="{Name}", cell_size=(64, 64)
    )
    register(instance, res, spec)
    (images / "birds" / "metadata.csv").write_text("filename,Name\n0.jpg,Robin\n")
    [request] = sensor_tick(instance, res, execute=False).requests
    requested = requested_spec(request)
    assert (requested.title, requested.cell_size, requested.metadata) == (
        "{Name}", (64, 64), str(images / "birds" / "metadata.csv")
    )


def test_a_folder_whose_collection_is_being_built_waits_for_a_later_tick(watched, instance):
    images, res = watched
    write_images(images / "birds", [0])
    first = sensor_tick(instance, res)
    assert [run.success for run in first.runs] == [True]
    write_images(images / "birds", [1])
    running = dg.DagsterRun(job_name="build_collection", status=dg.DagsterRunStatus.STARTED, tags={"dagster/partition": "birds"})
    instance.add_run(running)

    busy = sensor_tick(instance, res, first.cursor, execute=False)
    assert busy.requests == []
    instance.report_run_failed(running)
    later = sensor_tick(instance, res, busy.cursor, execute=False)
    assert [request.partition_key for request in later.requests] == ["birds"]
