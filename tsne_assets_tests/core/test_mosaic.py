import io
import math
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tsne_assets.core.deepzoom import deep_zoom_level_size, deep_zoom_levels, verify_deep_zoom
from tsne_assets.core.mosaic import DeepZoomInfo, MosaicOptions, build_deep_zoom
from tsne_assets.core.mosaic.bigtiff import BigTiffStripWriter

RED, GREEN, BLUE, WHITE = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)


def solid(path: Path, colour, size=(64, 64), fmt=None) -> str:
    Image.new("RGB", size, colour).save(path, format=fmt)
    return str(path)


def read_level(out_dir: Path, level: int) -> np.ndarray:
    """Stitch one pyramid level back together from its tiles (overlaps are equal pixels)."""
    image = ET.parse(out_dir / "tiles.dzi").getroot()
    tile, overlap, ext = int(image.get("TileSize")), int(image.get("Overlap")), image.get("Format")
    size = image[0]
    width, height = deep_zoom_level_size(int(size.get("Width")), int(size.get("Height")), level)
    out = np.zeros((height, width, 3), dtype=np.uint8)
    for path in (out_dir / "tiles_files" / str(level)).glob(f"*.{ext}"):
        x, y = (int(v) for v in path.stem.split("_"))
        pixels = np.asarray(Image.open(path).convert("RGB"))
        left, top = max(x * tile - overlap, 0), max(y * tile - overlap, 0)
        out[top : top + pixels.shape[0], left : left + pixels.shape[1]] = pixels
    return out


def full_size(out_dir: Path, info: DeepZoomInfo) -> np.ndarray:
    return read_level(out_dir, info.levels - 1)


def close(pixel, colour, tolerance=3) -> bool:
    return bool(np.all(np.abs(np.asarray(pixel, dtype=int) - colour) <= tolerance))


# --- the written pyramid ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "cols, rows, cell, tile, overlap",
    [(3, 3, (160, 120), 256, 1), (1, 1, (128, 128), 256, 0), (5, 2, (100, 60), 64, 2), (4, 4, (128, 128), 256, 1)],
)
def test_pyramid_is_complete_and_matches_the_spec(tmp_path, cols, rows, cell, tile, overlap):
    sources = [solid(tmp_path / f"{i}.png", (40 * i, 0, 0)) for i in range(3)]
    cells = np.arange(3) % (cols * rows)
    out = tmp_path / "out"
    info = build_deep_zoom(
        sources[: min(3, cols * rows)], cells[: min(3, cols * rows)], cols, rows, out,
        MosaicOptions(cell_size=cell, tile_size=tile, overlap=overlap),
    )
    assert (info.width, info.height) == (cols * cell[0], rows * cell[1])
    assert info.levels == deep_zoom_levels(info.width, info.height)
    assert (info.tile_size, info.overlap, info.format, info.dzi, info.failed) == (tile, overlap, "jpg", "tiles.dzi", {})
    assert verify_deep_zoom(out) == []

    level_dirs = sorted(int(p.name) for p in (out / "tiles_files").iterdir() if p.is_dir())
    assert level_dirs == list(range(info.levels))
    for level in level_dirs:
        lw, lh = deep_zoom_level_size(info.width, info.height, level)
        tiles = list((out / "tiles_files" / str(level)).glob("*.jpg"))
        assert len(tiles) == math.ceil(lw / tile) * math.ceil(lh / tile)

    root = ET.parse(out / "tiles.dzi").getroot()
    assert (root.get("TileSize"), root.get("Overlap"), root.get("Format")) == (str(tile), str(overlap), "jpg")
    assert (root[0].get("Width"), root[0].get("Height")) == (str(info.width), str(info.height))

    with Image.open(out / "preview.jpg") as preview:
        assert preview.size == (info.width, info.height)  # small mosaics are not enlarged


def test_verify_reports_missing_extra_and_wrong_tiles(tmp_path):
    out = tmp_path / "out"
    build_deep_zoom([solid(tmp_path / "a.png", RED)], np.array([0]), 4, 4, out, MosaicOptions(tile_size=128))
    assert verify_deep_zoom(out) == []
    top = out / "tiles_files" / "9"  # 512x512: levels 0..9
    (top / "1_1.jpg").unlink()
    Image.new("RGB", (10, 10)).save(top / "0_0.jpg")
    (top / "7_7.jpg").write_bytes(b"")
    problems = verify_deep_zoom(out)
    assert any("1 of 16 tiles missing" in p and "1_1.jpg" in p for p in problems)
    assert any("unexpected" in p and "7_7.jpg" in p for p in problems)
    assert any("0_0.jpg is 10x10, expected 128x128" in p for p in problems)

    for path in (out / "tiles_files" / "3").iterdir():
        path.unlink()
    (out / "tiles_files" / "3").rmdir()
    assert any(p.startswith("level 3: missing") for p in verify_deep_zoom(out))
    (out / "tiles.dzi").write_text("<nonsense")
    assert "unreadable" in verify_deep_zoom(out)[0]
    (out / "tiles.dzi").unlink()
    assert verify_deep_zoom(out) == ["tiles.dzi: missing"]


def test_each_image_lands_in_its_cell(tmp_path):
    colours = [RED, GREEN, BLUE, (255, 255, 0), (0, 255, 255)]
    sources = [solid(tmp_path / f"{i}.png", c) for i, c in enumerate(colours)]
    cells = np.array([8, 0, 4, 2, 6])  # 3x3 grid, shuffled relative to sources
    out = tmp_path / "out"
    info = build_deep_zoom(sources, cells, 3, 3, out, MosaicOptions(cell_size=(32, 32), tile_format="png", tile_size=64))
    mosaic = full_size(out, info)
    assert mosaic.shape == (96, 96, 3)
    for colour, cell in zip(colours, cells):
        row, col = divmod(int(cell), 3)
        block = mosaic[row * 32 : (row + 1) * 32, col * 32 : (col + 1) * 32]
        assert (block == colour).all(), (colour, cell)
    for cell in (1, 3, 5, 7):  # empty cells are background
        row, col = divmod(cell, 3)
        assert (mosaic[row * 32 : (row + 1) * 32, col * 32 : (col + 1) * 32] == WHITE).all()


def test_non_square_cells_and_background_colour(tmp_path):
    out = tmp_path / "out"
    sources = [solid(tmp_path / "r.png", RED, size=(160, 120)), solid(tmp_path / "g.png", GREEN, size=(160, 120))]
    info = build_deep_zoom(
        sources, np.array([3, 0]), 2, 2, out,
        MosaicOptions(cell_size=(160, 120), background=(10, 20, 30), tile_format="png"),
    )
    assert (info.width, info.height) == (320, 240)
    mosaic = full_size(out, info)
    assert (mosaic[:120, :160] == GREEN).all()
    assert (mosaic[120:, 160:] == RED).all()
    assert (mosaic[:120, 160:] == (10, 20, 30)).all() and (mosaic[120:, :160] == (10, 20, 30)).all()


def banded(path: Path) -> str:
    """200x100: green quarter, red half, green quarter, left to right."""
    image = Image.new("RGB", (200, 100), GREEN)
    image.paste(RED, (50, 0, 150, 100))
    image.save(path)
    return str(path)


def test_contain_letterboxes_the_whole_image(tmp_path):
    out = tmp_path / "out"
    info = build_deep_zoom([banded(tmp_path / "b.png")], np.array([0]), 1, 1, out, MosaicOptions(resize="contain", tile_format="png"))
    cell = full_size(out, info)
    # Scaled to 128x64 and centred: 32-pixel bars above and below, all bands visible.
    assert (cell[:30] == WHITE).all() and (cell[-30:] == WHITE).all()
    assert close(cell[64, 10], GREEN) and close(cell[64, 64], RED) and close(cell[64, 118], GREEN)


def test_fill_crops_the_centre_to_cover_the_cell(tmp_path):
    out = tmp_path / "out"
    info = build_deep_zoom([banded(tmp_path / "b.png")], np.array([0]), 1, 1, out, MosaicOptions(resize="fill", tile_format="png"))
    cell = full_size(out, info)
    # The centred 100x100 square is the red half: no bars, no green band (Lanczos reads a
    # pixel or two past the crop, which tints the outermost columns slightly).
    assert (np.abs(cell[:, 3:-3].astype(int) - RED) <= 3).all()
    assert (cell[..., 0] > 200).all() and (cell[..., 1] < 40).all()


def test_fill_and_contain_on_a_non_square_cell(tmp_path):
    # A square image in a 160x120 cell: contain leaves side bars, fill crops top and bottom.
    image = Image.new("RGB", (90, 90), RED)
    image.paste(BLUE, (0, 0, 90, 10))  # a blue band along the top edge
    image.save(tmp_path / "sq.png")
    for resize in ("contain", "fill"):
        out = tmp_path / resize
        info = build_deep_zoom([str(tmp_path / "sq.png")], np.array([0]), 1, 1, out, MosaicOptions(cell_size=(160, 120), resize=resize, tile_format="png"))
        cell = full_size(out, info)
        assert cell.shape == (120, 160, 3)
        if resize == "contain":  # 120x120 centred: 20-pixel bars on each side, the band kept
            assert (cell[:, :18] == WHITE).all() and (cell[:, -18:] == WHITE).all()
            assert close(cell[3, 80], BLUE)
        else:  # scaled to 160x160, 20 pixels cut from top and bottom: the band is gone
            assert close(cell[1, 80], RED, tolerance=6) and close(cell[60, 5], RED)


def test_odd_inputs_appear_upright_and_in_colour(tmp_path):
    # EXIF orientation 6: stored 200x100 with red left half, shown rotated 90 degrees clockwise
    # as 100x200 with red on top.
    stored = Image.new("RGB", (200, 100), BLUE)
    stored.paste(RED, (0, 0, 100, 100))
    exif = Image.Exif()
    exif[0x0112] = 6
    stored.save(tmp_path / "rotated.jpg", exif=exif, quality=95)

    Image.new("CMYK", (40, 40), (255, 0, 0, 0)).save(tmp_path / "cmyk.tif")  # cyan
    la = Image.new("LA", (40, 40), (0, 255))
    la.paste((0, 0), (20, 0, 40, 40))  # right half fully transparent
    la.save(tmp_path / "la.png")
    palette = Image.new("P", (40, 40), 0)
    palette.putpalette([0, 128, 0] + [0] * 765)
    palette.save(tmp_path / "p.png")
    ramp = np.tile(np.linspace(1000, 3000, 40).astype(np.uint16), (40, 1))
    Image.fromarray(ramp).save(tmp_path / "sixteen.png")

    names = ["rotated.jpg", "cmyk.tif", "la.png", "p.png", "sixteen.png"]
    out = tmp_path / "out"
    info = build_deep_zoom([str(tmp_path / n) for n in names], np.arange(5), 5, 1, out, MosaicOptions(cell_size=(64, 64), tile_format="png"))
    assert info.failed == {}
    mosaic = full_size(out, info)
    rotated, cmyk, la_cell, p_cell, sixteen = (mosaic[:, 64 * i : 64 * (i + 1)] for i in range(5))

    assert (rotated[:, :12] == WHITE).all() and (rotated[:, -12:] == WHITE).all()  # portrait: side bars
    assert close(rotated[10, 32], RED, 12) and close(rotated[54, 32], BLUE, 12)
    assert close(cmyk[32, 32], (0, 255, 255))
    assert close(la_cell[32, 10], (0, 0, 0)) and close(la_cell[32, 54], WHITE)  # alpha on white
    assert close(p_cell[32, 32], (0, 128, 0))
    assert sixteen[32, 2, 0] < 20 and sixteen[32, 61, 0] > 235  # rescaled, not clipped white


def test_unreadable_sources_are_reported_and_left_background(tmp_path):
    good = solid(tmp_path / "good.png", RED)
    (tmp_path / "corrupt.jpg").write_bytes(b"\xff\xd8\xff\xe0 definitely not a jpeg")
    truncated = io.BytesIO()
    Image.new("RGB", (64, 64), GREEN).save(truncated, format="JPEG")
    (tmp_path / "truncated.jpg").write_bytes(truncated.getvalue()[:200])
    sources = [good, str(tmp_path / "corrupt.jpg"), str(tmp_path / "missing.jpg"), str(tmp_path / "truncated.jpg")]
    out = tmp_path / "out"
    info = build_deep_zoom(sources, np.array([0, 1, 2, 3]), 2, 2, out, MosaicOptions(cell_size=(32, 32), tile_format="png"))
    assert sorted(info.failed) == [1, 2, 3]
    assert info.failed[2].startswith("cannot read: FileNotFoundError")
    assert all(info.failed[i] for i in (1, 3))
    mosaic = full_size(out, info)
    assert (mosaic[:32, :32] == RED).all()
    assert (mosaic[:32, 32:] == WHITE).all() and (mosaic[32:] == WHITE).all()
    assert verify_deep_zoom(out) == []


def test_custom_reader_and_progress(tmp_path):
    blobs = {}
    for name, colour in (("a", RED), ("b", BLUE)):
        buffer = io.BytesIO()
        Image.new("RGB", (16, 16), colour).save(buffer, format="PNG")
        blobs[name] = buffer.getvalue()
    seen = []
    out = tmp_path / "out"
    info = build_deep_zoom(
        ["a", "b"], np.array([3, 0]), 2, 2, out, MosaicOptions(cell_size=(16, 16), tile_format="png"),
        read=blobs.__getitem__, progress=seen.append,
    )
    assert info.failed == {}
    assert seen == [1, 1]  # one call per grid row with sources, each with that row's count
    mosaic = full_size(out, info)
    assert (mosaic[:16, :16] == BLUE).all() and (mosaic[16:, 16:] == RED).all()


def test_rebuild_replaces_stale_tiles(tmp_path):
    out = tmp_path / "out"
    source = [solid(tmp_path / "a.png", RED)]
    options = MosaicOptions(cell_size=(64, 64))
    build_deep_zoom(source, np.array([0]), 8, 8, out, options)
    build_deep_zoom(source, np.array([0]), 1, 1, out, options)  # far fewer levels
    assert verify_deep_zoom(out) == []


def test_mosaic_wider_than_jpeg_and_pillow_limits(tmp_path):
    # 520 cells of 128 px in one row: 66,560 px wide, past JPEG's 65,535-pixel side limit.
    colours = {0: RED, 300: GREEN, 519: BLUE}
    sources = [solid(tmp_path / f"{cell}.png", colour) for cell, colour in colours.items()]
    out = tmp_path / "out"
    info = build_deep_zoom(sources, np.array(list(colours)), 520, 1, out)
    assert (info.width, info.height, info.levels) == (66_560, 128, 18)
    assert info.failed == {}
    assert verify_deep_zoom(out) == []

    top = out / "tiles_files" / "17"
    for cell, colour in colours.items():
        x = cell * 128 // 256  # two cells per 256-pixel tile
        tile = np.asarray(Image.open(top / f"{x}_0.jpg"))
        offset = cell * 128 - x * 256  # no overlap: the tile starts at its own pixel
        assert close(tile[64, offset + 64], colour, 8), (cell, tile[64, offset + 64])
    last = np.asarray(Image.open(top / "259_0.jpg"))
    assert close(last[64, 64], WHITE, 8)  # cell 518 is empty

    with Image.open(out / "preview.jpg") as preview:
        assert preview.size[0] == 1024 and preview.size[1] <= 2


@pytest.mark.parametrize(
    "cells, cols, message",
    [([0, 0], 2, "distinct"), ([0, 4], 2, r"0\.\.3"), ([0], 2, "one entry per source"), ([0, 1], 0, "positive")],
)
def test_build_rejects_a_bad_grid_before_writing(tmp_path, cells, cols, message):
    with pytest.raises(ValueError, match=message):
        build_deep_zoom(["a", "b"], np.array(cells), cols, 2, tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"resize": "stretch"}, "resize must be 'contain' or 'fill'"),
        ({"tile_size": 0}, "tile_size must be positive"),
        ({"overlap": 256}, r"overlap must be in 0\.\.255"),
        ({"overlap": -1}, "overlap"),
        ({"tile_format": "gif"}, "tile_format"),
        ({"quality": 0}, r"quality must be in 1\.\.100"),
        ({"quality": 101}, "quality"),
        ({"background": (0, 0, 300)}, "background"),
        ({"background": (0, 0)}, "background"),
        ({"background": "white"}, "background"),
        ({"preview_size": 0}, "preview_size"),
        ({"cell_size": (0, 128)}, "cell sides"),
        ({"cell_size": (5000, 128)}, "cell sides"),
        ({"cell_size": 128}, "cell_size"),
    ],
)
def test_options_reject_bad_values(kwargs, message):
    with pytest.raises(ValueError, match=message):
        MosaicOptions(**kwargs)


def test_options_are_normalised_and_frozen():
    options = MosaicOptions(cell_size=[np.int64(160), 120.0], background=np.array([1, 2, 3]))
    assert options.cell_size == (160, 120) and type(options.cell_size[0]) is int
    assert options.background == (1, 2, 3) and type(options.background[0]) is int
    assert options == MosaicOptions(cell_size=(160, 120), background=(1, 2, 3))
    with pytest.raises(AttributeError):
        options.tile_size = 512


def test_bigtiff_writer_checks_each_strip_and_the_total(tmp_path):
    with pytest.raises(ValueError, match=r"strip must be \(2, 3, 3\) uint8"):
        with BigTiffStripWriter(tmp_path / "a.tif", 3, 4, 2) as tiff:
            tiff.write(np.zeros((2, 4, 3), dtype=np.uint8))
    with pytest.raises(ValueError, match="2 of 4 rows written"):
        with BigTiffStripWriter(tmp_path / "b.tif", 3, 4, 2) as tiff:
            tiff.write(np.zeros((2, 3, 3), dtype=np.uint8))
    pixels = np.arange(5 * 3 * 3, dtype=np.uint8).reshape(5, 3, 3)
    with BigTiffStripWriter(tmp_path / "c.tif", 3, 5, 2) as tiff:  # strips of 2, 2 and 1 rows
        for top in range(0, 5, 2):
            tiff.write(pixels[top : top + 2])
    with Image.open(tmp_path / "c.tif") as image:
        assert (np.asarray(image) == pixels).all()


@pytest.mark.parametrize(
    "size, resize, cell, expected",
    [
        ((640, 480), "contain", (128, 128), 96),  # drawn 128x96: decodes at 1/4, 160x120
        ((640, 480), "fill", (128, 128), 128),  # covers the cell: drawn 171x128
        ((480, 640), "contain", (128, 128), 96),
        ((640, 480), "contain", (160, 120), 120),  # either way up: 160x120, or 90x120 turned
        ((100, 80), "contain", (128, 128), 103),  # smaller than its cell: its own size (enlarged)
    ],
)
def test_sources_decode_at_the_smallest_scale_that_covers_their_drawn_size(size, resize, cell, expected):
    from tsne_assets.core.mosaic.cells import decode_size

    buffer = io.BytesIO()
    Image.new("RGB", size, RED).save(buffer, format="JPEG")
    assert decode_size(buffer.getvalue(), MosaicOptions(cell_size=cell, resize=resize)) == expected
    assert decode_size(b"not an image", MosaicOptions(cell_size=cell)) == max(cell)


def test_a_cell_drawn_from_a_reduced_decode_matches_one_from_the_full_image():
    from tsne_assets.core.mosaic.cells import draw_source, render_cell

    rng = np.random.default_rng(0)
    field = Image.fromarray(rng.integers(0, 255, (6, 8, 3), dtype=np.uint8)).resize((640, 480), Image.Resampling.BICUBIC)
    buffer = io.BytesIO()
    field.save(buffer, format="JPEG", quality=90)
    options = MosaicOptions()
    drawn = draw_source("photo", options, read=lambda _: buffer.getvalue())
    full = render_cell(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"), options.cell_size)
    assert drawn.shape == full.shape == (128, 128, 3)
    assert np.abs(drawn.astype(np.int16) - full).mean() < 2
