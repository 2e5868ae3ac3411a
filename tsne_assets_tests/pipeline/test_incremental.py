"""Maps that grow: rebuilds keep every image's cell, place new images, and lay out afresh only
when asked or when the policy says so (real Dagster instance, real builds)."""

import json
import os
import shutil

import dagster as dg
import pytest

from tsne_assets.core.spec import CollectionSpec
from tsne_assets.defs.assets.layout import RELAYOUT_RUN_CONFIG
from tsne_assets.core.site import read_pointer
from tsne_assets.defs.build import build_collection, merge_run_config
from tsne_assets_tests.automation.daemon import resources, sensor_tick
from tsne_assets_tests.collections import write_images


def published_cells(root, collection="growing"):
    """``{image id: (col, row)}`` as the published viewer metadata places them."""
    document = json.loads((root / "assets" / "viewer_metadata" / f"{collection}.json").read_text())
    cols, ids = document["grid"]["cols"], document["items"]["id"]
    return {ids[item]: (cell % cols, cell // cols) for cell, item in enumerate(document["cells"]) if item >= 0}


#: Tiles as small as the cells, so that a small map has many (without overlap, the default, each
#: cell is exactly one tile of the deepest level).
SMALL_TILES = {"ops": {"tiles": {"config": {"tile_size": 16}}}}


def latest(instance, asset):
    return instance.get_latest_materialization_event(dg.AssetKey(asset)).asset_materialization.metadata


@pytest.fixture(scope="module")
def first_build(tmp_path_factory):
    """A 12-image collection built once (on an instance of its own); each test rebuilds a copy."""
    base = tmp_path_factory.mktemp("first")
    write_images(base / "images", range(12))
    spec = CollectionSpec(id="growing", images=str(base / "images"), cell_size=(16, 16), detail_max=0)
    with dg.instance_for_test() as instance:
        assert build_collection(spec, root=str(base / "storage"), instance=instance, run_config=SMALL_TILES).success
    return base


@pytest.fixture
def growing(first_build, tmp_path, instance):
    """The first build's images and storage, copied; ``build(**options)`` rebuilds them and
    returns the published cells. ``spec`` options change the collection's spec."""
    images, root = tmp_path / "images", tmp_path / "storage"
    shutil.copytree(first_build / "images", images)
    # Hard links, as the storage's own copies are: the published tiles share their files.
    shutil.copytree(first_build / "storage", root, copy_function=os.link)

    def build(spec=None, run_config=None):
        spec = CollectionSpec(id="growing", images=str(images), cell_size=(16, 16), detail_max=0, **(spec or {}))
        config = merge_run_config(SMALL_TILES, run_config or {})
        assert build_collection(spec, root=str(root), instance=instance, run_config=config).success
        return published_cells(root)

    return images, root, build


def test_added_images_are_placed_and_no_image_moves(growing, instance):
    images, root, build = growing
    before = published_cells(root)
    write_images(images, range(12, 15))
    after = build()
    assert {image: after[image] for image in before} == before
    new = {f"{i}.jpg" for i in range(12, 15)}
    assert set(after) - set(before) == new
    assert len(set(after.values())) == len(after)  # each in a cell of its own
    assert latest(instance, "layout_plan")["layout"].value == "incremental"
    assert latest(instance, "tsne")["layout"].value == "kept, new images placed"  # no t-SNE run
    grid = latest(instance, "grid")
    assert (grid["layout"].value, grid["placed"].value) == ("incremental", 3)
    assert grid["placed_share"].value == pytest.approx(3 / 15, abs=1e-4)


def test_removed_images_leave_empty_cells_and_the_rest_stay(growing, instance):
    images, root, build = growing
    before = published_cells(root)
    (images / "3.jpg").unlink()
    (images / "7.jpg").unlink()
    after = build()
    assert after == {image: cell for image, cell in before.items() if image not in ("3.jpg", "7.jpg")}
    document = json.loads((root / "assets" / "viewer_metadata" / "growing.json").read_text())
    cols = document["grid"]["cols"]
    for image in ("3.jpg", "7.jpg"):
        col, row = before[image]
        assert document["cells"][row * cols + col] == -1
    assert latest(instance, "grid")["removed"].value == 2


def test_relayout_lays_the_map_out_afresh(growing, instance):
    images, root, build = growing
    write_images(images, range(12, 15))
    build(run_config=RELAYOUT_RUN_CONFIG)
    plan = latest(instance, "layout_plan")
    assert (plan["layout"].value, plan["reason"].value) == ("full", "asked for (relayout)")
    assert latest(instance, "tsne")["layout"].value == "t-SNE"
    grid = latest(instance, "grid")
    assert (grid["layout"].value, grid["placed_share"].value) == ("full", 0.0)
    state = json.loads((root / "maps" / "growing.json").read_text())
    assert state["placed"] == [0] * 15


def test_policy_relays_out_past_the_share_of_placed_images(growing, instance):
    images, _, build = growing
    write_images(images, range(12, 14))  # 2 of 14 placed: within the policy
    build({"relayout_share": 0.2})
    assert latest(instance, "grid")["layout"].value == "incremental"
    write_images(images, range(14, 16))  # 4 of 16 placed since the full layout: past it
    build({"relayout_share": 0.2})
    plan = latest(instance, "layout_plan")
    assert plan["layout"].value == "full"
    assert plan["reason"].value.startswith("25% of the images placed since the last full layout")


def deepest_tiles(files):
    """``{name: path}`` of the deepest level's tiles among ``files`` (``level/col_row.jpg`` paths)."""
    deepest = max(int(name.split("/")[0]) for name in files)
    return {name.split("/")[1][: -len(".jpg")]: path for name, path in files.items() if name.startswith(f"{deepest}/")}


def test_only_tiles_over_changed_cells_differ_from_the_previous_version(growing, instance):
    images, root, build = growing
    site = root / "site" / "growing"
    first = site / "versions" / read_pointer(site) / "tiles_files"
    before = published_cells(root)
    write_images(images, range(12, 15))
    after = build()
    second = site / "versions" / read_pointer(site) / "tiles_files"
    old = {p.relative_to(first).as_posix(): p for p in first.rglob("*.jpg")}
    new = {p.relative_to(second).as_posix(): p for p in second.rglob("*.jpg")}
    assert old.keys() == new.keys()
    differ = {name for name in old if old[name].read_bytes() != new[name].read_bytes()}
    metadata = latest(instance, "tiles")
    assert metadata["updated"].value and metadata["changed_cells"].value == 3
    # A tile re-rendered with the pixels it had is the same file again: at most those differ.
    assert 0 < len(differ) <= metadata["tiles_rendered"].value < metadata["tiles"].value
    # Every tile not re-rendered is the previous version's very file.
    reused = [name for name in old if old[name].stat().st_ino == new[name].stat().st_ino]
    assert len(reused) == metadata["tiles"].value - metadata["tiles_rendered"].value
    assert not differ & set(reused)
    placed = [after[image] for image in set(after) - set(before)]
    deepest_old, deepest_new = deepest_tiles(old), deepest_tiles(new)
    differ_deepest = {t for t in deepest_old if deepest_old[t].read_bytes() != deepest_new[t].read_bytes()}
    # Without overlap a cell's pixels lie in its own tile only: exactly those tiles changed.
    assert differ_deepest == {f"{c}_{r}" for c, r in placed}


def test_tiles_are_updated_on_s3_and_published_atomically(tmp_path, instance, s3_server, s3_bucket):
    import boto3

    client = boto3.client("s3", endpoint_url=s3_server)
    images = tmp_path / "images"
    write_images(images, range(12))
    spec = CollectionSpec(id="growing", images=str(images), cell_size=(16, 16), detail_max=0)
    root = f"s3://{s3_bucket}/data"

    def build():
        assert build_collection(spec, root=root, endpoint_url=s3_server, instance=instance, run_config=SMALL_TILES).success
        pointer = json.loads(client.get_object(Bucket=s3_bucket, Key="data/site/growing/current.json")["Body"].read())
        prefix = f"data/site/growing/{pointer['path']}tiles_files/"
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=s3_bucket, Prefix=prefix)
        return {item["Key"][len(prefix):]: item["ETag"] for page in pages for item in page.get("Contents", [])}

    first = build()
    write_images(images, range(12, 14))
    second = build()
    assert first.keys() == second.keys()
    differ = {name for name in first if first[name] != second[name]}
    metadata = latest(instance, "tiles")
    assert metadata["updated"].value and metadata["changed_cells"].value == 2
    assert 0 < len(differ) <= metadata["tiles_rendered"].value < len(first)


def test_a_sensor_triggered_rebuild_is_incremental(tmp_path, instance):
    folder = tmp_path / "images"
    res = resources(str(tmp_path / "storage"), str(folder))
    write_images(folder / "birds", range(8))
    first = sensor_tick(instance, res)
    before = published_cells(tmp_path / "storage", "birds")
    write_images(folder / "birds", [8])
    second = sensor_tick(instance, res, first.cursor)
    assert [run.success for run in second.runs] == [True]
    after = published_cells(tmp_path / "storage", "birds")
    assert {image: after[image] for image in before} == before
    assert latest(instance, "grid")["layout"].value == "incremental"


def test_a_grown_map_shows_when_each_image_was_added(growing):
    images, root, build = growing
    document = json.loads((root / "assets" / "viewer_metadata" / "growing.json").read_text())
    assert "Added" not in document["fields"]  # all added the same day: nothing new to show
    state_file = root / "maps" / "growing.json"
    state = json.loads(state_file.read_text())
    state["added"] = ["2026-01-05"] * len(state["ids"])  # as if the first build ran back then
    state_file.write_text(json.dumps(state))
    write_images(images, range(12, 14))
    build()
    document = json.loads((root / "assets" / "viewer_metadata" / "growing.json").read_text())
    assert document["fields"][-1] == "Added"  # shown in the details panel and searched
    added = dict(zip(document["items"]["id"], document["items"]["Added"]))
    new = {added.pop("12.jpg"), added.pop("13.jpg")}
    assert set(added.values()) == {"2026-01-05"} and len(new) == 1 and new != {"2026-01-05"}
    [facet] = [facet for facet in document["facets"] if facet["field"] == "Added"]
    assert facet["kind"] == "date" and facet["missing"] == 0 and sum(facet["counts"]) == 14
