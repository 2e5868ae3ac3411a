"""Deep Zoom names, level geometry and the descriptor (the written pyramid: test_mosaic.py)."""

import math

import pytest

from tsne_assets.core.deepzoom import (
    DZI_NAME,
    DeepZoomDescriptor,
    DescriptorError,
    deep_zoom_level_size,
    deep_zoom_levels,
    files_folder,
    parse_dzi,
    single_tile_level,
)

DZI = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Image xmlns="http://schemas.microsoft.com/deepzoom/2008" Format="jpg" Overlap="1" TileSize="254">'
    '<Size Width="480" Height="360"/></Image>'
)


@pytest.mark.parametrize(
    "width, height, levels",
    [(1, 1, 1), (2, 1, 2), (255, 3, 9), (256, 256, 9), (257, 10, 10), (480, 360, 10), (66560, 128, 18)],
)
def test_deep_zoom_levels_match_the_spec(width, height, levels):
    assert deep_zoom_levels(width, height) == levels == math.ceil(math.log2(max(width, height))) + 1
    assert deep_zoom_level_size(width, height, levels - 1) == (width, height)
    assert deep_zoom_level_size(width, height, 0) == (1, 1)


def test_deep_zoom_level_size_rounds_up_at_each_halving():
    # 480x360 -> 240x180 -> 120x90 -> 60x45 -> 30x23 -> 15x12 -> 8x6 -> 4x3 -> 2x2 -> 1x1
    sizes = [deep_zoom_level_size(480, 360, level) for level in range(9, -1, -1)]
    assert sizes == [(480, 360), (240, 180), (120, 90), (60, 45), (30, 23), (15, 12), (8, 6), (4, 3), (2, 2), (1, 1)]


def test_single_tile_level_is_the_deepest_level_that_fits_one_tile():
    assert single_tile_level(480, 360, 256) == 8  # 240x180
    assert single_tile_level(480, 360, 239) == 7  # 120x90
    assert single_tile_level(32, 24, 256) == 5  # the full size
    assert single_tile_level(480, 360, 1) == 0


def test_names():
    assert DZI_NAME == "tiles.dzi" and files_folder(DZI_NAME) == "tiles_files"


def test_parse_dzi():
    assert parse_dzi(DZI) == DeepZoomDescriptor(width=480, height=360, tile_size=254, overlap=1, format="jpg")
    assert parse_dzi(DZI.encode().replace(b"2008", b"2009")).tile_size == 254


@pytest.mark.parametrize(
    "text, message",
    [
        ("<nonsense", "unreadable descriptor (ParseError"),
        ('<Image TileSize="256"/>', "not a Deep Zoom descriptor (root element Image)"),
        (DZI.replace(' Overlap="1"', ""), "unreadable descriptor (KeyError: 'Overlap')"),
        (DZI.replace('<Size Width="480" Height="360"/>', ""), "unreadable descriptor (AttributeError"),
        (DZI.replace('Width="480"', 'Width="wide"'), "unreadable descriptor (ValueError"),
        (DZI.replace('TileSize="254"', 'TileSize="0"'), "invalid TileSize=0, Overlap=1 or Size=480x360"),
    ],
)
def test_parse_dzi_says_what_is_wrong(text, message):
    with pytest.raises(DescriptorError) as error:
        parse_dzi(text)
    assert str(error.value).startswith(message)
    assert isinstance(error.value, ValueError)
