"""IIIF out, core: a Deep Zoom pyramid without overlap published as a level-0 image service made
of its own tile files, and the IIIF files of a site version."""

import json

import numpy as np
import pytest
import pyvips

from tsne_assets.core.deepzoom import read_dzi
from tsne_assets.core.iiif.image_service import service_info, service_tiles
from tsne_assets.core.iiif.map_manifest import MANIFEST_NAME
from tsne_assets.core.iiif.publication import SERVICE_INFO, image_section, iiif_publication
from tsne_assets.core.publish import is_site_file
from tsne_assets.core.viewer_data import viewer_metadata

SERVICE = "https://maps.example.org/m/versions/1/iiif"


def _pyramid(folder, width=1100, height=500, overlap=0):
    y, x = np.mgrid[0:height, 0:width]
    pixels = np.stack([x % 256, y % 256, (x // 4 + y // 4) % 256], axis=-1).astype(np.uint8)
    mosaic = pyvips.Image.new_from_array(pixels, interpretation="srgb")
    mosaic.dzsave(str(folder / "tiles"), layout="dz", tile_size=256, overlap=overlap, suffix=".jpg", depth="onepixel")
    return read_dzi(folder / "tiles.dzi")


def _spec_tiles(info):
    """Every tile file the Image API's tiling algorithm asks of ``info`` (Image API 3,
    implementation notes), with the canonical ``full`` region and ``max`` size."""
    width, height = info["width"], info["height"]
    [tiling] = info["tiles"]
    names = set()
    for scale in tiling["scaleFactors"]:
        region = tiling["width"] * scale
        for top in range(0, height, region):
            for left in range(0, width, region):
                w, h = min(region, width - left), min(region, height - top)
                size = f"{-(-w // scale)},{-(-h // scale)}"
                if (w, h) != (width, height):
                    names.add(f"{left},{top},{w},{h}/{size}/0/default.jpg")
                else:
                    names.add(f"full/{size}/0/default.jpg")
                    names |= {"full/max/0/default.jpg"} if scale == 1 else set()
    return names


def test_each_iiif_tile_is_the_deep_zoom_tile_of_its_region_and_size(tmp_path):
    descriptor = _pyramid(tmp_path)
    info = service_info(descriptor, SERVICE)
    tiles = dict((name, dzi) for dzi, name in service_tiles(descriptor, "tiles.dzi"))
    assert set(tiles) == _spec_tiles(info)
    assert info["tiles"][0]["scaleFactors"] == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048]
    for name, dzi in tiles.items():  # every file exists at the size its name declares
        region, size, *_ = name.split("/")
        width, height = (int(v) for v in size.split(",")) if size != "max" else (1100, 500)
        tile = pyvips.Image.new_from_file(str(tmp_path / dzi))
        assert (tile.width, tile.height) == (width, height), name
    assert tiles["256,0,256,256/256,256/0/default.jpg"] == "tiles_files/11/1_0.jpg"
    assert tiles["1024,0,76,500/38,250/0/default.jpg"] == "tiles_files/10/2_0.jpg"
    assert tiles["full/138,63/0/default.jpg"] == "tiles_files/8/0_0.jpg"
    assert {(s["width"], s["height"]) for s in info["sizes"]} == {
        (138, 63), (69, 32), (35, 16), (18, 8), (9, 4), (5, 2), (3, 1), (2, 1), (1, 1),
    }
    assert all(is_site_file(f"versions/1/iiif/{name}", "1", "tiles.dzi") for name in tiles)


def test_the_service_info_has_the_image_api_3_level_0_keys(tmp_path):
    info = service_info(_pyramid(tmp_path), SERVICE)
    assert (info["@context"], info["id"], info["type"], info["protocol"], info["profile"]) == (
        "http://iiif.io/api/image/3/context.json", SERVICE, "ImageService3", "http://iiif.io/api/image", "level0",
    )
    assert (info["width"], info["height"], info["tiles"][0]["width"], info["tiles"][0]["height"]) == (1100, 500, 256, 256)


def test_tiles_with_overlap_are_refused_with_what_to_do(tmp_path):
    descriptor = _pyramid(tmp_path, overlap=1)
    with pytest.raises(ValueError, match="without overlap.*overlap at 0.*--map-tiles dzi"):
        service_info(descriptor, SERVICE)
    with pytest.raises(ValueError, match="without overlap"):
        list(service_tiles(descriptor, "tiles.dzi"))


def test_the_service_id_must_be_an_absolute_url_of_the_iiif_folder(tmp_path):
    with pytest.raises(ValueError, match="absolute http"):
        service_info(_pyramid(tmp_path, 64, 64), "versions/1/iiif")


def test_a_version_publishes_the_service_manifest_and_annotations_as_links_to_the_tiles(tmp_path):
    import pandas as pd

    _pyramid(tmp_path, 256, 128)
    records = pd.DataFrame({"id": ["a.jpg", "b.jpg"], "title": ["A", "B"], "url": ["https://m.example/a", ""]})
    metadata = viewer_metadata("m", records, np.array([0, 1]), cols=2, rows=1, cell_size=(128, 128))
    published = iiif_publication(tmp_path, metadata, "https://maps.example.org/m/versions/1/", homepage="https://maps.example.org/m/")
    assert set(published.files) == {SERVICE_INFO, "manifest.json", "annotations.json"}
    assert json.loads(published.files[SERVICE_INFO])["id"] == SERVICE
    assert published.copies["iiif/full/max/0/default.jpg"] == tmp_path / "tiles_files/8/0_0.jpg"
    assert published.manifest_url == "https://maps.example.org/m/versions/1/manifest.json"
    thumbnail = json.loads(published.files["manifest.json"])["thumbnail"][0]
    assert thumbnail["id"] == f"{SERVICE}/full/256,128/0/default.jpg" and (thumbnail["width"], thumbnail["height"]) == (256, 128)


def test_the_viewer_document_names_the_tiles_each_choice_publishes():
    image = {"dzi": "tiles.dzi", "width": 256, "height": 128}
    assert image_section(image, "dzi") == image
    assert image_section(image, "both") == {**image, "iiif": SERVICE_INFO, "manifest": MANIFEST_NAME}
    assert image_section(image, "iiif") == {"iiif": SERVICE_INFO, "manifest": MANIFEST_NAME, "width": 256, "height": 128}


@pytest.mark.parametrize("map_tiles", ["both", "iiif"])
def test_a_site_version_links_the_service_to_the_tiles_and_iiif_only_publishes_no_deep_zoom(tmp_path, map_tiles):
    import os

    import pandas as pd

    from tsne_assets.core.checks import published_site_problems
    from tsne_assets.core.site import publish_site

    _pyramid(tmp_path, 512, 256)
    records = pd.DataFrame({"id": ["a.jpg", "b.jpg"], "title": ["A", "B"], "url": ["", ""]})
    metadata = viewer_metadata("m", records, np.array([0, 1]), cols=2, rows=1, cell_size=(256, 256))
    metadata["image"] = image_section(metadata["image"], map_tiles)
    iiif = iiif_publication(tmp_path, metadata, "https://maps.example.org/m/versions/1/")
    site = tmp_path / "site"
    publish_site(site, version="1", tiles_dir=tmp_path, metadata=metadata, files=iiif.files, copies=iiif.copies)
    version = site / "versions" / "1"
    pointer = json.loads((site / "current.json").read_text())["image"]
    assert pointer == ("tiles.dzi" if map_tiles == "both" else "iiif/info.json")
    assert (version / "tiles.dzi").exists() == (version / "tiles_files").exists() == (map_tiles == "both")
    assert os.path.samefile(version / "iiif/256,0,256,256/256,256/0/default.jpg", tmp_path / "tiles_files/9/1_0.jpg")
    assert published_site_problems(site, "1", metadata) == []


def test_on_s3_the_service_tiles_are_copies_of_the_deep_zoom_tiles_within_the_store(tmp_path, s3_server, s3_bucket):
    import pandas as pd

    from tsne_assets.core.site import publish_site
    from tsne_assets.core.storage import copy_tree, storage_path

    (tmp_path / "local").mkdir()
    _pyramid(tmp_path / "local", 512, 256)
    root = storage_path(f"s3://{s3_bucket}/data", s3_server)
    tiles = root / "tiles" / "m" / "1"
    copy_tree(tmp_path / "local", tiles)
    records = pd.DataFrame({"id": ["a.jpg"], "title": ["A"], "url": [""]})
    metadata = viewer_metadata("m", records, np.array([1]), cols=2, rows=1, cell_size=(256, 256))
    metadata["image"] = image_section(metadata["image"], "iiif")
    iiif = iiif_publication(tiles, metadata, "https://maps.example.org/m/versions/1/")
    publish_site(root / "site" / "m", version="1", tiles_dir=tiles, metadata=metadata, files=iiif.files, copies=iiif.copies)
    version = root / "site" / "m" / "versions" / "1"
    assert (version / "iiif/256,0,256,256/256,256/0/default.jpg").read_bytes() == (tiles / "tiles_files/9/1_0.jpg").read_bytes()
    assert json.loads((version / "iiif/info.json").read_text())["width"] == 512
    assert not (version / "tiles.dzi").exists()
