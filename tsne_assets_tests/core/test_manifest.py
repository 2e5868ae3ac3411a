import pytest

from tsne_assets.core.manifest import build_manifest, readable_images, resolve_source
from tsne_assets_tests.collections import write_messy_collection


@pytest.fixture
def messy(tmp_path):
    return write_messy_collection(tmp_path)


def test_folder_source_lists_every_file_but_hidden_ones(messy):
    source = resolve_source(str(messy["images"]))
    ids = [source.relative_id(path) for path in source.files]
    assert sorted(ids) == sorted(messy["readable"] + messy["unreadable"])


def test_recursive_glob_over_folders_with_spaces(messy):
    source = resolve_source(str(messy["images"]) + "/**/*.jpg")
    ids = {source.relative_id(path) for path in source.files}
    assert "room one/case 2/object 001.jpg" in ids
    assert all(image_id.endswith(".jpg") for image_id in ids)


def test_glob_matching_nothing_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="matches no files"):
        resolve_source(str(tmp_path / "*.tif"))


def test_metadata_file_is_excluded(tmp_path):
    messy = write_messy_collection(tmp_path)
    csv_in_folder = messy["images"] / "metadata.csv"
    csv_in_folder.write_text("filename\n")
    source = resolve_source(str(messy["images"]), exclude=[str(csv_in_folder)])
    assert str(csv_in_folder) not in source.files


def test_manifest_reports_every_file(messy):
    manifest = build_manifest(resolve_source(str(messy["images"])))
    assert sorted(readable_images(manifest)["id"]) == messy["readable"]
    skipped = manifest[~manifest["readable"]].set_index("id")["reason"]
    assert sorted(skipped.index) == messy["unreadable"]
    assert skipped["room two/empty.jpg"] == "empty file"
    assert "truncated" in skipped["room two/truncated.jpg"] or "cannot decode" in skipped["room two/truncated.jpg"]
    assert "not an image" in skipped["room two/notes.txt"]


def test_manifest_records_hash_size_and_upright_dimensions(messy):
    manifest = build_manifest(resolve_source(str(messy["images"]))).set_index("id")
    rotated = manifest.loc["room two/rotated.jpg"]
    assert (rotated["width"], rotated["height"]) == (120, 60)
    assert len(rotated["sha256"]) == 64
    assert rotated["bytes"] == (messy["images"] / "room two/rotated.jpg").stat().st_size


def test_duplicates_point_at_the_first_copy(messy):
    manifest = build_manifest(resolve_source(str(messy["images"]))).set_index("id")
    first, second = sorted(messy["duplicate"])
    assert manifest.loc[second, "duplicate_of"] == first
    assert manifest.loc[first, "duplicate_of"] == ""
