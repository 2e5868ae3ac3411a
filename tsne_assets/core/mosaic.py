"""The mosaic of a grid of images as a Deep Zoom (DZI) pyramid, plus a small preview.

Each grid cell holds one image resized to the cell size, either letterboxed on the background
(``"contain"``) or centre-cropped to fill the cell (``"fill"``); empty cells are background.

The mosaic is never held in memory: grid rows of cells are composed one strip at a time and
appended to an uncompressed BigTIFF (one TIFF strip per grid row) in a temporary folder next
to the output, which libvips then reads strip by strip into ``dzsave`` and into a shrink for
the preview. Neither Pillow's decompression-bomb guard nor JPEG's 65,535-pixel side limit
applies, so the mosaic's size is bounded by disk space (3 bytes per pixel while building;
100,000 cells of 128x128 is about 4.9 GB).

Why TIFF rather than a headerless raw file and ``pyvips.Image.rawload``: rawload memory-maps
the whole file, so the process's resident set grows to the mosaic's size (measured: 4.9 GB
RSS for a 40,576 x 40,448 mosaic, 1.07 GB for 18,176 x 18,048), whereas libtiff reads strips
into small buffers (166 MB RSS for the latter).

Output, in ``out_dir``::

    tiles.dzi                          the Deep Zoom descriptor
    tiles_files/<level>/<col>_<row>.<ext>  tiles; level 0 is 1x1 pixel, the last full size
    preview.jpg                        the whole mosaic, longest side ``preview_size``
"""

from __future__ import annotations

import os
import shutil
import struct
import tempfile
import xml.etree.ElementTree as ET
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
from PIL import Image
from upath import UPath

from tsne_assets.core.images import open_rgb
from tsne_assets.core.spec import check_cell_size as _check_cell_size

Resize = Literal["contain", "fill"]
TileFormat = Literal["jpg", "png", "webp"]

DZI_NAME = "tiles.dzi"
PREVIEW_NAME = "preview.jpg"
_DZI_NAMESPACES = ("http://schemas.microsoft.com/deepzoom/2008", "http://schemas.microsoft.com/deepzoom/2009")


@dataclass(frozen=True)
class DeepZoomInfo:
    """What :func:`build_deep_zoom` wrote.

    ``width`` and ``height`` are the full mosaic in pixels; ``levels`` the number of pyramid
    levels (see :func:`deep_zoom_levels`); ``dzi`` the descriptor's file name in ``out_dir``;
    ``failed`` maps the index of each source that could not be read or decoded to the reason
    (its cell was left as background).
    """

    width: int
    height: int
    tile_size: int
    overlap: int
    format: str
    levels: int
    dzi: str = DZI_NAME
    failed: dict[int, str] = field(default_factory=dict)


def deep_zoom_levels(width: int, height: int) -> int:
    """Number of Deep Zoom levels for an image: ``ceil(log2(max(width, height))) + 1``.

    Level 0 is 1x1 pixel and each level doubles the previous one up to full size.
    """
    if width < 1 or height < 1:
        raise ValueError(f"image size must be positive, got {width}x{height}")
    return (max(width, height) - 1).bit_length() + 1  # exact integer ceil(log2)


def deep_zoom_level_size(width: int, height: int, level: int) -> tuple[int, int]:
    """Size of ``level``: the full size divided by ``2 ** (max_level - level)``, rounded up."""
    max_level = deep_zoom_levels(width, height) - 1
    if not 0 <= level <= max_level:
        raise ValueError(f"level must be in 0..{max_level}, got {level}")
    scale = 1 << (max_level - level)
    return -(-width // scale), -(-height // scale)


def build_deep_zoom(
    sources: Sequence[str],
    cells: np.ndarray,
    cols: int,
    rows: int,
    out_dir: Path,
    *,
    cell_size: tuple[int, int] = (128, 128),
    resize: Resize = "contain",
    tile_size: int = 256,
    overlap: int = 1,
    tile_format: TileFormat = "jpg",
    quality: int = 90,
    background: tuple[int, int, int] = (255, 255, 255),
    preview_size: int = 1024,
    read: Callable[[str], bytes] | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> DeepZoomInfo:
    """Render the grid mosaic and write it as a Deep Zoom pyramid and a preview.

    Parameters
    ----------
    sources
        One entry per image, passed to ``read``.
    cells
        ``(N,)`` distinct cell indices, ``cells[i] = row * cols + col`` for ``sources[i]``,
        row 0 at the top (as from :func:`tsne_assets.core.grid.assign_to_grid`).
    cols, rows
        The grid; the mosaic is ``cols * cell_width`` by ``rows * cell_height`` pixels.
    out_dir
        Created if missing; an existing ``tiles.dzi``/``tiles_files`` there is replaced.
    cell_size
        ``(width, height)`` of a cell in pixels (see :func:`parse_cell_size`).
    resize
        ``"contain"``: the whole image, aspect kept, centred on the background;
        ``"fill"``: aspect kept, centre-cropped to cover the cell.
    tile_size, overlap, tile_format, quality
        Deep Zoom tiling: tile side, pixels shared with each neighbouring tile, file format
        and JPEG/WebP quality (ignored for PNG).
    background
        RGB of empty cells and letterbox bars.
    preview_size
        Longest side of ``preview.jpg``; a smaller mosaic is not enlarged.
    read
        Returns a source's bytes; default reads a local file.
    progress
        Called with the number of sources just processed (read, decoded and placed, or
        failed), after each grid row that has any; the calls sum to ``len(sources)``.
    workers
        Threads that read, decode and resize (default: CPU count).

    Returns
    -------
    DeepZoomInfo
        Including ``failed``: a source that cannot be read or decoded is never fatal; its
        cell stays background.
    """
    cells = np.asarray(cells)
    cols, rows = int(cols), int(rows)
    cell_w, cell_h = _check_cell_size(cell_size)
    _check_arguments(sources, cells, cols, rows, resize, tile_size, overlap, tile_format, quality, background, preview_size)
    read = read or _read_file
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    width, height = cols * cell_w, rows * cell_h

    # The temporary file is as large as the mosaic: keep it on the output's file system.
    work = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-mosaic-", dir=out_dir.parent))
    try:
        mosaic_path = work / "mosaic.tif"
        failed = _write_mosaic_tiff(
            mosaic_path, sources, cells, cols, rows, (cell_w, cell_h), resize, background, read, progress, workers
        )
        _write_pyramid(mosaic_path, out_dir, tile_size, overlap, tile_format, quality, preview_size)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return DeepZoomInfo(
        width=width,
        height=height,
        tile_size=tile_size,
        overlap=overlap,
        format=tile_format,
        levels=deep_zoom_levels(width, height),
        dzi=DZI_NAME,
        failed=failed,
    )


def render_cell(
    image: Image.Image,
    cell_size: tuple[int, int],
    resize: Resize = "contain",
    background: tuple[int, int, int] = (255, 255, 255),
) -> np.ndarray:
    """One RGB image resized into a cell: a ``(cell_height, cell_width, 3)`` uint8 array."""
    cell_w, cell_h = cell_size
    width, height = image.size
    if resize == "fill":
        # Crop the largest centred box with the cell's aspect, then scale it to the cell.
        scale = max(cell_w / width, cell_h / height)
        box_w, box_h = cell_w / scale, cell_h / scale
        left, top = (width - box_w) / 2, (height - box_h) / 2
        fitted = image.resize(
            (cell_w, cell_h), Image.Resampling.LANCZOS, box=(left, top, left + box_w, top + box_h), reducing_gap=3.0
        )
        return np.asarray(fitted, dtype=np.uint8)
    scale = min(cell_w / width, cell_h / height)
    size = (min(cell_w, max(1, round(width * scale))), min(cell_h, max(1, round(height * scale))))
    fitted = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    out = np.empty((cell_h, cell_w, 3), dtype=np.uint8)
    out[:] = background
    x, y = (cell_w - size[0]) // 2, (cell_h - size[1]) // 2
    out[y : y + size[1], x : x + size[0]] = np.asarray(fitted, dtype=np.uint8)
    return out


def verify_deep_zoom(out_dir: Path | UPath, dzi: str = DZI_NAME, *, check_tile_sizes: bool = True) -> list[str]:
    """Check that a written pyramid is complete; return the problems found (empty if none).

    Checks the descriptor (Deep Zoom XML with TileSize, Overlap, Format and Size), that
    level ``L`` of ``0 .. levels-1`` exists with exactly the tiles
    ``ceil(lw / tile) * ceil(lh / tile)`` named ``<col>_<row>.<format>``, where
    ``lw, lh = ceil(width / 2**(levels-1-L)), ceil(height / ...)``, that no other levels or
    tiles exist, and (``check_tile_sizes``) that each tile has the expected pixel size: its
    ``tile``-sized share of the level plus ``overlap`` pixels on each side that has a
    neighbour. Tile headers are read, not their pixels.

    ``out_dir`` may be on object storage: the levels are then checked from one listing each,
    and ``check_tile_sizes=False`` spares a request per tile.
    """
    out_dir = out_dir if isinstance(out_dir, UPath) else Path(out_dir)
    problems: list[str] = []
    try:
        with (out_dir / dzi).open("rb") as descriptor:
            root = ET.parse(descriptor).getroot()
        namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
        if namespace not in _DZI_NAMESPACES or root.tag.split("}")[-1] != "Image":
            return [f"{dzi}: not a Deep Zoom descriptor (root element {root.tag})"]
        size = root.find(f"{{{namespace}}}Size")
        tile = int(root.attrib["TileSize"])
        overlap = int(root.attrib["Overlap"])
        ext = root.attrib["Format"]
        width, height = int(size.attrib["Width"]), int(size.attrib["Height"])  # type: ignore[union-attr]
    except FileNotFoundError:
        return [f"{dzi}: missing"]
    except (ET.ParseError, KeyError, ValueError, AttributeError) as error:
        return [f"{dzi}: unreadable descriptor ({type(error).__name__}: {error})"]
    if tile < 1 or overlap < 0 or width < 1 or height < 1:
        return [f"{dzi}: invalid TileSize={tile}, Overlap={overlap} or Size={width}x{height}"]

    files = out_dir / (Path(dzi).stem + "_files")
    levels = deep_zoom_levels(width, height)
    expected_levels = {str(level) for level in range(levels)}
    present = {p.name for p in files.iterdir() if p.is_dir()} if files.is_dir() else set()
    for extra in sorted(present - expected_levels):
        problems.append(f"level {extra}: unexpected (the image has levels 0..{levels - 1})")
    for level in range(levels):
        lw, lh = deep_zoom_level_size(width, height, level)
        nx, ny = -(-lw // tile), -(-lh // tile)
        folder = files / str(level)
        if not folder.is_dir():
            problems.append(f"level {level}: missing ({lw}x{lh}, {nx * ny} tiles expected)")
            continue
        expected = {f"{x}_{y}.{ext}" for x in range(nx) for y in range(ny)}
        actual = {p.name for p in folder.iterdir()}
        if missing := expected - actual:
            problems.append(f"level {level}: {len(missing)} of {nx * ny} tiles missing, e.g. {min(missing)}")
        if extra := actual - expected:
            problems.append(f"level {level}: {len(extra)} unexpected files, e.g. {min(extra)}")
        if not check_tile_sizes:
            continue
        for name in sorted(expected & actual):
            x, y = (int(v) for v in name.split(".")[0].split("_"))
            want = (_tile_extent(x, tile, overlap, lw), _tile_extent(y, tile, overlap, lh))
            try:
                with (folder / name).open("rb") as file, Image.open(file) as image:
                    got = image.size
            except (OSError, SyntaxError, ValueError) as error:
                problems.append(f"level {level}: tile {name} unreadable ({error})")
                continue
            if got != want:
                problems.append(f"level {level}: tile {name} is {got[0]}x{got[1]}, expected {want[0]}x{want[1]}")
    return problems


# --- internals -----------------------------------------------------------------------------


def _read_file(source: str) -> bytes:
    return Path(source).read_bytes()


def _check_arguments(
    sources, cells, cols, rows, resize, tile_size, overlap, tile_format, quality, background, preview_size
) -> None:
    if cols < 1 or rows < 1:
        raise ValueError(f"cols and rows must be positive, got {cols}x{rows}")
    if cells.ndim != 1 or len(cells) != len(sources):
        raise ValueError(f"cells must be a 1-D array with one entry per source ({len(sources)}), got shape {cells.shape}")
    if len(cells):
        if not np.issubdtype(cells.dtype, np.integer):
            raise ValueError(f"cells must be integers, got {cells.dtype}")
        if cells.min() < 0 or cells.max() >= cols * rows:
            raise ValueError(f"cells must be in 0..{cols * rows - 1} for a {cols}x{rows} grid")
        if len(np.unique(cells)) != len(cells):
            raise ValueError("cells must be distinct: one source per cell")
    if resize not in ("contain", "fill"):
        raise ValueError(f"resize must be 'contain' or 'fill', got {resize!r}")
    if tile_size < 1:
        raise ValueError(f"tile_size must be positive, got {tile_size}")
    if not 0 <= overlap < tile_size:
        raise ValueError(f"overlap must be in 0..{tile_size - 1}, got {overlap}")
    if tile_format not in ("jpg", "png", "webp"):
        raise ValueError(f"tile_format must be 'jpg', 'png' or 'webp', got {tile_format!r}")
    if not 1 <= quality <= 100:
        raise ValueError(f"quality must be in 1..100, got {quality}")
    if len(background) != 3 or not all(0 <= int(v) <= 255 for v in background):
        raise ValueError(f"background must be an (r, g, b) of 0..255, got {background!r}")
    if preview_size < 1:
        raise ValueError(f"preview_size must be positive, got {preview_size}")


def _write_mosaic_tiff(
    path: Path,
    sources: Sequence[str],
    cells: np.ndarray,
    cols: int,
    rows: int,
    cell_size: tuple[int, int],
    resize: Resize,
    background: tuple[int, int, int],
    read: Callable[[str], bytes],
    progress: Callable[[int], None] | None,
    workers: int | None,
) -> dict[int, str]:
    """Write the mosaic as an uncompressed BigTIFF, one grid row (a strip of cells) at a time.

    Strips are appended with plain writes rather than through a memmap, so the mosaic lives
    in the page cache, not in this process's resident memory.
    """
    cell_w, cell_h = cell_size
    failed: dict[int, str] = {}
    order = np.argsort(cells, kind="stable")  # sources in row-major cell order
    strip = np.empty((cell_h, cols * cell_w, 3), dtype=np.uint8)
    done = 0

    def render(i: int) -> np.ndarray | str:
        try:
            data = read(sources[i])
        except Exception as error:  # any reader (local, S3, HTTP): report, never abort
            return f"cannot read: {type(error).__name__}: {error}"
        try:
            # JPEGs decode at reduced scale, never smaller than the cell's longer side.
            return render_cell(open_rgb(data, min_size=max(cell_size)), cell_size, resize, background)
        except Exception as error:  # open_rgb raises UnreadableImageError; anything else too
            return getattr(error, "reason", None) or f"{type(error).__name__}: {error}"

    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool, open(path, "wb") as out:
        out.write(_bigtiff_header(cols * cell_w, rows * cell_h, cell_h))
        results = _ordered_map(pool, render, (int(i) for i in order), window=256)
        position = 0
        for row in range(rows):
            strip[:] = background
            while position < len(order) and cells[order[position]] < (row + 1) * cols:
                index = int(order[position])
                result = next(results)
                col = int(cells[index]) - row * cols
                if isinstance(result, str):
                    failed[index] = result
                else:
                    strip[:, col * cell_w : (col + 1) * cell_w] = result
                position += 1
            out.write(strip.data)
            if progress is not None and position > done:
                progress(position - done)
                done = position
    return dict(sorted(failed.items()))


def _ordered_map(pool: ThreadPoolExecutor, fn: Callable, items: Iterator[int], window: int) -> Iterator:
    """``pool.map`` that keeps at most ``window`` results pending, so memory stays bounded."""
    pending: deque[Future] = deque()
    for item in items:
        pending.append(pool.submit(fn, item))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _write_pyramid(
    mosaic_path: Path,
    out_dir: Path,
    tile_size: int,
    overlap: int,
    tile_format: TileFormat,
    quality: int,
    preview_size: int,
) -> None:
    import pyvips  # the libvips binding loads a shared library: only when a mosaic is built

    def mosaic() -> pyvips.Image:
        # Sequential: libvips reads each strip once, top to bottom, and keeps only a few.
        return pyvips.Image.new_from_file(str(mosaic_path), access="sequential")

    stem = Path(DZI_NAME).stem
    shutil.rmtree(out_dir / f"{stem}_files", ignore_errors=True)  # stale tiles would survive
    (out_dir / DZI_NAME).unlink(missing_ok=True)
    suffix = f".{tile_format}" if tile_format == "png" else f".{tile_format}[Q={quality}]"
    mosaic().dzsave(
        str(out_dir / stem),
        layout="dz",
        tile_size=tile_size,
        overlap=overlap,
        suffix=suffix,
        depth="onepixel",  # the full Deep Zoom pyramid, down to 1x1
        skip_blanks=-1,  # every tile written, even all-background ones: viewers expect them
        keep=0,  # no metadata in the tiles
    )
    # libvips also writes its own metadata dump, which no viewer reads.
    (out_dir / f"{stem}_files" / "vips-properties.xml").unlink(missing_ok=True)
    # thumbnail_image shrinks in a streaming pass (box shrink, then lanczos) to exact size.
    preview = mosaic().thumbnail_image(preview_size, height=preview_size, size="down")
    preview.jpegsave(str(out_dir / PREVIEW_NAME), Q=85, strip=True)


def _bigtiff_header(width: int, height: int, rows_per_strip: int) -> bytes:
    """Header, directory and strip tables of an uncompressed 8-bit RGB BigTIFF.

    The pixel strips, ``rows_per_strip`` rows each (the last one may be shorter), follow
    directly after the returned bytes. BigTIFF's 64-bit offsets allow files over 4 GB.
    """
    strips = -(-height // rows_per_strip)
    strip_bytes = [min(rows_per_strip, height - i * rows_per_strip) * width * 3 for i in range(strips)]
    entry_count = 10
    directory = 16  # right after the 16-byte header
    tables = directory + 8 + entry_count * 20 + 8
    # With one strip its offset and size fit in the entries themselves; otherwise they are
    # two tables of 8-byte integers before the pixels.
    pixels = tables + (16 * strips if strips > 1 else 0)
    offsets = np.concatenate([[pixels], pixels + np.cumsum(strip_bytes[:-1], dtype=np.int64)]).astype("<u8")
    counts = np.asarray(strip_bytes, dtype="<u8")

    def entry(tag: int, kind: int, count: int, value: bytes) -> bytes:
        return struct.pack("<HHQ", tag, kind, count) + value.ljust(8, b"\0")

    short, long, long8 = 3, 4, 16
    if strips > 1:
        offsets_value, counts_value = struct.pack("<Q", tables), struct.pack("<Q", tables + 8 * strips)
    else:
        offsets_value, counts_value = offsets.tobytes(), counts.tobytes()
    entries = [  # sorted by tag, as TIFF requires
        entry(256, long, 1, struct.pack("<I", width)),  # ImageWidth
        entry(257, long, 1, struct.pack("<I", height)),  # ImageLength
        entry(258, short, 3, struct.pack("<HHH", 8, 8, 8)),  # BitsPerSample
        entry(259, short, 1, struct.pack("<H", 1)),  # Compression: none
        entry(262, short, 1, struct.pack("<H", 2)),  # PhotometricInterpretation: RGB
        entry(273, long8, strips, offsets_value),  # StripOffsets
        entry(277, short, 1, struct.pack("<H", 3)),  # SamplesPerPixel
        entry(278, long, 1, struct.pack("<I", rows_per_strip)),  # RowsPerStrip
        entry(279, long8, strips, counts_value),  # StripByteCounts
        entry(284, short, 1, struct.pack("<H", 1)),  # PlanarConfiguration: interleaved
    ]
    assert len(entries) == entry_count
    header = b"II" + struct.pack("<HHHQ", 43, 8, 0, directory)  # little-endian BigTIFF
    out = header + struct.pack("<Q", entry_count) + b"".join(entries) + struct.pack("<Q", 0)
    if strips > 1:
        out += offsets.tobytes() + counts.tobytes()
    return out


def _tile_extent(index: int, tile: int, overlap: int, size: int) -> int:
    """Pixel extent of tile ``index`` along one axis of a level ``size`` pixels long."""
    start = max(index * tile - overlap, 0)
    end = min((index + 1) * tile + overlap, size)
    return end - start


__all__ = [
    "DeepZoomInfo",
    "build_deep_zoom",
    "deep_zoom_level_size",
    "deep_zoom_levels",
    "parse_cell_size",
    "render_cell",
    "verify_deep_zoom",
]
