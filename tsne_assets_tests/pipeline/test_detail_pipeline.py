"""The detail_pyramids asset in the pipeline: built, published with the site, re-used on rebuild."""

import json

import dagster as dg

from tsne_assets.core.deepzoom import verify_deep_zoom
from tsne_assets.core.spec import CollectionSpec
from tsne_assets.defs.build import build_collection
from tsne_assets_tests.collections import jpeg_bytes, pattern_image


def detail_metadata(instance, run_id):
    [event] = [
        e for e in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
        if e.asset_materialization.asset_key == dg.AssetKey("detail_pyramids")
    ]
    return {key: value.value for key, value in event.asset_materialization.metadata.items()}


def test_a_rebuild_with_unchanged_images_re_renders_no_detail_pyramid(tmp_path, instance):
    folder = tmp_path / "images"
    folder.mkdir()
    for index in range(3):
        (folder / f"{index}.jpg").write_bytes(jpeg_bytes(pattern_image(index, (320, 240))))
    (folder / "small.jpg").write_bytes(jpeg_bytes(pattern_image(3, (48, 36))))  # its cell shows it whole
    spec = CollectionSpec(id="zoom", images=str(folder), cell_size=(64, 64), detail_max=256)
    root = tmp_path / "storage"

    first = build_collection(spec, root=str(root), instance=instance)
    assert first.success
    built = detail_metadata(instance, first.run_id)
    assert (built["pyramids"], built["rendered"], built["reused"], built["failed"]) == (3, 3, 0, 0)
    assert built["bytes"] > 0
    cache_files = {p: p.stat().st_mtime_ns for p in (root / "cache" / "detail").rglob("*") if p.is_file()}

    # Published in the version with the metadata that sizes them.
    site = root / "site" / "zoom"
    version = site / json.loads((site / "current.json").read_text())["path"]
    document = json.loads((version / "metadata.json").read_text())
    ids, detail = document["items"]["id"], document["detail"]
    assert {ids[i]: (w, h) for i, (w, h) in enumerate(zip(detail["width"], detail["height"])) if w} == {
        "0.jpg": (256, 192), "1.jpg": (256, 192), "2.jpg": (256, 192)
    }
    item = ids.index("1.jpg")
    assert verify_deep_zoom(version / "detail", f"{item}.dzi") == []

    again = build_collection(spec, root=str(root), instance=instance)
    assert again.success
    rebuilt = detail_metadata(instance, again.run_id)
    assert (rebuilt["rendered"], rebuilt["reused"], rebuilt["bytes"]) == (0, 3, 0)
    assert {p: p.stat().st_mtime_ns for p in (root / "cache" / "detail").rglob("*") if p.is_file()} == cache_files


def test_detail_max_0_builds_no_pyramid(tmp_path, instance):
    folder = tmp_path / "images"
    folder.mkdir()
    for index in range(2):
        (folder / f"{index}.jpg").write_bytes(jpeg_bytes(pattern_image(index, (320, 240))))
    spec = CollectionSpec(id="flat", images=str(folder), cell_size=(64, 64), detail_max=0)
    result = build_collection(spec, root=str(tmp_path / "storage"), instance=instance)
    assert result.success
    assert detail_metadata(instance, result.run_id)["pyramids"] == 0
    site = tmp_path / "storage" / "site" / "flat"
    version = site / json.loads((site / "current.json").read_text())["path"]
    assert "detail" not in json.loads((version / "metadata.json").read_text())
    assert not (version / "detail").exists()
