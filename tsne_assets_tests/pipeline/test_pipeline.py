"""Materialize every asset of real (small) collections and check what they produce."""

import json

import dagster as dg
import numpy as np
import pandas as pd
import pytest

from tsne_assets.core.deepzoom import verify_deep_zoom
from tsne_assets.core.grid import AUTO_HEADROOM, auto_headroom
from tsne_assets.core.quality import grid_preservation, layout_preservation
from tsne_assets.core.spec import CollectionSpec
from tsne_assets.defs.build import build_collection
from tsne_assets_tests.collections import jpeg_bytes, pattern_image, write_messy_collection


def stored(root, asset, collection, extension):
    path = root / "assets" / asset / f"{collection}{extension}"
    if extension == ".parquet":
        return pd.read_parquet(path)
    if extension == ".npy":
        return np.load(path, allow_pickle=False)
    return json.loads(path.read_text())


def materialization(instance, asset, collection):
    event = instance.get_latest_materialization_event(dg.AssetKey(asset))
    assert event.asset_materialization.partition == collection
    return event.asset_materialization.metadata


@pytest.fixture(scope="module")
def messy_build(tmp_path_factory, module_instance):
    """The messy collection built once for the module; its tests only read the build and
    ``module_instance``'s events."""
    tmp_path = tmp_path_factory.mktemp("messy")
    messy = write_messy_collection(tmp_path / "source")
    spec = CollectionSpec(
        id="messy",
        images=str(messy["images"]),
        metadata=str(messy["metadata"]),
        title="{Name} ({Year})",
        url="https://example.org/{Id}/",
        fields=("Year",),
        cell_size=(64, 48),
    )
    root = tmp_path / "storage"
    result = build_collection(spec, root=str(root), instance=module_instance)
    return messy, spec, root, result


def test_every_asset_materializes(messy_build, module_instance):
    *_, result = messy_build
    assert result.success
    materialized = {event.asset_key.path[-1] for event in result.get_asset_materialization_events()}
    assert materialized == {
        "collection_spec", "image_manifest", "collection_metadata", "features", "pca", "feature_neighbours",
        "layout_plan", "tsne", "grid", "tiles", "detail_pyramids", "similar_images", "clusters", "facets", "viewer_metadata", "viewer_site",
        "timeline", "timeline_tiles",
    }
    assert module_instance.get_dynamic_partitions("collections") == ["messy"]
    assert module_instance.get_run_by_id(result.run_id).job_name == "build_collection"


def test_the_spec_is_the_root_snapshotted_with_its_digest_as_data_version(messy_build, module_instance):
    _, spec, root, _ = messy_build
    assert stored(root, "collection_spec", "messy", ".json") == spec.to_dict()
    event = module_instance.get_latest_materialization_event(dg.AssetKey("collection_spec"))
    assert event.asset_materialization.tags["dagster/data_version"] == spec.digest()
    assert CollectionSpec.from_json((root / "collections" / "messy.json").read_text()) == spec  # registered


def test_only_asset_values_remain_in_storage(messy_build):
    *_, root, result = messy_build
    # Feature shards pass through assets/<run id>/ and are removed once assembled.
    assert not (root / "assets" / result.run_id).exists()
    assert {path.name for path in (root / "assets").iterdir()} == {
        "collection_spec", "image_manifest", "collection_metadata", "features", "pca", "feature_neighbours",
        "layout_plan", "tsne", "grid", "tiles", "viewer_metadata",
        "viewer_site", "detail_pyramids", "similar_images", "clusters", "facets", "timeline", "timeline_tiles",
    }


def test_bad_files_are_reported_not_fatal(messy_build, module_instance):
    messy, _, root, _ = messy_build
    manifest = stored(root, "image_manifest", "messy", ".parquet")
    assert sorted(manifest[~manifest["readable"]]["id"]) == messy["unreadable"]
    metadata = materialization(module_instance, "image_manifest", "messy")
    assert metadata["skipped"].value == len(messy["unreadable"])
    assert metadata["duplicates"].value == 1
    assert "room two/empty.jpg" in metadata["skipped_files"].value


def test_metadata_gaps_are_counted_and_listed(messy_build, module_instance):
    messy, *_ = messy_build
    metadata = materialization(module_instance, "collection_metadata", "messy")
    assert metadata["images_without_row"].value == len(messy["without_row"])
    assert metadata["rows_without_image"].value == 1
    assert messy["row_without_image"] in metadata["rows_without_image_list"].value


def test_every_image_is_placed_exactly_once(messy_build):
    messy, _, root, _ = messy_build
    grid = stored(root, "grid", "messy", ".json")
    features = stored(root, "features", "messy", ".npy")
    layout = stored(root, "tsne", "messy", ".npy")
    assert len(grid["cells"]) == len(features) == len(layout) == len(messy["readable"])
    assert len(set(grid["cells"])) == len(grid["cells"])
    assert max(grid["cells"]) < grid["cols"] * grid["rows"]


def test_layout_quality_is_recorded_with_every_build(messy_build, module_instance):
    _, spec, root, _ = messy_build
    grid = stored(root, "grid", "messy", ".json")
    pca = stored(root, "pca", "messy", ".npy")
    tsne = stored(root, "tsne", "messy", ".npy")
    layout_meta = materialization(module_instance, "tsne", "messy")
    assert layout_meta["neighbour_preservation"].value == pytest.approx(layout_preservation(pca, tsne), abs=1e-4)
    grid_meta = materialization(module_instance, "grid", "messy")
    cells = np.asarray(grid["cells"])
    assert grid_meta["neighbour_preservation"].value == pytest.approx(
        grid_preservation(pca, cells, grid["cols"]), abs=1e-4
    )
    assert grid_meta["layout_neighbours_kept"].value == pytest.approx(
        grid_preservation(tsne, cells, grid["cols"]), abs=1e-4
    )
    assert spec.headroom is None and grid_meta["headroom"].value == auto_headroom(len(cells)) == AUTO_HEADROOM
    assert grid_meta["empty_cells"].value == grid["cols"] * grid["rows"] - len(cells) >= AUTO_HEADROOM * len(cells) - 1


def test_deep_zoom_pyramid_is_complete(messy_build):
    _, spec, root, _ = messy_build
    tiles = stored(root, "tiles", "messy", ".json")
    grid = stored(root, "grid", "messy", ".json")
    out_dir = root / tiles["path"]
    assert verify_deep_zoom(out_dir) == []
    assert (tiles["width"], tiles["height"]) == (grid["cols"] * 64, grid["rows"] * 48)
    assert (out_dir / "preview.jpg").exists()


def test_viewer_metadata_matches_grid_and_records(messy_build):
    messy, _, root, _ = messy_build
    grid = stored(root, "grid", "messy", ".json")
    document = stored(root, "viewer_metadata", "messy", ".json")
    records = stored(root, "collection_metadata", "messy", ".parquet")
    assert document["grid"] == {"cols": grid["cols"], "rows": grid["rows"], "cell_width": 64, "cell_height": 48}
    assert document["fields"] == ["Year"]
    cells = document["cells"]
    for index, cell in enumerate(grid["cells"]):
        assert cells[cell] == index
    assert cells.count(-1) == grid["cols"] * grid["rows"] - len(grid["cells"])
    assert document["items"]["id"] == records["id"].tolist() == sorted(messy["readable"])
    titled = dict(zip(document["items"]["id"], document["items"]["title"]))
    assert titled["room two/rotated.jpg"] == "rotated.jpg"  # no metadata row: the file name
    assert all(title.startswith("Object ") for image_id, title in titled.items() if image_id != "room two/rotated.jpg")


def test_one_image_collection(tmp_path, instance):
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "only.jpg").write_bytes(jpeg_bytes(pattern_image(2)))
    spec = CollectionSpec(id="one", images=str(tmp_path / "one" / "*.jpg"))
    root = tmp_path / "storage"
    assert build_collection(spec, root=str(root), instance=instance).success
    grid = stored(root, "grid", "one", ".json")
    assert (grid["cols"], grid["rows"], grid["cells"]) == (1, 1, [0])
    document = stored(root, "viewer_metadata", "one", ".json")
    assert document["items"]["title"] == ["only.jpg"]
    assert verify_deep_zoom(root / stored(root, "tiles", "one", ".json")["path"]) == []


def test_rebuild_after_adding_an_image_embeds_only_the_new_one(tmp_path, instance):
    folder = tmp_path / "images"
    folder.mkdir()
    for index in range(4):
        (folder / f"{index}.jpg").write_bytes(jpeg_bytes(pattern_image(index)))
    spec = CollectionSpec(id="growing", images=str(folder))
    root = str(tmp_path / "storage")
    build_collection(spec, root=root, instance=instance)
    (folder / "new.jpg").write_bytes(jpeg_bytes(pattern_image(7)))
    build_collection(spec, root=root, instance=instance)
    metadata = materialization(instance, "features", "growing")
    assert (metadata["computed"].value, metadata["from_cache"].value) == (1, 4)


def test_template_naming_a_missing_column_fails_clearly(tmp_path, instance):
    messy = write_messy_collection(tmp_path / "source")
    spec = CollectionSpec(id="typo", images=str(messy["images"]), metadata=str(messy["metadata"]), title="{Nmae}")
    with pytest.raises(Exception, match="names column 'Nmae'"):
        build_collection(spec, root=str(tmp_path / "storage"), instance=instance)


def test_viewer_site_is_published_as_one_folder(messy_build):
    *_, root, _ = messy_build
    site = root / "site" / "messy"
    pointer = json.loads((site / "current.json").read_text())
    version = site / pointer["path"]
    assert json.loads((version / "metadata.json").read_text()) == stored(root, "viewer_metadata", "messy", ".json")
    assert verify_deep_zoom(version) == []
    assert (site / "index.html").exists()
    # IIIF out by default (map_tiles "both"): the same tiles as a IIIF service, and the map's manifest.
    assert (version / "manifest.json").is_file() and (version / "iiif" / "info.json").is_file()
