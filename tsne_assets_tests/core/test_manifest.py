import dagster as dg
import pytest

from tsne_assets.cli import main
from tsne_assets.core.manifest import HIDDEN_FILE, LINK_OUTSIDE, build_manifest, readable_images, resolve_source
from tsne_assets.core.spec import CollectionSpec
from tsne_assets.defs.assets.collection import collection_spec, image_manifest, spec_run_config
from tsne_assets.defs.definitions import make_resources
from tsne_assets_tests.collections import jpeg_bytes, pattern_image, png_bytes, write_images, write_messy_collection
from tsne_assets_tests.hostile_images import multi_frame_file


@pytest.fixture
def messy(tmp_path):
    return write_messy_collection(tmp_path)


def test_folder_source_lists_every_file_and_sets_hidden_ones_aside(messy):
    source = resolve_source(str(messy["images"]))
    ids = [source.relative_id(path) for path in source.files]
    assert sorted(ids) == sorted(messy["readable"] + messy["unreadable"][1:])  # all but .DS_Store
    assert {source.relative_id(path): reason for path, reason in source.skipped.items()} == {".DS_Store": HIDDEN_FILE}


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


def skipped_reasons(manifest):
    return manifest[~manifest["readable"]].set_index("id")["reason"].to_dict()


@pytest.fixture
def linked(tmp_path):
    """A collection with links to a file and a folder outside it, and a link inside it."""
    outside = tmp_path / "outside"
    write_images(outside / "folder", [1, 2])
    (outside / "secret.jpg").write_bytes(jpeg_bytes(pattern_image(3)))
    images = tmp_path / "images"
    write_images(images, [4])
    (images / "secret.jpg").symlink_to(outside / "secret.jpg")
    (images / "linked folder").symlink_to(outside / "folder", target_is_directory=True)
    (images / "same as 4.jpg").symlink_to(images / "4.jpg")
    return images


def test_links_outside_the_collection_are_skipped_unread(linked):
    manifest = build_manifest(resolve_source(str(linked))).set_index("id")
    assert skipped_reasons(manifest.reset_index()) == {"secret.jpg": LINK_OUTSIDE, "linked folder": LINK_OUTSIDE}
    assert manifest.loc["secret.jpg", "sha256"] == "" and manifest.loc["secret.jpg", "bytes"] == 0  # never read
    assert manifest.loc["same as 4.jpg", "readable"]  # a link inside the root is read
    assert manifest.loc["same as 4.jpg", "duplicate_of"] == "4.jpg"


def test_links_outside_are_read_when_allowed(linked):
    manifest = build_manifest(resolve_source(str(linked), follow_links_outside=True))
    assert sorted(readable_images(manifest)["id"]) == [
        "4.jpg", "linked folder/1.jpg", "linked folder/2.jpg", "same as 4.jpg", "secret.jpg",
    ]


def test_a_glob_does_not_read_links_outside_either(linked):
    manifest = build_manifest(resolve_source(str(linked / "*.jpg")))
    assert skipped_reasons(manifest) == {"secret.jpg": LINK_OUTSIDE}


def test_a_folder_linked_into_itself_is_listed_once(tmp_path):
    write_images(tmp_path / "images" / "sub", [1])
    (tmp_path / "images" / "sub" / "loop").symlink_to(tmp_path / "images", target_is_directory=True)
    for follow in (False, True):
        assert [path.rsplit("/", 1)[-1] for path in resolve_source(str(tmp_path / "images"), follow_links_outside=follow).files] == ["1.jpg"]


def test_dot_files_are_listed_with_their_reason_and_dot_folders_left_out(tmp_path):
    write_images(tmp_path / "images", [1])
    for name in ("..jpg", ".hidden.png"):
        (tmp_path / "images" / name).write_bytes(jpeg_bytes(pattern_image(2)))
    write_images(tmp_path / "images" / ".git", [3])
    manifest = build_manifest(resolve_source(str(tmp_path / "images")))
    assert skipped_reasons(manifest) == {"..jpg": HIDDEN_FILE, ".hidden.png": HIDDEN_FILE}
    assert manifest["id"].tolist() == ["..jpg", ".hidden.png", "1.jpg"]


@pytest.mark.parametrize("files", [{}, {"notes.txt": b"text", ".hidden.jpg": jpeg_bytes(pattern_image(1))}])
def test_a_source_without_a_readable_image_fails_at_the_manifest(tmp_path, files):
    (tmp_path / "images").mkdir()
    for name, data in files.items():
        (tmp_path / "images" / name).write_bytes(data)
    with pytest.raises(ValueError, match=f"^no readable images in {tmp_path / 'images'}") as raised:
        build_manifest(resolve_source(str(tmp_path / "images")))
    assert ("notes.txt: not an image" in str(raised.value)) == bool(files)


def test_multi_frame_files_are_counted_and_noted_in_the_asset(tmp_path, instance):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "animation.gif").write_bytes(multi_frame_file("GIF"))
    (tmp_path / "images" / "still.png").write_bytes(png_bytes(pattern_image(1)))
    spec = CollectionSpec(id="frames", images=str(tmp_path / "images"))
    instance.add_dynamic_partitions("collections", ["frames"])
    result = dg.materialize(
        [collection_spec, image_manifest], partition_key="frames", instance=instance,
        resources=make_resources(str(tmp_path / "storage")), run_config=spec_run_config(spec),
    )
    manifest = result.output_for_node("image_manifest").set_index("id")
    assert manifest["frames"].to_dict() == {"animation.gif": 3, "still.png": 1}
    metadata = result.asset_materializations_for_node("image_manifest")[0].metadata
    assert metadata["multi_frame"].value == 1
    assert "| animation.gif | first of 3 frames used |" in metadata["multi_frame_files"].value


def test_an_empty_collection_stops_at_the_manifest_with_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    (tmp_path / "dagster_home").mkdir()
    (tmp_path / "images").mkdir()
    code = main(["build", "--id", "empty", "--images", str(tmp_path / "images"), "--root", str(tmp_path / "storage")])
    assert code != 0
    errors = capsys.readouterr().err
    assert "Traceback" not in errors
    [line] = [line for line in errors.splitlines() if "no readable images" in line]
    assert line.startswith("tsne-assets: ") and line.endswith(f"no readable images in {tmp_path / 'images'}: it holds no files")
    with dg.DagsterInstance.get() as instance:
        [run] = instance.get_runs()
        failed = instance.all_logs(run.run_id, of_type=dg.DagsterEventType.STEP_FAILURE)
        materialized = instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
    assert [event.step_key for event in failed] == ["image_manifest"]
    assert [event.asset_materialization.asset_key.path[-1] for event in materialized] == ["collection_spec"]


def test_the_follow_links_option_reaches_the_spec(tmp_path):
    from tsne_assets.cli import _parser, _spec

    arguments = ["build", "--id", "linked", "--images", str(tmp_path)]
    assert not _spec(_parser().parse_args(arguments)).follow_links_outside
    assert _spec(_parser().parse_args([*arguments, "--follow-links"])).follow_links_outside
