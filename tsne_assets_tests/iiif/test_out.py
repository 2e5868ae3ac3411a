"""IIIF out, core: a Deep Zoom pyramid republished as a level-0 image service, tile for tile."""

import json

import numpy as np
import pytest
import pyvips

from tsne_assets.core.iiif.image_service import write_image_service
from tsne_assets.core.publish import is_site_file


def test_the_service_holds_every_tile_it_declares_with_the_map_pixels(tmp_path):
    y, x = np.mgrid[0:500, 0:1100]
    pixels = np.stack([x % 256, y % 256, (x // 4 + y // 4) % 256], axis=-1).astype(np.uint8)
    mosaic = pyvips.Image.new_from_array(pixels, interpretation="srgb")
    mosaic.dzsave(str(tmp_path / "tiles"), layout="dz", tile_size=256, overlap=1, suffix=".png", depth="onepixel")
    info = write_image_service(tmp_path, "tiles.dzi", tmp_path / "out", "https://maps.example.org/m/versions/1/iiif")
    assert (info["id"], info["width"], info["height"]) == ("https://maps.example.org/m/versions/1/iiif", 1100, 500)
    assert json.loads((tmp_path / "out" / "iiif" / "info.json").read_text()) == info
    [tiling] = info["tiles"]
    assert tiling["scaleFactors"] == [1, 2, 4]
    written = {str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out" / "iiif").rglob("default.jpg")}
    expected = set()
    for scale in tiling["scaleFactors"]:
        region = tiling["width"] * scale
        for top in range(0, 500, region):
            for left in range(0, 1100, region):
                w, h = min(region, 1100 - left), min(region, 500 - top)
                size = f"{-(-w // scale)},{-(-h // scale)}"
                expected.add(f"iiif/full/{size}/0/default.jpg" if (w, h) == (1100, 500) else f"iiif/{left},{top},{w},{h}/{size}/0/default.jpg")
    assert written == expected
    assert all(is_site_file(f"versions/1/{name}", "1", "tiles.dzi") for name in written | {"iiif/info.json"})
    # A full-resolution tile away from the edges is the map's pixels there (JPEG-close).
    tile = pyvips.Image.new_from_file(str(tmp_path / "out" / "iiif" / "512,0,512,500" / "512,500" / "0" / "default.jpg"))
    assert np.abs(tile.numpy().astype(int) - pixels[:, 512:1024].astype(int)).mean() < 4


def test_the_service_id_must_be_an_absolute_url_of_the_iiif_folder(tmp_path):
    with pytest.raises(ValueError, match="absolute http"):
        write_image_service(tmp_path, "tiles.dzi", tmp_path / "out", "versions/1/iiif")
