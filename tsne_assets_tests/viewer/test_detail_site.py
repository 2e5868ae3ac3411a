"""Publishing the images' own pyramids with the site: inside the version, switched with it, on
local disk and S3, and to a static-website bucket (only the files the site wrote)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import boto3
import pytest
from upath import UPath

from tsne_assets.core.deepzoom import verify_deep_zoom
from tsne_assets.core.detail import DetailOptions, DetailSource, build_detail_pyramids
from tsne_assets.core.publish import is_site_file, publish_viewer
from tsne_assets.core.site import publish_site
from tsne_assets.core.viewer_data import check_viewer_metadata, detail_section
from tsne_assets_tests.collections import jpeg_bytes, pattern_image

from .test_site import _metadata, _tiles


def pyramids(tmp_path: Path, cache) -> dict:
    """Pyramids for images 0 and 2 of :func:`_metadata`'s three (image 1 is its cell's size)."""
    folder = tmp_path / "images"
    folder.mkdir(exist_ok=True)
    sources = []
    for index, size in enumerate([(400, 300), (16, 12), (300, 400)]):
        data = jpeg_bytes(pattern_image(index, size))
        (folder / f"img{index}.jpg").write_bytes(data)
        sources.append(DetailSource(f"img{index}.jpg", str(folder / f"img{index}.jpg"), hashlib.sha256(data).hexdigest(), *size))
    report = build_detail_pyramids(
        sources, cache, DetailOptions(max_size=256), cell_size=(16, 12), resize="contain", read=lambda p: Path(p).read_bytes()
    )
    assert list(report.pyramids) == ["img0.jpg", "img2.jpg"]
    return report.pyramids


def metadata_with(found: dict) -> dict:
    metadata = _metadata()
    sizes = {image_id: (p.width, p.height) for image_id, p in found.items()}
    metadata["detail"] = detail_section(
        metadata["items"]["id"], sizes, resize="contain", tile_size=256, overlap=1, tile_format="jpg"
    )
    return metadata


def test_the_pyramids_are_published_in_the_version(tmp_path: Path, dist: Path) -> None:
    cache = tmp_path / "cache"
    found = pyramids(tmp_path, cache)
    metadata = metadata_with(found)
    assert metadata["detail"]["width"] == [256, 0, 192] and metadata["detail"]["height"] == [192, 0, 256]
    assert check_viewer_metadata(metadata) == 3
    site = tmp_path / "site" / "c1"
    publish_site(
        site,
        version="v1",
        tiles_dir=_tiles(tmp_path / "tiles", "v1"),
        metadata=metadata,
        viewer_dist=dist,
        detail_dirs={0: cache / found["img0.jpg"].folder, 2: cache / found["img2.jpg"].folder},
    )
    version = site / "versions" / "v1"
    assert sorted(p.name for p in (version / "detail").iterdir()) == ["0.dzi", "0_files", "2.dzi", "2_files"]
    assert verify_deep_zoom(version / "detail", "0.dzi") == [] and verify_deep_zoom(version / "detail", "2.dzi") == []
    assert json.loads((version / "metadata.json").read_text())["detail"] == metadata["detail"]


def test_the_pyramids_must_match_the_metadata(tmp_path: Path, dist: Path) -> None:
    cache = tmp_path / "cache"
    found = pyramids(tmp_path, cache)
    with pytest.raises(ValueError, match="detail_dirs"):
        publish_site(
            tmp_path / "site" / "c1",
            version="v1",
            tiles_dir=_tiles(tmp_path / "tiles", "v1"),
            metadata=metadata_with(found),
            viewer_dist=dist,
            detail_dirs={0: cache / found["img0.jpg"].folder},  # image 2 has one too
        )
    broken = metadata_with(found)
    broken["detail"]["width"] = [256]
    with pytest.raises(ValueError, match="detail"):
        check_viewer_metadata(broken)


def test_the_pyramids_are_published_on_s3_and_to_a_website_bucket(tmp_path, dist, s3_server, s3_bucket) -> None:
    root = UPath(f"s3://{s3_bucket}/root", endpoint_url=s3_server)
    found = pyramids(tmp_path, root / "cache" / "detail")
    site = root / "site" / "c1"
    publish_site(
        site,
        version="v1",
        tiles_dir=_tiles(tmp_path / "tiles", "v1"),
        metadata=metadata_with(found),
        viewer_dist=dist,
        detail_dirs={item: root / "cache" / "detail" / found[f"img{item}.jpg"].folder for item in (0, 2)},
    )
    assert verify_deep_zoom(site / "versions" / "v1" / "detail", "2.dzi", check_tile_sizes=False) == []
    (site / "versions" / "v1" / "detail" / "notes.txt").write_text("not the site's")

    report = publish_viewer(site, f"s3://{s3_bucket}/web", storage_options={"endpoint_url": s3_server})
    assert "versions/v1/detail/notes.txt" in report.skipped
    client = boto3.client("s3", endpoint_url=s3_server)
    keys = {o["Key"] for o in client.list_objects_v2(Bucket=s3_bucket, Prefix="web/versions/v1/detail/")["Contents"]}
    assert {"web/versions/v1/detail/0.dzi", "web/versions/v1/detail/2.dzi"} <= keys
    tile = next(k for k in keys if k.startswith("web/versions/v1/detail/0_files/") and k.endswith(".jpg"))
    head = client.head_object(Bucket=s3_bucket, Key=tile)
    assert head["ContentType"] == "image/jpeg" and "immutable" in head["CacheControl"]
    assert client.head_object(Bucket=s3_bucket, Key="web/versions/v1/detail/0.dzi")["ContentType"] == "application/xml"


@pytest.mark.parametrize(
    "key, published",
    [
        ("versions/v1/detail/0.dzi", True),
        ("versions/v1/detail/12_files/8/1_0.jpg", True),
        ("versions/v1/detail/12_files/vips-properties.xml", False),
        ("versions/v1/detail/a.dzi", False),
        ("versions/v1/detail/0.dzi.bak", False),
        ("versions/v1/detail/sub/0.dzi", False),
        ("versions/v0/detail/0.dzi", False),
    ],
)
def test_only_the_pyramids_files_are_site_files(key: str, published: bool) -> None:
    assert is_site_file(key, "v1", "tiles.dzi") is published
