"""The whole pipeline, sensor included, on a real S3-compatible server (moto on 127.0.0.1);
the published viewer is fetched back with plain HTTP GETs."""

import json
import re
import urllib.request
import xml.etree.ElementTree as ET

import boto3
import pytest

from tsne_assets.core.deepzoom import deep_zoom_level_size, deep_zoom_levels, verify_deep_zoom
from tsne_assets_tests.automation.daemon import resources, run_requests, sensor_tick
from tsne_assets_tests.collections import jpeg_bytes, pattern_image


def http_get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        return response.read()


def fetch_site(base: str, target) -> dict:
    """Download a published viewer the way a browser does: the page and the files it names,
    the pointer, the version's metadata and descriptor, and every tile the descriptor implies."""
    page = http_get(f"{base}/index.html").decode()
    for asset in re.findall(r'(?:src|href)="\.?/?([^"]+\.(?:js|css))"', page):
        assert http_get(f"{base}/{asset}")
    pointer = json.loads(http_get(f"{base}/current.json"))
    version = f"{base}/{pointer['path']}"
    metadata = json.loads(http_get(version + "metadata.json"))
    dzi = metadata["image"]["dzi"]
    descriptor = http_get(version + dzi)
    (target / dzi).write_bytes(descriptor)
    root = ET.fromstring(descriptor)
    size = root[0] if root[0].tag.endswith("Size") else root.find("{*}Size")
    width, height, tile = int(size.get("Width")), int(size.get("Height")), int(root.get("TileSize"))
    files = dzi[: -len(".dzi")] + "_files"
    for level in range(deep_zoom_levels(width, height)):
        level_width, level_height = deep_zoom_level_size(width, height, level)
        (target / files / str(level)).mkdir(parents=True)
        for x in range(-(-level_width // tile)):
            for y in range(-(-level_height // tile)):
                name = f"{x}_{y}.{root.get('Format')}"
                (target / files / str(level) / name).write_bytes(http_get(f"{version}{files}/{level}/{name}"))
    return {"pointer": pointer, "metadata": metadata}


@pytest.fixture
def s3(s3_server, s3_bucket):
    client = boto3.client("s3", endpoint_url=s3_server)

    def put_images(folder: str, indices) -> None:
        for index in indices:
            client.put_object(Bucket=s3_bucket, Key=f"images/{folder}/{index}.jpg", Body=jpeg_bytes(pattern_image(index)))

    # As a deployment that serves the viewer straight from the bucket: anyone may read site/.
    public = {
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{s3_bucket}/data/site/*"
    }
    client.put_bucket_policy(Bucket=s3_bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [public]}))
    res = resources(f"s3://{s3_bucket}/data", f"s3://{s3_bucket}/images", endpoint_url=s3_server)
    return client, put_images, res, f"{s3_server}/{s3_bucket}/data"


def keys(client, bucket: str, prefix: str) -> list[str]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return [item["Key"] for page in pages for item in page.get("Contents", [])]


def test_sensor_builds_and_publishes_on_s3_and_the_viewer_is_served_over_http(s3, s3_bucket, instance, tmp_path):
    client, put_images, res, http_root = s3
    put_images("Greek & Roman", range(4))
    client.put_object(Bucket=s3_bucket, Key="images/Greek & Roman/metadata.csv", Body=b"filename,title\n0.jpg,Amphora\n")
    tick = sensor_tick(instance, res)
    assert instance.get_dynamic_partitions("collections") == ["Greek-Roman"]
    [run] = tick.runs
    assert run.success
    assert all(check.passed for check in run.get_asset_check_evaluations())

    assert sorted(keys(client, s3_bucket, "data/assets/grid/")) == ["data/assets/grid/Greek-Roman.json"]
    site = fetch_site(f"{http_root}/site/Greek-Roman", tmp_path)
    assert verify_deep_zoom(tmp_path, site["metadata"]["image"]["dzi"]) == []
    assert sorted(site["metadata"]["items"]["title"]) == ["1.jpg", "2.jpg", "3.jpg", "Amphora"]
    assert site["pointer"]["path"] == f"versions/{run.run_id}/"


def test_a_run_failing_half_way_leaves_the_previous_version_serving(s3, s3_bucket, instance, tmp_path):
    client, put_images, res, http_root = s3
    put_images("birds", range(3))
    first = sensor_tick(instance, res)
    good = json.loads(http_get(f"{http_root}/site/birds/current.json"))

    put_images("birds", [6])
    second = sensor_tick(instance, res, first.cursor, execute=False)
    # The manifest, features, layout and grid of the new files are stored, then tiling fails.
    [failed] = run_requests(instance, second.requests, res, {"ops": {"tiles": {"config": {"tile_format": "tiff"}}}})
    assert not failed.success
    assert {e.asset_key.path[-1] for e in failed.get_asset_materialization_events()} >= {"image_manifest", "grid"}
    assert json.loads(http_get(f"{http_root}/site/birds/current.json")) == good
    served = fetch_site(f"{http_root}/site/birds", tmp_path)
    assert verify_deep_zoom(tmp_path, served["metadata"]["image"]["dzi"]) == []
    assert len(served["metadata"]["items"]["id"]) == 3

    # The retry publishes the four images and removes older tiles and versions but the last.
    [retried] = run_requests(instance, second.requests, res)
    assert retried.success
    current = json.loads(http_get(f"{http_root}/site/birds/current.json"))
    assert current["path"] == f"versions/{retried.run_id}/"
    tile_runs = {key.split("/")[3] for key in keys(client, s3_bucket, "data/tiles/birds/")}
    assert tile_runs == {retried.run_id}
    versions = {key.split("/")[4] for key in keys(client, s3_bucket, "data/site/birds/versions/")}
    assert versions == {retried.run_id, first.runs[0].run_id}
