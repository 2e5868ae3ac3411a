"""Updating a mosaic's pyramid: only the tiles over changed cells are re-rendered (core/mosaic/update.py)."""

import io
import shutil

import numpy as np
import pytest
from PIL import Image

from tsne_assets.core.deepzoom import verify_deep_zoom
from tsne_assets.core.mosaic import MosaicOptions, build_deep_zoom
from tsne_assets.core.mosaic.update import SIGNATURE_NAME, cell_signature, changed_cells, update_deep_zoom
from tsne_assets.core.mosaic.versioned import draw_mosaic
from tsne_assets_tests.collections import jpeg_bytes, pattern_image

OPTIONS = MosaicOptions(cell_size=(32, 24), tile_size=64, overlap=1, background=(28, 30, 34))
COLS, ROWS = 9, 7  # a 288 x 168 mosaic: 5 x 3 tiles at the deepest of 10 levels


def tiles(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in (folder / "tiles_files").rglob("*.jpg")}


def pixels(data):
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=np.int16)


IMAGES = {f"{i}.jpg": jpeg_bytes(pattern_image(i)) for i in range(30)}
BEFORE_IDS = [f"{i}.jpg" for i in range(28)]
BEFORE_CELLS = np.arange(28) * 2 % (COLS * ROWS)  # every other cell
# One image removed (the 4th), two added in free cells; the rest keep their cells.
AFTER_IDS = [i for i in BEFORE_IDS if i != "3.jpg"] + ["28.jpg", "29.jpg"]
AFTER_CELLS = np.concatenate([np.delete(BEFORE_CELLS, 3), [1, 61]])


@pytest.fixture
def maps(tmp_path):
    images, before_ids, before_cells, after_ids, after_cells = IMAGES, BEFORE_IDS, BEFORE_CELLS, AFTER_IDS, AFTER_CELLS
    read = images.__getitem__
    build_deep_zoom(before_ids, before_cells, COLS, ROWS, tmp_path / "before", OPTIONS, read=read)
    build_deep_zoom(after_ids, after_cells, COLS, ROWS, tmp_path / "full", OPTIONS, read=read)
    shutil.copytree(tmp_path / "before", tmp_path / "updated", copy_function=lambda s, d: __import__("os").link(s, d))
    previous = cell_signature(before_cells, COLS, ROWS, before_ids, OPTIONS)
    current = cell_signature(after_cells, COLS, ROWS, after_ids, OPTIONS)
    changed = changed_cells(previous, current)
    before_tiles = tiles(tmp_path / "before")
    rendered, total, failed = update_deep_zoom(
        after_ids, after_cells, COLS, ROWS, changed, tmp_path / "updated", OPTIONS,
        read_tile=lambda level, col, row: before_tiles[f"tiles_files/{level}/{col}_{row}.jpg"], read=read,
    )
    return tmp_path, changed, rendered, total, failed


def test_only_the_tiles_over_changed_cells_are_rendered(maps):
    root, changed, rendered, total, failed = maps
    assert sorted(changed.tolist()) == [1, 6, 61] and not failed
    before, updated = tiles(root / "before"), tiles(root / "updated")
    differ = {name for name in before if before[name] != updated[name]}
    # Deepest level, 64-pixel tiles with 1 pixel of overlap: cell 1 (x 32..64) lies in tile 0
    # and the overlap of tile 1; cell 6 (x 192..224) in tile 3 and the overlap of tile 2; cell 61
    # (col 7, row 6: x 224..256, y 144..168) in tile (3, 2) and the overlap of (4, 2).
    deepest = {name.split("/", 2)[2] for name in differ if name.startswith("tiles_files/9/")}
    assert deepest == {"0_0.jpg", "1_0.jpg", "2_0.jpg", "3_0.jpg", "3_2.jpg", "4_2.jpg"}
    assert len(differ) == rendered < total
    assert verify_deep_zoom(root / "updated") == []
    assert (root / "before" / "tiles_files" / "9" / "0_0.jpg").read_bytes() == before["tiles_files/9/0_0.jpg"]


def test_updated_tiles_match_a_full_build(maps):
    root, *_ = maps
    full, updated = tiles(root / "full"), tiles(root / "updated")
    assert full.keys() == updated.keys()
    for name in full:
        # The deepest level is drawn as a full build draws it; the levels above are shrunk from
        # it, partly from decoded JPEG tiles: within a few levels of 255.
        limit = 0.5 if name.startswith("tiles_files/9/") else 3.0
        assert np.abs(pixels(full[name]) - pixels(updated[name])).mean() < limit, name


def test_another_grid_or_options_cannot_be_updated():
    cells = np.array([0, 2])
    previous = cell_signature(cells, 3, 2, ["a", "b"], OPTIONS)
    assert changed_cells(None, previous) is None
    assert changed_cells(previous, cell_signature(cells, 4, 2, ["a", "b"], OPTIONS)) is None
    other = MosaicOptions(cell_size=(32, 24), tile_size=64, overlap=1, quality=80, background=(28, 30, 34))
    assert changed_cells(previous, cell_signature(cells, 3, 2, ["a", "b"], other)) is None
    assert changed_cells(previous, cell_signature(cells, 3, 2, ["a", "c"], OPTIONS)).tolist() == [2]


def test_an_unreadable_record_of_the_previous_cells_means_a_fresh_pyramid(tmp_path):
    images = {f"{i}.jpg": jpeg_bytes(pattern_image(i)) for i in range(4)}
    ids, cells = list(images), np.array([0, 2, 4, 6])
    draw = lambda folder, previous: draw_mosaic(  # noqa: E731
        ids, ids, cells, COLS, ROWS, folder, OPTIONS, previous=previous, read=images.__getitem__
    )
    draw(tmp_path / "v1", None)
    (tmp_path / "v1" / SIGNATURE_NAME).write_text('{"cols": "damaged"')
    again = draw(tmp_path / "v2", tmp_path / "v1")
    assert not again.updated and again.rendered == again.total
    assert verify_deep_zoom(tmp_path / "v2") == []


def test_without_overlap_a_changed_cell_changes_one_tile_per_level(tmp_path):
    # 32x32 cells in 64-pixel tiles, no overlap (the default): each tile holds 2x2 whole cells.
    options = MosaicOptions(cell_size=(32, 32), tile_size=64, background=(28, 30, 34))
    images = {f"{i}.jpg": jpeg_bytes(pattern_image(i)) for i in range(12)}
    ids, cells = [f"{i}.jpg" for i in range(11)], np.arange(11) * 3
    build_deep_zoom(ids, cells, COLS, ROWS, tmp_path / "before", options, read=images.__getitem__)
    before = tiles(tmp_path / "before")
    shutil.copytree(tmp_path / "before", tmp_path / "updated")
    # Cell 40 (col 4, row 4: x 128..160, y 128..160) gets an image: it lies in tile (2, 2) only.
    after_ids, after_cells = [*ids, "11.jpg"], np.append(cells, 40)
    changed = changed_cells(
        cell_signature(cells, COLS, ROWS, ids, options), cell_signature(after_cells, COLS, ROWS, after_ids, options)
    )
    rendered, total, _ = update_deep_zoom(
        after_ids, after_cells, COLS, ROWS, changed, tmp_path / "updated", options,
        read_tile=lambda level, col, row: before[f"tiles_files/{level}/{col}_{row}.jpg"], read=images.__getitem__,
    )
    updated = tiles(tmp_path / "updated")
    differ = {name for name in before if before[name] != updated[name]}
    levels = 10  # 288 x 224 pixels
    assert rendered == levels < total
    assert {name for name in differ if name.startswith("tiles_files/9/")} == {"tiles_files/9/2_2.jpg"}
    assert verify_deep_zoom(tmp_path / "updated") == []


def test_tiles_rendered_in_parallel_are_the_bytes_of_a_serial_update(tmp_path, maps):
    root, changed, *_ = maps
    before = tiles(root / "before")
    results = {}
    for workers in (1, 4):
        out = tmp_path / f"workers-{workers}"
        results[workers] = update_deep_zoom(
            AFTER_IDS, AFTER_CELLS, COLS, ROWS, changed, out, OPTIONS, workers=workers,
            read_tile=lambda level, col, row: before[f"tiles_files/{level}/{col}_{row}.jpg"], read=IMAGES.__getitem__,
        )
        results[workers] += (tiles(out), (out / "preview.jpg").read_bytes())
    assert results[1][0] > 10 and results[1] == results[4]
