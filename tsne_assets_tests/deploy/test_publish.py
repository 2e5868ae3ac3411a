"""`tsne-assets publish` against a real S3-compatible server (moto)."""

import boto3
import pytest
import requests

from tsne_assets.cli import main
from tsne_assets.core.publish import is_site_file
from tsne_assets.core.site import publish_site
from tsne_assets.core.storage import walk_files
from tsne_assets.core.web import IMMUTABLE, REVALIDATE, cache_control, content_type
from tsne_assets_tests.collections import jpeg_bytes, pattern_image

DZI = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Image xmlns="http://schemas.microsoft.com/deepzoom/2008" Format="jpg" Overlap="1" TileSize="256">'
    '<Size Width="64" Height="64"/></Image>'
)


def metadata(title: str) -> dict:
    return {
        "format": "tsne-assets.viewer/1",
        "collection": "tiny",
        "grid": {"cols": 1, "rows": 1, "cell_width": 64, "cell_height": 64},
        "image": {"dzi": "tiles.dzi", "width": 64, "height": 64},
        "fields": [],
        "cells": [0],
        "items": {"id": ["a.jpg"], "title": [title], "url": [""]},
    }


def publish_locally(root, version: str, title: str) -> None:
    """A one-image collection's viewer, published under ``<root>/site/tiny`` as ``version``."""
    tiles = root / "tiles" / version
    for level in range(7):
        (tiles / "tiles_files" / str(level)).mkdir(parents=True)
        (tiles / "tiles_files" / str(level) / "0_0.jpg").write_bytes(jpeg_bytes(pattern_image(level, (8, 8))))
    (tiles / "tiles.dzi").write_text(DZI)
    publish_site(root / "site" / "tiny", version=version, tiles_dir=tiles, metadata=metadata(title))


def objects(client, bucket: str, prefix: str) -> dict[str, dict]:
    """Key (relative to ``prefix``) -> HEAD response of every object under it."""
    listing = client.list_objects_v2(Bucket=bucket, Prefix=prefix + "/").get("Contents", [])
    return {item["Key"][len(prefix) + 1 :]: client.head_object(Bucket=bucket, Key=item["Key"]) for item in listing}


@pytest.fixture
def publish(tmp_path, s3_server, s3_bucket, capsys):
    def run() -> str:
        argv = ["publish", "tiny", "--root", str(tmp_path), "--to", f"s3://{s3_bucket}/maps/tiny"]
        assert main([*argv, "--to-endpoint-url", s3_server]) == 0
        return capsys.readouterr().out

    return run


def test_every_object_has_its_content_type_and_cache_lifetime(tmp_path, publish, s3_server, s3_bucket):
    publish_locally(tmp_path, "v1", "first")
    publish()
    stored = objects(boto3.client("s3", endpoint_url=s3_server), s3_bucket, "maps/tiny")
    assert stored["index.html"]["ContentType"] == "text/html; charset=utf-8"
    assert stored["current.json"]["ContentType"] == "application/json"
    assert stored["versions/v1/metadata.json"]["ContentType"] == "application/json"
    assert stored["versions/v1/tiles.dzi"]["ContentType"] == "application/xml"
    assert stored["versions/v1/tiles_files/6/0_0.jpg"]["ContentType"] == "image/jpeg"
    app = {key: head for key, head in stored.items() if key.startswith("viewer/")}
    assert {head["ContentType"] for key, head in app.items() if key.endswith(".js")} == {"text/javascript; charset=utf-8"}
    assert {head["ContentType"] for key, head in app.items() if key.endswith(".css")} == {"text/css; charset=utf-8"}
    short = {"index.html", "current.json", "versions/v1/metadata.json"}
    assert {key for key, head in stored.items() if head["CacheControl"] == REVALIDATE} == short
    assert all(head["CacheControl"] == IMMUTABLE for key, head in stored.items() if key not in short)
    assert len(app) >= 2 and sum(key.startswith("versions/v1/tiles_files/") for key in stored) == 7
    # The one policy of core.web, which `tsne-assets serve` follows too (test_site.py).
    assert all(head["ContentType"] == content_type(key) for key, head in stored.items())
    assert all(head["CacheControl"] == cache_control(key) for key, head in stored.items())


def test_text_is_stored_gzipped_and_served_so_while_images_and_the_pointer_stay_plain(
    tmp_path, publish, s3_server, s3_bucket
):
    publish_locally(tmp_path, "v1", "first")
    publish()
    client = boto3.client("s3", endpoint_url=s3_server)
    stored = objects(client, s3_bucket, "maps/tiny")
    gzipped = {key for key, head in stored.items() if head.get("ContentEncoding") == "gzip"}
    assert {"index.html", "versions/v1/metadata.json", "versions/v1/tiles.dzi"} <= gzipped
    assert any(key.startswith("viewer/") and key.endswith(".js") for key in gzipped)
    assert not any(key.endswith(".jpg") for key in gzipped) and "current.json" not in gzipped
    # What a browser gets: the site's own file, unpacked by the client on the way.
    site = tmp_path / "site" / "tiny"
    for key in ("versions/v1/metadata.json", "index.html", "current.json"):
        url = client.generate_presigned_url("get_object", Params={"Bucket": s3_bucket, "Key": f"maps/tiny/{key}"})
        response = requests.get(url, timeout=10)
        assert response.content == (site / key).read_bytes(), key
        assert response.headers.get("Content-Encoding") == ("gzip" if key in gzipped else None)


def test_unchanged_republish_uploads_nothing(tmp_path, publish):
    publish_locally(tmp_path, "v1", "first")
    assert "0 unchanged" in publish()
    assert "0 uploaded" in publish()


def test_new_version_uploads_its_files_and_keeps_the_previous_one(tmp_path, publish, s3_server, s3_bucket):
    client = boto3.client("s3", endpoint_url=s3_server)
    publish_locally(tmp_path, "v1", "first")
    publish()
    publish_locally(tmp_path, "v2", "second")
    publish()
    publish_locally(tmp_path, "v3", "third")
    out = publish()
    stored = objects(client, s3_bucket, "maps/tiny")
    assert client.get_object(Bucket=s3_bucket, Key="maps/tiny/current.json")["Body"].read() == (
        tmp_path / "site" / "tiny" / "current.json"
    ).read_bytes()
    assert {key.split("/")[1] for key in stored if key.startswith("versions/")} == {"v2", "v3"}
    # v3's metadata, DZI and seven tiles, then the pointer; v1's nine files are gone.
    assert "10 uploaded" in out and "9 removed" in out


def test_publish_job_uploads_the_partitions_viewer(tmp_path, instance, s3_server, s3_bucket):
    from tsne_assets.defs.definitions import make_resources
    from tsne_assets.defs.publish import publish_to_website

    publish_locally(tmp_path, "v1", "first")
    instance.add_dynamic_partitions("collections", ["tiny"])
    destination = f"s3://{s3_bucket}/site/tiny"
    result = publish_to_website.execute_in_process(
        partition_key="tiny",
        instance=instance,
        resources=make_resources(str(tmp_path)),
        run_config={"ops": {"publish_viewer_to_website": {"config": {"to": destination, "endpoint_url": s3_server}}}},
    )
    assert result.success
    stored = objects(boto3.client("s3", endpoint_url=s3_server), s3_bucket, "site/tiny")
    assert stored["versions/v1/metadata.json"]["ContentType"] == "application/json"
    uploaded = next(
        event.event_specific_data.metadata["uploaded"].value
        for event in result.all_events if event.event_type_value == "STEP_OUTPUT"
    )
    assert uploaded == len(stored)


def test_links_in_the_site_folder_are_never_published(tmp_path, publish, s3_server, s3_bucket):
    """Only the regular files the site asset wrote go out: a link to a file or a folder
    elsewhere, planted in the site folder, is neither followed nor uploaded."""
    publish_locally(tmp_path, "v1", "first")
    outside = tmp_path / "outside"
    (outside / "private").mkdir(parents=True)
    (outside / "secret.txt").write_text("secret")
    (outside / "private" / "key.pem").write_text("key")
    site = tmp_path / "site" / "tiny"
    (site / "versions" / "v1" / "notes.txt").symlink_to(outside / "secret.txt")
    (site / "viewer" / "private").symlink_to(outside / "private", target_is_directory=True)
    (site / "leak.html").symlink_to("/etc/hostname")
    publish()
    stored = objects(boto3.client("s3", endpoint_url=s3_server), s3_bucket, "maps/tiny")
    assert "versions/v1/metadata.json" in stored
    assert not {"versions/v1/notes.txt", "viewer/private/key.pem", "leak.html"} & set(stored)
    assert not [key for key in stored if "private" in key or "secret" in key]


def test_a_version_folder_that_is_a_link_is_refused(tmp_path, s3_server, s3_bucket, capsys):
    publish_locally(tmp_path, "v1", "first")
    version = tmp_path / "site" / "tiny" / "versions" / "v1"
    version.rename(tmp_path / "elsewhere")
    version.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    argv = ["publish", "tiny", "--root", str(tmp_path), "--to", f"s3://{s3_bucket}/maps/tiny", "--to-endpoint-url", s3_server]
    assert main(argv) == 2
    site = tmp_path / "site" / "tiny"
    assert capsys.readouterr().err == f"tsne-assets: error: {site} has no versions/v1/metadata.json to publish\n"
    assert objects(boto3.client("s3", endpoint_url=s3_server), s3_bucket, "maps/tiny") == {}


def test_only_files_the_site_wrote_are_published(tmp_path, s3_server, s3_bucket, capsys):
    """Regular files planted in the site folder (a note, a stray file in the version, a nested
    app folder) stay out; the page, the pointer, the app and the version's files go."""
    publish_locally(tmp_path, "v1", "first")
    site = tmp_path / "site" / "tiny"
    (site / "secret.txt").write_text("secret")
    (site / "versions" / "v1" / "extra.txt").write_text("extra")
    (site / "viewer" / "nested").mkdir()
    (site / "viewer" / "nested" / "x.js").write_text("x")
    argv = ["publish", "tiny", "--root", str(tmp_path), "--to", f"s3://{s3_bucket}/maps/tiny", "--to-endpoint-url", s3_server]
    assert main(argv) == 0
    stored = set(objects(boto3.client("s3", endpoint_url=s3_server), s3_bucket, "maps/tiny"))
    assert not {"secret.txt", "versions/v1/extra.txt", "viewer/nested/x.js"} & stored
    written = {key for key, _ in walk_files(site)} - {"secret.txt", "versions/v1/extra.txt", "viewer/nested/x.js"}
    assert stored == written
    assert "3 files the site did not write left out" in capsys.readouterr().out


@pytest.mark.parametrize(
    "key, published",
    [
        ("index.html", True),
        ("current.json", True),
        ("viewer/index-abc.js", True),
        ("viewer/a/b.js", False),
        ("versions/v1/metadata.json", True),
        ("versions/v1/tiles.dzi", True),
        ("versions/v1/preview.jpg", True),
        ("versions/v1/tiles_files/12/3_4.jpg", True),
        ("versions/v1/tiles_files/12/3_4.jpg.bak", False),
        ("versions/v1/tiles_files/notes.txt", False),
        ("versions/v0/metadata.json", False),
        ("notes.txt", False),
    ],
)
def test_the_site_files_are_named_by_the_site_layout(key, published):
    assert is_site_file(key, "v1", "tiles.dzi") is published
