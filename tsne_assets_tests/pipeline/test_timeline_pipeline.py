"""A build with ``--timeline``: both arrangements' pyramids in one published version, each image in
the column of its date."""

import json

import dagster as dg
import pytest

from tsne_assets.core.deepzoom import verify_deep_zoom
from tsne_assets.core.spec import CollectionSpec
from tsne_assets.core.timeline import UNDATED, year_of
from tsne_assets.defs.build import build_collection
from tsne_assets_tests.collections import write_messy_collection


@pytest.fixture(scope="module")
def timeline_build(tmp_path_factory, module_instance):
    """The messy collection built once with a timeline; the module's tests only read it."""
    tmp_path = tmp_path_factory.mktemp("dated")
    messy = write_messy_collection(tmp_path / "source")
    spec = CollectionSpec(
        id="dated",
        images=str(messy["images"]),
        metadata=str(messy["metadata"]),
        title="{Name}",
        timeline="Year",
        cell_size=(32, 24),
        detail_max=0,
    )
    root = tmp_path / "storage"
    result = build_collection(spec, root=str(root), instance=module_instance)
    assert result.success
    return root, result, module_instance


def test_a_timeline_build_publishes_both_pyramids_in_one_version(timeline_build):
    root, result, instance = timeline_build
    site = root / "site" / "dated"
    pointer = json.loads((site / "current.json").read_text())
    version = site / pointer["path"]
    assert pointer["path"] == f"versions/{result.run_id}/"
    metadata = json.loads((version / "metadata.json").read_text())
    assert metadata["arrangements"] == {"timeline": {"path": "timeline.json", "field": "Year"}}
    assert "Year" in metadata["fields"]
    timeline = json.loads((version / "timeline.json").read_text())
    assert verify_deep_zoom(version) == []
    assert verify_deep_zoom(version / "timeline") == []
    grid = timeline["grid"]
    assert timeline["image"] == {
        "dzi": "timeline/tiles.dzi", "width": grid["cols"] * 32, "height": grid["rows"] * 24,
    }
    # The similarity map is untouched: its own grid and cells, in the document.
    assert metadata["image"]["dzi"] == "tiles.dzi" and len(metadata["cells"]) == metadata["grid"]["cols"] * metadata["grid"]["rows"]
    event = instance.get_latest_materialization_event(dg.AssetKey("timeline"))
    recorded = event.asset_materialization.metadata
    assert recorded["columns"].value == grid["cols"] and "undated" in recorded
    undated = [i for i, year in zip(metadata["items"]["id"], metadata["items"]["Year"]) if year_of(year) is None]
    assert undated and all(f"`{image_id}`" in recorded["undated_images"].value for image_id in undated)
    # The timeline's pyramid reports as the map's does (_common.drawn_metadata): failures, preview.
    drawn = instance.get_latest_materialization_event(dg.AssetKey("timeline_tiles")).asset_materialization.metadata
    assert drawn["failed"].value == 0 and drawn["failed_images"].value == "(none)"
    assert drawn["preview"].value.startswith("![mosaic preview](data:image/jpeg;base64,")


def test_each_image_sits_in_the_column_of_its_dates_bin(timeline_build):
    root, *_ = timeline_build
    site = root / "site" / "dated"
    version = site / json.loads((site / "current.json").read_text())["path"]
    metadata = json.loads((version / "metadata.json").read_text())
    timeline = json.loads((version / "timeline.json").read_text())
    cols = timeline["grid"]["cols"]
    axis = timeline["axis"]
    years = [year_of(value) for value in metadata["items"]["Year"]]
    assert any(year is None for year in years)  # the image without a CSV row
    assert len(set(timeline["item_cells"])) == len(years)
    for year, cell in zip(years, timeline["item_cells"]):
        column = cell % cols
        [band] = [b for b in axis if b["col"] <= column < b["col"] + b["cols"]]
        if year is None:
            assert band["label"] == UNDATED
        else:
            assert band["start"] <= year <= band["end"], (year, band)
    assert axis[-1]["label"] == UNDATED and [b["start"] for b in axis[:-1]] == sorted(b["start"] for b in axis[:-1])


