"""Folder discovery, fingerprints from listings and safe keys (core.discovery), locally and on S3."""

import dataclasses

import boto3
import pytest

from tsne_assets.core.discovery import (
    assign_keys,
    build_fingerprint,
    discover_collections,
    safe_collection_id,
    spec_fingerprint,
)
from tsne_assets.core.spec_values import COLLECTION_ID_PATTERN
from tsne_assets_tests.collections import jpeg_bytes, pattern_image, write_images


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("birds", "birds"),
        ("Greek & Roman", "Greek-Roman"),
        ("a,b/c.d", "a-b-c-d"),
        ("Musée d'Orsay", "Musee-d-Orsay"),
        ("__init__", "init"),
        ("x" * 200, "x" * 128),
    ],
)
def test_safe_collection_id(name, key):
    assert safe_collection_id(name) == key


def test_names_without_any_safe_character_get_a_stable_hashed_key():
    key = safe_collection_id("日本の絵")
    assert key == safe_collection_id("日本の絵") != safe_collection_id("中国の絵")
    assert key.startswith("collection-") and COLLECTION_ID_PATTERN.match(key)


def test_the_previous_owner_keeps_a_contested_key():
    keys, problems = assign_keys(["a b", "a-b"], owners={"a-b": "a b"})
    assert keys == {"a b": "a-b"}
    assert problems == ["folder 'a-b' maps to the collection id 'a-b' of folder 'a b'; rename one of them"]
    assert assign_keys(["a b", "a-b"])[0] == {"a b": "a-b"}  # no owner: the first name sorted


def test_metadata_csv_choice(tmp_path):
    for folder, csvs in {"one": ["objects.csv"], "named": ["a.csv", "metadata.csv"], "many": ["a.csv", "b.csv"]}.items():
        write_images(tmp_path / folder, [0])
        for name in csvs:
            (tmp_path / folder / name).write_text("filename\n0.jpg\n")
    (tmp_path / "nested" / "sub").mkdir(parents=True)
    (tmp_path / "nested" / "sub" / "deep.csv").write_text("filename\n")
    write_images(tmp_path / "nested", [1])
    (tmp_path / "loose.jpg").write_bytes(b"a file directly in the root is no collection")
    found = discover_collections(str(tmp_path))
    metadata = {c.key: c.spec.metadata for c in found.collections}
    assert metadata == {
        "one": str(tmp_path / "one" / "objects.csv"),
        "named": str(tmp_path / "named" / "metadata.csv"),
        "many": None,
        "nested": None,
    }
    assert found.problems == [
        "folder 'many': several CSV files and none named metadata.csv (a.csv, b.csv): built without metadata"
    ]


def test_folder_fingerprint_equals_the_spec_fingerprint_and_follows_changes(tmp_path):
    write_images(tmp_path / "birds", range(3))
    (tmp_path / "birds" / "metadata.csv").write_text("filename\n0.jpg\n")

    def both():
        [found] = discover_collections(str(tmp_path)).collections
        assert spec_fingerprint(found.spec) == build_fingerprint(found.fingerprint, found.spec)
        return found.fingerprint

    before = both()
    assert both() == before
    (tmp_path / "birds" / ".DS_Store").write_bytes(b"hidden")
    assert both() == before
    (tmp_path / "birds" / "metadata.csv").write_text("filename\n1.jpg\n")  # same size, later mtime
    assert both() != before


def test_fingerprints_on_s3_use_etags(s3_server, s3_bucket):
    client = boto3.client("s3", endpoint_url=s3_server)
    for index in range(2):
        client.put_object(Bucket=s3_bucket, Key=f"images/birds/{index}.jpg", Body=jpeg_bytes(pattern_image(index)))
    root = f"s3://{s3_bucket}/images"
    [found] = discover_collections(root, s3_server).collections
    assert found.spec.images == f"{root}/birds"
    assert spec_fingerprint(found.spec, s3_server) == build_fingerprint(found.fingerprint, found.spec)
    client.put_object(Bucket=s3_bucket, Key="images/birds/1.jpg", Body=jpeg_bytes(pattern_image(5)))
    [changed] = discover_collections(root, s3_server).collections
    assert changed.fingerprint != found.fingerprint
    assert discover_collections(f"s3://{s3_bucket}/nothing", s3_server).problems


def test_a_changed_spec_changes_the_build_fingerprint(tmp_path):
    write_images(tmp_path / "birds", range(2))
    [found] = discover_collections(str(tmp_path)).collections
    retitled = dataclasses.replace(found.spec, seed=1)
    assert spec_fingerprint(retitled) != spec_fingerprint(found.spec)
    assert spec_fingerprint(retitled) == build_fingerprint(found.fingerprint, retitled)
